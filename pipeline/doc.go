// Package pipeline is vnetdrift's level-triggered decision loop, the work
// behind `vnetdrift serve`. Events only say where to look; every decision
// comes from state read fresh from Azure:
//
//	changes ─▶ Affected (affected.go) ─▶ coalesce (coalesce.go) ─▶ read + evaluate (evaluate.go)
//	        ─▶ State.Record ─▶ every Notifier ─▶ State.Notified (decide.go)
//	timer   ─▶ ReadAll ─▶ evaluate everything ─▶ the same decide stage, as one digest
//
// Affected maps a change to VNet IDs with an Index of last-known topology
// (baseline plus every read), so the remote side of a deleted peering is
// still found. The coalescer gathers hints into batches: a batch starts
// once hints have settled (Config.Settle) or waited a window — a lone
// change on an idle pipeline (LoneChangeVNets) starts at once — one batch
// runs at a time (hints arriving meanwhile form the next), and each VNet
// is evaluated at most once per window. A Handle call returns only when
// evaluations that started after it arrived have covered all its VNets.
// Each batch reads the union of its VNets' neighbourhoods with one
// ReadNeighbourhood call, so VNets that share a hub share its reads, plus
// a second read for remote VNets the baseline declares that the state no
// longer links to.
//
// With a Remediator, each evaluation also plans the fixes for its findings
// (shown in the messages), and sends the remediate-mode ones in the
// background after the event is answered; the touched VNets are then
// evaluated again as our own change, whose "resolved" says "remediated".
// Changes made by our own identity are evaluated but never remediated.
//
// # Delivery guarantees
//
// Event Grid delivers at least once, out of order, and redelivers on 500.
// Handle returns an error only when the decision could not be made or
// delivered: reads, state and retryable notifier failures are
// handler.Transient. Redelivery is harmless because nothing depends on the
// event's content: the redelivered event triggers a fresh evaluation, and
// State.Record hands out each transition (opened, resolved) exactly once,
// across instances.
//
// The pipeline deliberately does not call State.ClaimEvent. Claiming an
// event ID after success adds nothing (the handler already drops recently
// handled IDs, and Record is exactly-once), and claiming it before the work
// loses events: if the claiming instance fails or dies, the redelivery
// finds the ID claimed and is acknowledged without being evaluated. A
// claim-at-start scheme needs a release on failure and a TTL shorter than
// Event Grid's first retry (10 s) to be safe, and buys only fewer
// duplicate reads.
//
// # Concurrency
//
// A Pipeline is safe for concurrent use. Event-driven batches run one at
// a time; a reconcile runs alone too (it waits for the running batch and
// holds the next back), so no record is made from a read older than one
// already recorded by this instance.
package pipeline
