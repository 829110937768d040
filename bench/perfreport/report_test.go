package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is a report as a full run would produce it.
func fixture(t *testing.T) Report {
	t.Helper()
	runs := parseBench(strings.NewReader(benchOutput + `
BenchmarkEventBurst/webhook/batch=500/conc=20-2        	       3	 449904423 ns/op	         1.000 evals	     22271 events/s	       446.3 p50-ms	       449.0 p99-ms	         1.080 reads/vnet
BenchmarkEventBurst/webhook/batch=1/conc=500-2         	       1	6296722255 ns/op	        20.00 evals	      1588 events/s	       310.5 p50-ms	       394.5 p99-ms	        21.57 reads/vnet
BenchmarkServeStartup-2                                	      92	  15101242 ns/op	        20.63 idle-RSS-MiB	        35.11 max-ms	        10.71 p50-ms
BenchmarkEvaluate/no-baseline-2         	      12	  95000000 ns/op	33000000 B/op	   79742 allocs/op
BenchmarkLoad/fast/vnets=1000-2         	      20	  54000000 ns/op	 8400000 B/op	   81147 allocs/op
BenchmarkLoad/sdk/vnets=1000-2          	       2	 540000000 ns/op	41500000 B/op	  465002 allocs/op
`))
	scanRows := rowsGrowing(linear, nLogN, 1000, 10000, 50000)
	r := Report{
		Machine: Machine{Date: "2026-03-01 10:00 UTC", CPU: "AMD EPYC", Cores: 2, MemGiB: 23.5, OS: "linux/amd64", Go: "go1.26.8",
			LoadStart: "0.50 / 0.40 / 0.30", LoadEnd: "1.50 / 0.90 / 0.50"},
		Took: 9*time.Minute + 12*time.Second, Make: "make bench", Sizes: []int{1000, 10000, 50000}, Runs: 3, Count: 3,
		Scan:     ScanSection{Command: "go run ./bench/scanbench", Rows: scanRows, Scaling: scaling(scanRows)},
		Micro:    MicroSection{Command: "go test micro", Evaluate: microRows(runs, "Evaluate/"), Load: microRows(runs, "Load/")},
		Events:   eventSection(runs),
		OPA:      OPASection{Dir: "bench/opa", Absent: true, Command: "cd bench/opa && go run ./cmd/opabench"},
		PlotPath: "img/scan-scaling.svg", Settle: 50 * time.Millisecond, Window: 250 * time.Millisecond, LoneVNets: 4,
	}
	r.Events.Command = "go test events"
	r.Goals = goals(r)
	return r
}

func goalByPrefix(t *testing.T, gs []Goal, prefix string) Goal {
	t.Helper()
	for _, g := range gs {
		if strings.HasPrefix(g.What, prefix) {
			return g
		}
	}
	t.Fatalf("no goal %q in %v", prefix, gs)
	return Goal{}
}

func TestGoals(t *testing.T) {
	r := fixture(t)
	cases := []struct{ prefix, measured, status string }{
		{"offline scan", "1.25", "met"},
		{"ARM reads per affected VNet, burst, in-process", "1.62 (1.08–2.16)", "**not met**"},
		{"ARM reads per affected VNet, burst, webhook", "1.08", "met"},
		{"ARM reads per affected VNet, burst, one event", "21.6", "**not met**"},
		{"decision latency p99, lone changes", "96.0 ms (45.0–120)", "**not met**"},
		{"decision latency p99, burst, in-process", "267 ms (224–310)", "**not met**"},
		{"cold start", "10.7 ms", "met"},
		{"idle RSS", "21.6 MB = 20.6 MiB", "met"},
	}
	for _, tc := range cases {
		t.Run(tc.prefix, func(t *testing.T) {
			g := goalByPrefix(t, r.Goals, tc.prefix)
			assert.Equal(t, tc.measured, g.Measured)
			assert.Equal(t, tc.status, g.Status)
		})
	}
}

func TestGoalsNotMeasured(t *testing.T) {
	g := goals(Report{Scan: ScanSection{Rows: rowsGrowing(linear, linear, 1000, 2000)}, Events: eventSection(Runs{})})
	assert.Equal(t, "not measured", goalByPrefix(t, g, "offline scan").Status, "no 10,000-VNet estate")
	assert.Equal(t, "not measured", goalByPrefix(t, g, "cold start").Status)
	assert.Equal(t, "not measured", goalByPrefix(t, g, "decision latency p99, lone").Status)
}

