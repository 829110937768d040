// Package bench holds vnetdrift's end-to-end benchmarks: scan time against
// a bare encoding/json decode of the same synthetic estate. Run them with
// `make bench`; results are recorded in docs/PERFORMANCE.md.
package bench
