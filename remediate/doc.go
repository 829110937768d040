// Package remediate plans and applies guarded repairs of drift: for the few
// findings that have a safe, well-understood fix (peering sync, peering
// flags, a missing or deleted peering half, a stale local network gateway,
// and — only when allowed — a gateway's active-active or BGP setting) it
// computes the exact ARM request (Plan, pure) and sends it (Executor.Apply)
// with guardrails: per-rule modes, a never-list, subscription scope, write
// caps, per-VNet serialization with AnotherOperationInProgress retries,
// verify-after-write, recognition of our own writes and a loop guard
// against controllers that keep reverting a fix.
//
// # Concurrency
//
// Plan is pure and safe for concurrent use. An Executor is safe for
// concurrent use: writes that lock the same VNet are serialized across
// Apply calls, and the caps and the loop guard are shared.
package remediate