func TestRender(t *testing.T) {
	r := fixture(t)
	md, err := render(r)
	require.NoError(t, err)
	out := string(md)
	for _, want := range []string{
		"| CPU | AMD EPYC, 2 cores |", "9 min 12 s", "0.50 / 0.40 / 0.30 at the start",
		"| 50,000 |", "### Scaling", "![Scan time vs estate size", "(img/scan-scaling.svg)",
		"takes\n10.0× the fast path's time at 1,000 VNets (*Decode", "| no-baseline | 95 ms | 33.0 MB | 79,742 |",
		"Not run: `bench/opa/cmd/opabench` is not in this tree.",
		"settle 50 ms, window\n250 ms", "| 258 ms (215–300) | 267 ms (224–310) | **not met** |",
	} {
		assert.Contains(t, out, want)
	}
	assert.Contains(t, out, "| 10.7 ms | 35.1 ms | met | 20.6 MiB | met |")
	assert.NotContains(t, out, "<no value>")
	assert.NotContains(t, out, "%!")
}

func TestRenderFailures(t *testing.T) {
	r := fixture(t)
	r.OPA = OPASection{Dir: "bench/opa", Err: "exit status 1: rego: boom"}
	r.Scan = ScanSection{Command: "go run ./bench/scanbench", Err: "scanbench: exit status 2"}
	md, err := render(r)
	require.NoError(t, err)
	assert.Contains(t, string(md), "**The comparison failed**, so it has no figures in this report: `exit status 1: rego: boom`")
	assert.Contains(t, string(md), "**The scan measurement failed:** `scanbench: exit status 2`")
	assert.NotContains(t, string(md), "### Scaling")
}

func TestRenderOPATable(t *testing.T) {
	r := fixture(t)
	cols, rows, recs, err := opaTable([]byte(opaJSON))
	require.NoError(t, err)
	r.OPA = OPASection{Dir: "bench/opa", Columns: cols, Rows: rows, Records: recs}
	md, err := render(r)
	require.NoError(t, err)
	assert.Contains(t, string(md), "| VNets | eval ms: vnetdrift / OPA |")
	assert.Contains(t, string(md), "|---:|---:|")
	assert.Contains(t, string(md), "| 1000 | 8.73 / 127 |")
	assert.Contains(t, string(md), "OPA 1.22.2; query prepared once")
	assert.Contains(t, string(md), "The plot above shows OPA's")
}

func TestWriteOutputs(t *testing.T) {
	root := t.TempDir()
	r := fixture(t)
	o := options{root: root, out: "docs/PERFORMANCE.md", svg: "docs/img/scan-scaling.svg"}
	require.NoError(t, writeOutputs(o, r))
	md, err := os.ReadFile(filepath.Join(root, "docs", "PERFORMANCE.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "# Performance")
	svg, err := os.ReadFile(filepath.Join(root, "docs", "img", "scan-scaling.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(svg), "<svg")
}

func TestMakeCommand(t *testing.T) {
	assert.Equal(t, "make bench", makeCommand(options{sizes: []int{1000, 10000, 50000}, runs: 3, count: 3}))
	assert.Equal(t, "make bench BENCH_SIZES=1000,10000 BENCH_COUNT=1", makeCommand(options{sizes: []int{1000, 10000}, runs: 3, count: 1}))
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-sizes", "1000,10000", "-runs", "2"})
	require.NoError(t, err)
	assert.Equal(t, []int{1000, 10000}, o.sizes)
	assert.Equal(t, 2, o.runs)
	assert.Equal(t, "docs/PERFORMANCE.md", o.out)
	_, err = parseFlags([]string{"-count", "0"})
	assert.ErrorContains(t, err, "at least 1")
	_, err = parseFlags([]string{"-sizes", "big"})
	assert.ErrorContains(t, err, "estate size")
}

func TestFormatting(t *testing.T) {
	assert.Equal(t, "87,470", thousands(87470))
	assert.Equal(t, "-1,000", thousands(-1000))
	assert.Equal(t, "999", thousands(999))
	assert.Equal(t, "1.23 s", dur(1234*time.Millisecond))
	assert.Equal(t, "50 ms", dur(50*time.Millisecond))
	assert.Equal(t, "34.2 ms", dur(34200*time.Microsecond))
	assert.Equal(t, "8.98 ms", dur(8980*time.Microsecond))
	assert.Equal(t, "—", dur(0))
	assert.Equal(t, "42s", took(42*time.Second))
	assert.Equal(t, "—", stat(Stat{}))
	assert.Equal(t, "1.08", stat(Stat{Median: 1.08, Min: 1.08, Max: 1.08, N: 3}), "no range when the runs agree")
}
