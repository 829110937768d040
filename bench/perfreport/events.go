package main

import (
	"context"
	"strconv"
)

// Goals of the performance issue (#8).
const (
	goalScanRatio    = 2.0  // scan ÷ bare decode at 10,000 VNets
	goalReadsPerVNet = 1.2  // ARM reads per affected VNet in a burst
	goalP99Ms        = 50.0 // decision latency p99
	goalStartMs      = 50.0 // process start → first answer to GET /
	goalIdleMB       = 40.0 // idle RSS, in MB (10^6 bytes)
)

// EventRow is one event pipeline case.
type EventRow struct {
	Label, Bench string
	Burst        bool // reads are per affected VNet (else per change)
	Evals        Stat
	Reads        Stat
	P50, P99     Stat
	EventsPerSec Stat
}

// ReadsMet reports the reads goal: met, not met, or "—" (no goal).
func (e EventRow) ReadsMet() string {
	if !e.Burst {
		return "—"
	}
	return verdict(e.Reads, e.Reads.Median <= goalReadsPerVNet)
}

// LatencyMet reports the p99 goal.
func (e EventRow) LatencyMet() string { return verdict(e.P99, e.P99.Median <= goalP99Ms) }

// Startup is the built binary's start-up and idle memory.
type Startup struct {
	P50, Max, IdleMiB Stat
}

// IdleMB is the idle RSS's median in MB (10^6 bytes), the goal's unit.
func (s Startup) IdleMB() float64 { return s.IdleMiB.Median * (1 << 20) / 1e6 }

// StartMet and IdleMet report the start-up goals.
func (s Startup) StartMet() string { return verdict(s.P50, s.P50.Median <= goalStartMs) }

// IdleMet reports the idle memory goal.
func (s Startup) IdleMet() string { return verdict(s.IdleMiB, s.IdleMB() <= goalIdleMB) }

// EventSection is the event pipeline's part of the report.
type EventSection struct {
	Command string
	Rows    []EventRow
	Startup Startup
	Err     string
}

// eventCases are bench/events_test.go's cases, in the report's order.
var eventCases = []EventRow{
	{Label: "burst, in-process: 20 × 500 decoded events handed to `Pipeline.Handle` at once", Bench: "EventBurst/in-process/handle=500x20", Burst: true},
	{Label: "burst, webhook: Event Grid batches of 500 (`maxEventsPerBatch`), 20 deliveries in flight", Bench: "EventBurst/webhook/batch=500/conc=20", Burst: true},
	{Label: "burst, one event per delivery, 500 in flight (the Functions host's fan-out)", Bench: "EventBurst/webhook/batch=1/conc=500", Burst: true},
	{Label: "lone changes: one VNet write at a time, each on another spoke", Bench: "SingleChange"},
}

// measureEvents runs the event and start-up benchmarks count times.
func measureEvents(ctx context.Context, root string, count int) EventSection {
	runs, line, err := goBench(ctx, root, "^(BenchmarkEventBurst|BenchmarkSingleChange|BenchmarkServeStartup)$",
		[]string{"-count", strconv.Itoa(count)}, "./bench/")
	s := eventSection(runs)
	s.Command = line
	if err != nil {
		s.Err = err.Error()
	}
	return s
}

// eventSection picks the report's figures out of the benchmark runs.
func eventSection(runs Runs) EventSection {
	var s EventSection
	for _, c := range eventCases {
		c.Evals = runs.Stat(c.Bench, "evals")
		c.Reads = runs.Stat(c.Bench, "reads/vnet")
		if !c.Burst {
			c.Reads = runs.Stat(c.Bench, "reads/change")
		}
		c.P50, c.P99 = runs.Stat(c.Bench, "p50-ms"), runs.Stat(c.Bench, "p99-ms")
		c.EventsPerSec = runs.Stat(c.Bench, "events/s")
		s.Rows = append(s.Rows, c)
	}
	s.Startup = Startup{
		P50:     runs.Stat("ServeStartup", "p50-ms"),
		Max:     runs.Stat("ServeStartup", "max-ms"),
		IdleMiB: runs.Stat("ServeStartup", "idle-RSS-MiB"),
	}
	return s
}

// verdict words a goal check; a metric that was not measured is neither
// met nor unmet.
func verdict(s Stat, met bool) string {
	switch {
	case s.N == 0:
		return "not measured"
	case met:
		return "met"
	default:
		return "**not met**"
	}
}
