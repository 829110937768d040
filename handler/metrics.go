package handler

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Metrics counts what vnetdrift serve does and writes it in the Prometheus
// text exposition format (version 0.0.4). All methods are safe for
// concurrent use and do nothing on a nil *Metrics, so the pipeline may call
// them unconditionally.
type Metrics struct {
	mu          sync.Mutex
	received    uint64
	ignored     map[string]uint64 // by reason
	failed      map[string]uint64 // by reason
	invocations map[[2]string]uint64
	evaluations uint64
	armCalls    uint64
	decisions   histogram
}

// DecisionBuckets are the upper bounds, in seconds, of the decision
// latency histogram.
var DecisionBuckets = []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}

// NewMetrics returns zeroed metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		ignored:     map[string]uint64{},
		failed:      map[string]uint64{},
		invocations: map[[2]string]uint64{},
		decisions:   histogram{counts: make([]uint64, len(DecisionBuckets))},
	}
}

func (m *Metrics) update(f func()) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	f()
}

// EventReceived counts one event received on either route.
func (m *Metrics) EventReceived() { m.update(func() { m.received++ }) }

// EventIgnored counts one event dropped without error, by reason (e.g.
// "duplicate", "non_network").
func (m *Metrics) EventIgnored(reason string) { m.update(func() { m.ignored[reason]++ }) }

// EventFailed counts one event that could not be handled, by reason
// ("malformed", "permanent", "transient").
func (m *Metrics) EventFailed(reason string) { m.update(func() { m.failed[reason]++ }) }

// Invocation counts one answered request to a route (function) with its
// HTTP status.
func (m *Metrics) Invocation(function string, status int) {
	m.update(func() { m.invocations[[2]string{function, strconv.Itoa(status)}]++ })
}

// AddEvaluations counts n rule evaluations.
func (m *Metrics) AddEvaluations(n int) { m.update(func() { m.evaluations += uint64(max(n, 0)) }) }

// AddARMCalls counts n requests sent to Azure Resource Manager.
func (m *Metrics) AddARMCalls(n int) { m.update(func() { m.armCalls += uint64(max(n, 0)) }) }

// ObserveDecision records how long a decision took, from the change's
// event time (or the start of a reconcile) to the verdict.
func (m *Metrics) ObserveDecision(d time.Duration) {
	m.update(func() { m.decisions.observe(d.Seconds()) })
}

// histogram is a Prometheus histogram over DecisionBuckets; counts are
// per bucket, not cumulative.
type histogram struct {
	counts []uint64
	count  uint64
	sum    float64
}

func (h *histogram) observe(v float64) {
	h.count++
	h.sum += v
	if i, _ := slices.BinarySearch(DecisionBuckets, v); i < len(h.counts) {
		h.counts[i]++
	}
}

// WriteTo writes the metrics in the Prometheus text format, families and
// series in a stable order. A nil *Metrics writes nothing.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	if m == nil {
		return 0, nil
	}
	m.mu.Lock()
	var b strings.Builder
	m.write(&b)
	m.mu.Unlock()
	bw := bufio.NewWriter(w)
	n, err := bw.WriteString(b.String())
	if err == nil {
		err = bw.Flush()
	}
	return int64(n), err
}

func (m *Metrics) write(b *strings.Builder) {
	family(b, "vnetdrift_events_received_total", "counter", "Events received on /OnResourceChange and /api/events.")
	fmt.Fprintf(b, "vnetdrift_events_received_total %d\n", m.received)
	family(b, "vnetdrift_events_ignored_total", "counter", "Events dropped without error, by reason.")
	labelled(b, "vnetdrift_events_ignored_total", "reason", m.ignored)
	family(b, "vnetdrift_events_failed_total", "counter", "Events that could not be handled, by reason.")
	labelled(b, "vnetdrift_events_failed_total", "reason", m.failed)
	family(b, "vnetdrift_invocations_total", "counter", "Requests answered, by route and HTTP status.")
	for _, k := range slices.SortedFunc(maps.Keys(m.invocations), compareKeys) {
		fmt.Fprintf(b, "vnetdrift_invocations_total{function=%s,status=%s} %d\n", quote(k[0]), quote(k[1]), m.invocations[k])
	}
	family(b, "vnetdrift_evaluations_total", "counter", "Rule evaluations run by the pipeline.")
	fmt.Fprintf(b, "vnetdrift_evaluations_total %d\n", m.evaluations)
	family(b, "vnetdrift_arm_calls_total", "counter", "Requests sent to Azure Resource Manager.")
	fmt.Fprintf(b, "vnetdrift_arm_calls_total %d\n", m.armCalls)
	family(b, "vnetdrift_decision_latency_seconds", "histogram", "Time from a change to the drift decision.")
	var cum uint64
	for i, le := range DecisionBuckets {
		cum += m.decisions.counts[i]
		fmt.Fprintf(b, "vnetdrift_decision_latency_seconds_bucket{le=%s} %d\n", quote(formatFloat(le)), cum)
	}
	fmt.Fprintf(b, "vnetdrift_decision_latency_seconds_bucket{le=\"+Inf\"} %d\n", m.decisions.count)
	fmt.Fprintf(b, "vnetdrift_decision_latency_seconds_sum %s\n", formatFloat(m.decisions.sum))
	fmt.Fprintf(b, "vnetdrift_decision_latency_seconds_count %d\n", m.decisions.count)
	writeRuntime(b)
}

// writeRuntime adds the Go runtime gauges every Prometheus Go client
// exposes under these names: goroutines (a leak shows here first) and
// heap in use.
func writeRuntime(b *strings.Builder) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	family(b, "go_goroutines", "gauge", "Number of goroutines that currently exist.")
	fmt.Fprintf(b, "go_goroutines %d\n", runtime.NumGoroutine())
	family(b, "go_memstats_heap_alloc_bytes", "gauge", "Number of heap bytes allocated and still in use.")
	fmt.Fprintf(b, "go_memstats_heap_alloc_bytes %d\n", ms.HeapAlloc)
	family(b, "go_memstats_sys_bytes", "gauge", "Number of bytes obtained from the system.")
	fmt.Fprintf(b, "go_memstats_sys_bytes %d\n", ms.Sys)
}

func family(b *strings.Builder, name, typ, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

func labelled(b *strings.Builder, name, label string, values map[string]uint64) {
	for _, k := range slices.Sorted(maps.Keys(values)) {
		fmt.Fprintf(b, "%s{%s=%s} %d\n", name, label, quote(k), values[k])
	}
}

func compareKeys(a, b [2]string) int {
	if c := strings.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return strings.Compare(a[1], b[1])
}

// labelEscaper escapes a label value as the text format requires.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func quote(v string) string { return `"` + labelEscaper.Replace(v) + `"` }

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
