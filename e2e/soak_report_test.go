package e2e

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memory reads the instances' memory from /proc.
func (s *soak) memory(t *testing.T) []procMem {
	t.Helper()
	out := make([]procMem, len(s.hosts))
	for i, h := range s.hosts {
		m, err := readProcMem(h.cmd.Process.Pid)
		require.NoError(t, err)
		out[i] = m
	}
	return out
}

// instanceFigures are one instance's end-of-run figures.
type instanceFigures struct {
	metrics    map[string]float64
	mem        procMem
	goroutines int
}

// instances reads the instances' metrics and memory, then stops them with
// a goroutine dump and asserts the bounds.
func (s *soak) instances(t *testing.T) []instanceFigures {
	t.Helper()
	out := make([]instanceFigures, len(s.hosts))
	end := s.memory(t)
	for i, h := range s.hosts {
		m, err := metricsOf(h)
		require.NoError(t, err)
		out[i] = instanceFigures{metrics: m, mem: end[i]}
	}
	for i, h := range s.hosts {
		n, err := dumpGoroutines(h)
		require.NoError(t, err)
		out[i].goroutines = n
	}
	return out
}

// checkBounds asserts that the instances' goroutines and memory stayed
// bounded.
func checkBounds(t *testing.T, inst []instanceFigures) {
	t.Helper()
	for i, f := range inst {
		assert.LessOrEqual(t, f.goroutines, soakMaxGs, "instance %c: goroutines once idle", 'A'+i)
		assert.LessOrEqual(t, f.mem.hwm, soakMaxHWM, "instance %c: peak RSS in KiB", 'A'+i)
	}
}

// report prints the figures, line by line and as one summary block.
func (s *soak) report(t *testing.T, teams, mail *tally, rs routerStats, inst []instanceFigures) {
	t.Helper()
	requests, armStatus := s.arm.counts()
	faults := armStatus[429] + armStatus[500] + armStatus[503]
	var refused map[int]int
	s.teams.read(func(_ *tally, r map[int]int) { refused = maps.Clone(r) })
	lines := []string{
		fmt.Sprintf("soak %s: %d events, %d drifts, %d spokes, seed %d", s.size.name, s.size.events, s.size.drifts, s.size.spokes, s.seed),
		fmt.Sprintf("duration           %s", time.Since(s.start).Round(time.Second)),
		fmt.Sprintf("events sent        %d: %s", s.size.events, statusList(s.writer.counts)),
		fmt.Sprintf("deliveries         %d attempts for %d events (%d redeliveries, %d dropped after the last attempt); per instance %v; answers %s",
			rs.deliveries, rs.distinct, rs.redelivers, rs.dropped, rs.byHost, statusList(rs.byStatus)),
		fmt.Sprintf("ARM (instances)    %d requests, %d faults (%.1f %%): %s", requests, faults, pct(faults, requests), statusList(armStatus)),
		fmt.Sprintf("timer reconciles   %s, then 1 final", statusList(s.timer)),
		channelLine("Teams", teams) + fmt.Sprintf("; posts refused %s", statusList(refused)),
		channelLine("mail", mail),
	}
	for i, f := range inst {
		m := f.metrics
		lines = append(lines, fmt.Sprintf("instance %c         idle %s; after round 1 %s; end %s; %d goroutines at the end; "+
			"events received %.0f, duplicates ignored %.0f, failed %.0f; evaluations %.0f; ARM calls %.0f; mean decision latency %.1f s",
			'A'+i, s.idle[i], s.warm[i], f.mem, f.goroutines,
			sumFamily(m, "vnetdrift_events_received_total"), m[`vnetdrift_events_ignored_total{reason="duplicate"}`],
			sumFamily(m, "vnetdrift_events_failed_total"), sumFamily(m, "vnetdrift_evaluations_total"), sumFamily(m, "vnetdrift_arm_calls_total"),
			m["vnetdrift_decision_latency_seconds_sum"]/max(m["vnetdrift_decision_latency_seconds_count"], 1)))
	}
	for _, l := range lines {
		t.Log(l)
	}
	t.Logf("\n=== soak summary ===\n%s\n====================", strings.Join(lines, "\n"))
}

func channelLine(name string, tl *tally) string {
	opened, resolved := 0, 0
	for _, r := range tl.by {
		opened += r["opened"]
		resolved += r["resolved"]
	}
	return fmt.Sprintf("%-18s %d messages, %d findings: %d opened, %d resolved", name, tl.messages, tl.items, opened, resolved)
}

// statusList prints counts in key order: "200×12, 500×3".
func statusList[K int | string](m map[K]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%v×%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}
