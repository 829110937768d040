package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/vnetdrift/vnetdrift/pipeline"
)

//go:embed report.md.tmpl
var reportTemplate string

// Report is everything the template renders.
type Report struct {
	Machine  Machine
	Took     time.Duration
	Make     string // the make command that reproduces the report
	Sizes    []int
	Runs     int
	Count    int
	Scan     ScanSection
	Micro    MicroSection
	Events   EventSection
	OPA      OPASection
	Goals    []Goal
	PlotPath string // the plot, relative to the report

	// The pipeline's coalescing defaults, as the benchmarks ran them.
	Settle, Window time.Duration
	LoneVNets      int
}

// Lone is the lone-change case of the event benchmarks.
func (r Report) Lone() EventRow { return r.Events.row("SingleChange") }

// InProcess is the in-process burst case.
func (r Report) InProcess() EventRow { return r.Events.row("EventBurst/in-process/handle=500x20") }

func (s EventSection) row(bench string) EventRow {
	for _, e := range s.Rows {
		if e.Bench == bench {
			return e
		}
	}
	return EventRow{Bench: bench}
}

// SDKRatio says how many times the fast path's time decoding through the
// SDK's model types takes, at each size BenchmarkLoad measured.
func (r Report) SDKRatio() string {
	ns := map[string]float64{}
	for _, l := range r.Micro.Load {
		ns[l.Name] = l.NsOp.Median
	}
	var parts []string
	for _, l := range r.Micro.Load {
		size, ok := strings.CutPrefix(l.Name, "sdk/vnets=")
		n, err := strconv.Atoi(size)
		if fast := ns["fast/vnets="+size]; ok && err == nil && fast > 0 {
			parts = append(parts, fmt.Sprintf("%.1f× at %s VNets", l.NsOp.Median/fast, thousands(int64(n))))
		}
	}
	if len(parts) == 0 {
		return "several times the fast path's time"
	}
	first, rest := parts[0], parts[1:]
	s := strings.Replace(first, "× at", "× the fast path's time at", 1)
	for _, p := range rest {
		s += " and " + p
	}
	return s
}

// Goal is one line of the summary.
type Goal struct {
	What, Target, Measured, Status string
}

// run measures everything, then writes the plot and the report. The
// report is written even when a measurement failed (that section says
// so); the error then says which.
func run(ctx context.Context, o options) error {
	start := time.Now()
	r := Report{Machine: readMachine(goVersion(o.root)), Sizes: o.sizes, Runs: o.runs, Count: o.count,
		Make: makeCommand(o), Settle: pipeline.DefaultSettle, Window: pipeline.DefaultCoalesceWindow,
		LoneVNets: pipeline.LoneChangeVNets}
	r.Scan = measureScan(ctx, o.root, o.sizes, o.runs)
	r.Micro = measureMicro(ctx, o.root)
	r.Events = measureEvents(ctx, o.root, o.count)
	r.OPA = measureOPA(ctx, o.root, o.opaDir, o.sizes, o.runs, o.opaTimeout)
	r.Machine.LoadEnd, r.Took = loadAvg(), time.Since(start).Round(time.Second)
	r.Goals = goals(r)
	if rel, err := filepath.Rel(filepath.Dir(o.out), o.svg); err == nil {
		r.PlotPath = filepath.ToSlash(rel)
	}
	if err := writeOutputs(o, r); err != nil {
		return err
	}
	var failed []string
	for _, e := range []string{r.Scan.Err, r.Micro.Err, r.Events.Err} {
		if e != "" {
			failed = append(failed, e)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%s written, but measurements failed: %s", o.out, strings.Join(failed, "; "))
	}
	return nil
}

// writeOutputs writes the plot (when the scan measured something) and
// the report.
func writeOutputs(o options, r Report) error {
	if len(r.Scan.Rows) > 0 {
		sub := fmt.Sprintf("%s, %d cores, %s, %s", r.Machine.CPU, r.Machine.Cores, r.Machine.Go, r.Machine.Date)
		svg := plotSVG("Offline scan time vs estate size", sub, scanSeries(r.Scan.Rows, r.OPA.ScanSeries()))
		if err := writeFile(under(o.root, o.svg), svg); err != nil {
			return err
		}
	}
	md, err := render(r)
	if err != nil {
		return err
	}
	return writeFile(under(o.root, o.out), md)
}

// under resolves a path relative to the repository root.
func under(root, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(root, path)
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating the directory of %s: %w", path, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	fmt.Fprintln(os.Stderr, "perfreport: wrote", path)
	return nil
}

// render executes the report template.
func render(r Report) ([]byte, error) {
	t, err := template.New("report").Funcs(funcs).Option("missingkey=error").Parse(reportTemplate)
	if err != nil {
		return nil, fmt.Errorf("parsing report.md.tmpl: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, r); err != nil {
		return nil, fmt.Errorf("rendering report.md.tmpl: %w", err)
	}
	return b.Bytes(), nil
}

// makeCommand is the make command line that gives these options.
func makeCommand(o options) string {
	s := "make bench"
	if joinInts(o.sizes) != "1000,10000,50000" {
		s += " BENCH_SIZES=" + joinInts(o.sizes)
	}
	if o.runs != 3 {
		s += " BENCH_RUNS=" + strconv.Itoa(o.runs)
	}
	if o.count != 3 {
		s += " BENCH_COUNT=" + strconv.Itoa(o.count)
	}
	return s
}
