// Package bench holds vnetdrift's end-to-end benchmarks: scan time against
// a bare encoding/json decode of the same synthetic estate, and the event
// pipeline of `vnetdrift serve` (bursts of Event Grid events, lone changes,
// start-up time and idle memory of the built binary). Run them with
// `make bench`; results are recorded in docs/PERFORMANCE.md.
package bench
