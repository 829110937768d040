package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// goals checks every goal of the issue against the figures.
func goals(r Report) []Goal {
	g := []Goal{scanGoal(r.Scan.Rows)}
	for _, e := range r.Events.Rows {
		if e.Burst {
			g = append(g, Goal{"ARM reads per affected VNet, " + shortLabel(e.Label), fmt.Sprintf("≤ %.1f", goalReadsPerVNet), stat(e.Reads), e.ReadsMet()})
		}
	}
	for _, e := range r.Events.Rows {
		g = append(g, Goal{"decision latency p99, " + shortLabel(e.Label), fmt.Sprintf("≤ %.0f ms", goalP99Ms), statMs(e.P99), e.LatencyMet()})
	}
	st := r.Events.Startup
	return append(g,
		Goal{"cold start to the first answer on `GET /` (median)", fmt.Sprintf("≤ %.0f ms", goalStartMs), statMs(st.P50), st.StartMet()},
		Goal{"idle RSS of `serve`", fmt.Sprintf("≤ %.0f MB", goalIdleMB), idleText(st), st.IdleMet()},
	)
}

func scanGoal(rows []ScanRow) Goal {
	g := Goal{What: "offline scan ÷ bare `encoding/json` decode at 10,000 VNets", Target: fmt.Sprintf("≤ %.1f", goalScanRatio),
		Measured: "—", Status: "not measured"}
	for _, r := range rows {
		if r.VNets == 10_000 {
			g.Measured = fmt.Sprintf("%.2f", r.Ratio())
			g.Status = verdict(Stat{N: 1}, r.Ratio() <= goalScanRatio)
		}
	}
	return g
}

// shortLabel is a case's label up to its colon.
func shortLabel(label string) string {
	s, _, _ := strings.Cut(label, ":")
	return s
}

func idleText(s Startup) string {
	if s.IdleMiB.N == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f MB = %s", s.IdleMB(), statUnit(s.IdleMiB, "MiB"))
}

// funcs are the template's helpers.
var funcs = template.FuncMap{
	"dur":     dur,
	"stat":    stat,
	"statMs":  statMs,
	"statMiB": func(s Stat) string { return statUnit(s, "MiB") },
	"f2":      func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) },
	"f1":      func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	"mib":     func(kib int64) string { return strconv.FormatFloat(float64(kib)/1024, 'f', 0, 64) },
	"thou":    thou,
	"mb":      func(b float64) string { return strconv.FormatFloat(b/1e6, 'f', 1, 64) },
	"ns":      func(s Stat) string { return dur(time.Duration(s.Median)) },
	"took":    took,
	"ints":    joinInts,
	"row":     func(cells []string) string { return "| " + strings.Join(cells, " | ") + " |" },
	"rule":    func(cells []string) string { return "|" + strings.Repeat("---:|", len(cells)) },
}

// dur prints a duration with three significant digits: 34.2 ms, 1.23 s.
func dur(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d >= time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s"
	case d >= 100*time.Millisecond:
		return strconv.FormatFloat(ms(d), 'f', 0, 64) + " ms"
	case d >= 10*time.Millisecond:
		return strings.TrimSuffix(strconv.FormatFloat(ms(d), 'f', 1, 64), ".0") + " ms"
	default:
		return strconv.FormatFloat(ms(d), 'f', 2, 64) + " ms"
	}
}

// stat prints a metric's median and, over runs that differ, its range.
func stat(s Stat) string {
	if s.N == 0 {
		return "—"
	}
	out := short(s.Median)
	if s.N > 1 && short(s.Min) != short(s.Max) {
		out += " (" + short(s.Min) + "–" + short(s.Max) + ")"
	}
	return out
}

// statMs is stat in milliseconds: 88.4 ms (40.0–98.0).
func statMs(s Stat) string { return statUnit(s, "ms") }

// statUnit is stat with the unit after the median.
func statUnit(s Stat, unit string) string {
	if s.N == 0 {
		return "—"
	}
	med, rng, _ := strings.Cut(stat(s), " ")
	return strings.TrimSpace(med + " " + unit + " " + rng)
}

// short prints a figure with about three significant digits.
func short(v float64) string {
	switch a := v; {
	case a >= 1000:
		return thousands(int64(v + 0.5))
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// thousands prints n with comma separators: 87,470.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// thou prints a whole number with comma separators.
func thou(v any) string {
	switch x := v.(type) {
	case int:
		return thousands(int64(x))
	case int64:
		return thousands(x)
	case uint64:
		return thousands(int64(x))
	case float64:
		return thousands(int64(math.Round(x)))
	default:
		return fmt.Sprint(v)
	}
}

// took prints a run's length: 9 min 12 s.
func took(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return d.String()
	}
	return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
}
