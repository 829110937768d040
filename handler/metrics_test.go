package handler

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMetricsText(t *testing.T) {
	m := NewMetrics()
	m.EventReceived()
	m.EventReceived()
	m.EventIgnored("duplicate")
	m.EventIgnored(`odd "reason"` + "\n\\")
	m.EventFailed(FailTransient)
	m.Invocation("Reconcile", 500)
	m.Invocation("OnResourceChange", 200)
	m.Invocation("OnResourceChange", 200)
	m.AddEvaluations(3)
	m.AddARMCalls(7)
	m.AddARMCalls(-1)
	m.ObserveDecision(50 * time.Millisecond)
	m.ObserveDecision(2 * time.Second)
	m.ObserveDecision(time.Hour)

	var b strings.Builder
	_, err := m.WriteTo(&b)
	require.NoError(t, err)
	got := b.String()
	for _, line := range []string{
		"# TYPE vnetdrift_events_received_total counter",
		"vnetdrift_events_received_total 2",
		`vnetdrift_events_ignored_total{reason="duplicate"} 1`,
		`vnetdrift_events_ignored_total{reason="odd \"reason\"\n\\"} 1`,
		`vnetdrift_events_failed_total{reason="transient"} 1`,
		`vnetdrift_invocations_total{function="OnResourceChange",status="200"} 2`,
		`vnetdrift_invocations_total{function="Reconcile",status="500"} 1`,
		"vnetdrift_evaluations_total 3",
		"vnetdrift_arm_calls_total 7",
		"# TYPE vnetdrift_decision_latency_seconds histogram",
		`vnetdrift_decision_latency_seconds_bucket{le="0.1"} 1`,
		`vnetdrift_decision_latency_seconds_bucket{le="1"} 1`,
		`vnetdrift_decision_latency_seconds_bucket{le="2.5"} 2`,
		`vnetdrift_decision_latency_seconds_bucket{le="600"} 2`,
		`vnetdrift_decision_latency_seconds_bucket{le="+Inf"} 3`,
		"vnetdrift_decision_latency_seconds_sum 3602.05",
		"vnetdrift_decision_latency_seconds_count 3",
		"# TYPE go_goroutines gauge",
		"# TYPE go_memstats_heap_alloc_bytes gauge",
	} {
		assert.Contains(t, got, line+"\n")
	}
	assert.Regexp(t, `(?m)^go_goroutines [1-9][0-9]*$`, got, "this test's own goroutine counts")
	assert.Less(t, strings.Index(got, `function="OnResourceChange"`), strings.Index(got, `function="Reconcile"`), "sorted")
	assertExpositionFormat(t, got)
}

// assertExpositionFormat checks the text format: every sample belongs to a
// family declared by HELP and TYPE, names and values are well formed.
func assertExpositionFormat(t *testing.T, text string) {
	t.Helper()
	sample := regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? (-?[0-9.e+]+)$`)
	declared := map[string]string{}
	require.True(t, strings.HasSuffix(text, "\n"))
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if f := strings.Fields(line); len(f) >= 4 && f[0] == "#" && f[1] == "TYPE" {
			declared[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := sample.FindStringSubmatch(line)
		require.NotNil(t, m, "bad line %q", line)
		name := m[1]
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if base := strings.TrimSuffix(name, suffix); declared[base] == "histogram" {
				name = base
			}
		}
		assert.Contains(t, declared, name, "sample %q before its TYPE", line)
	}
}

func TestMetricsNilIsNoop(t *testing.T) {
	var m *Metrics
	m.EventReceived()
	m.EventIgnored("x")
	m.EventFailed("x")
	m.Invocation("f", 200)
	m.AddEvaluations(1)
	m.AddARMCalls(1)
	m.ObserveDecision(time.Second)
	n, err := m.WriteTo(&strings.Builder{})
	assert.NoError(t, err)
	assert.Zero(t, n)
}

func TestMetricsEndpointCountsRequests(t *testing.T) {
	r := newRig(t, Config{})
	r.invoke(FunctionOnResourceChange, fixture(t, vnetWriteFile))
	r.invoke(FunctionOnResourceChange, fixture(t, vnetWriteFile))
	r.invoke(FunctionReconcile, nil)
	rec := r.do(http.MethodGet, "/metrics", nil, nil)
	assert.Equal(t, "text/plain; version=0.0.4; charset=utf-8", rec.Header().Get("Content-Type"))
	got := rec.Body.String()
	assert.Contains(t, got, "vnetdrift_events_received_total 2\n")
	assert.Contains(t, got, `vnetdrift_events_ignored_total{reason="duplicate"} 1`+"\n")
	assert.Contains(t, got, `vnetdrift_invocations_total{function="OnResourceChange",status="200"} 2`+"\n")
	assert.Contains(t, got, `vnetdrift_invocations_total{function="Reconcile",status="200"} 1`+"\n")
	assertExpositionFormat(t, got)
}

func BenchmarkMetricsWriteTo(b *testing.B) {
	m := NewMetrics()
	for i := range 50 {
		m.Invocation("OnResourceChange", 200+i)
		m.ObserveDecision(time.Duration(i) * time.Second)
	}
	var sb strings.Builder
	for b.Loop() {
		sb.Reset()
		_, _ = m.WriteTo(&sb)
	}
}
