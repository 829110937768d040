package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/open-policy-agent/opa/v1/version"

	opa "github.com/vnetdrift/vnetdrift/bench/opa"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/synth"
)

// row is one estate size. The JSON field names are a contract with the
// report generator (docs/PERFORMANCE.md): do not rename them.
type row struct {
	VNets    int `json:"vnets"`
	Peerings int `json:"peerings"`
	Gateways int `json:"gateways"`
	Runs     int `json:"runs"`
	// EstateMiB is the ARM file vnetdrift reads, InputMiB the Rego input.
	EstateMiB float64 `json:"estateMiB"`
	InputMiB  float64 `json:"inputMiB"`

	// Best of Runs, in milliseconds: wall clock (Ms) and the CPU time of
	// the whole process, every thread (CPUMs), which other load on the
	// machine disturbs less. Eval: detector.Evaluate on a built estate vs
	// OPA's prepared query on a parsed input (the headline comparison).
	// Scan: from files: estate.Load + baseline.Parse + Evaluate vs reading
	// and parsing the input JSON + Eval.
	VnetdriftEvalMs    float64 `json:"vnetdriftEvalMs"`
	VnetdriftEvalCPUMs float64 `json:"vnetdriftEvalCpuMs"`
	VnetdriftScanMs    float64 `json:"vnetdriftScanMs"`
	VnetdriftScanCPUMs float64 `json:"vnetdriftScanCpuMs"`
	OPAPrepareMs       float64 `json:"opaPrepareMs"`
	OPAEvalMs          float64 `json:"opaEvalMs"`
	OPAEvalCPUMs       float64 `json:"opaEvalCpuMs"`
	OPAScanMs          float64 `json:"opaScanMs"`
	OPAScanCPUMs       float64 `json:"opaScanCpuMs"`
	// Ratios OPA / vnetdrift; EvalRatio is the headline.
	EvalRatio    float64 `json:"evalRatio"`
	EvalCPURatio float64 `json:"evalCpuRatio"`
	ScanRatio    float64 `json:"scanRatio"`
	ScanCPURatio float64 `json:"scanCpuRatio"`
	// Heap allocated by one evaluation, MiB.
	VnetdriftEvalAllocMiB float64 `json:"vnetdriftEvalAllocMiB"`
	OPAEvalAllocMiB       float64 `json:"opaEvalAllocMiB"`

	Drift opa.Drift `json:"drift"`
	// Findings of every vnetdrift rule; counts per shared rule ID.
	VnetdriftFindings int        `json:"vnetdriftFindings"`
	VnetdriftCounts   opa.Counts `json:"vnetdriftCounts"`
	OPAViolations     int        `json:"opaViolations"`
	OPACounts         opa.Counts `json:"opaCounts"`
	// Agree: both tools report the same resources for the shared rules.
	Agree bool `json:"agree"`

	OPASkipped bool   `json:"opaSkipped"`
	SkipReason string `json:"skipReason,omitempty"`
	OPAVersion string `json:"opaVersion"`
	GoVersion  string `json:"goVersion"`
	CPUs       int    `json:"cpus"`
}

// measureSize builds the estate of n VNets, writes both tools' files to
// dir and times both.
func measureSize(o options, dir string, n int) (row, error) {
	res := synth.Generate(synth.Spec{VNets: n})
	c, err := opa.NewCase(res, opa.DriftFor(n, len(res.Gateways)), opa.DefaultExpected())
	if err != nil {
		return row{}, err
	}
	r := row{VNets: c.VNets, Peerings: c.Peerings, Gateways: c.Gateways, Runs: o.runs, Drift: c.Drift,
		EstateMiB: mib(len(c.ARM)), InputMiB: mib(len(c.Input)),
		OPAVersion: version.Version, GoVersion: runtime.Version(), CPUs: runtime.NumCPU()}
	armPath, inputPath := filepath.Join(dir, fmt.Sprintf("estate-%d.json", n)), filepath.Join(dir, fmt.Sprintf("input-%d.json", n))
	if err := writeFiles(map[string][]byte{armPath: c.ARM, inputPath: c.Input}); err != nil {
		return row{}, err
	}
	fkeys, err := timeVnetdrift(o, c, armPath, &r)
	if err != nil {
		return row{}, err
	}
	if o.opaMax > 0 && n > o.opaMax {
		r.OPASkipped, r.SkipReason = true, fmt.Sprintf("%d VNets is above -opa-max %d", n, o.opaMax)
		return r, nil
	}
	vkeys, err := timeOPA(o, c, inputPath, &r)
	if err != nil {
		return row{}, err
	}
	if !r.OPASkipped {
		r.Agree = equal(fkeys, vkeys)
		r.EvalRatio, r.ScanRatio = ratio(r.OPAEvalMs, r.VnetdriftEvalMs), ratio(r.OPAScanMs, r.VnetdriftScanMs)
		r.EvalCPURatio, r.ScanCPURatio = ratio(r.OPAEvalCPUMs, r.VnetdriftEvalCPUMs), ratio(r.OPAScanCPUMs, r.VnetdriftScanCPUMs)
	}
	return r, nil
}

func timeVnetdrift(o options, c *opa.Case, armPath string, r *row) ([]string, error) {
	var fs []detector.Finding
	eval, err := best(o.runs, func() error {
		fs = opa.Evaluate(c.Estate, c.Baseline)
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys := opa.FindingKeys(fs)
	r.VnetdriftFindings, r.VnetdriftCounts = len(fs), opa.CountFindings(fs)
	scan, err := best(o.runs, func() error {
		fs, err := opa.Scan(armPath, c.BaselineYAML)
		if err == nil && !equal(opa.FindingKeys(fs), keys) {
			err = fmt.Errorf("%d VNets: scan from files and in-memory evaluation disagree", c.VNets)
		}
		return err
	})
	r.VnetdriftEvalMs, r.VnetdriftEvalCPUMs, r.VnetdriftEvalAllocMiB = ms(eval.wall), ms(eval.cpu), eval.allocMiB
	r.VnetdriftScanMs, r.VnetdriftScanCPUMs = ms(scan.wall), ms(scan.cpu)
	return keys, err
}

func timeOPA(o options, c *opa.Case, inputPath string, r *row) ([]string, error) {
	start := time.Now()
	pq, err := opa.Prepare(context.Background())
	if err != nil {
		return nil, err
	}
	r.OPAPrepareMs = ms(time.Since(start))
	var vs []opa.Violation
	eval, err := best(o.runs, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), o.opaTimeout)
		defer cancel()
		var evalErr error
		vs, evalErr = opa.Eval(ctx, pq, c.Value)
		return evalErr
	})
	if err != nil {
		r.OPASkipped, r.SkipReason = true, fmt.Sprintf("OPA gave up after -opa-timeout %s: %v", o.opaTimeout, err)
		return nil, nil
	}
	keys := opa.ViolationKeys(vs)
	r.OPAViolations, r.OPACounts = len(vs), opa.CountViolations(vs)
	scan, err := best(o.runs, func() error {
		data, err := os.ReadFile(inputPath)
		if err != nil {
			return fmt.Errorf("reading %s: %w", inputPath, err)
		}
		v, err := opa.ParseInput(data)
		if err != nil {
			return err
		}
		_, err = opa.Eval(context.Background(), pq, v)
		return err
	})
	r.OPAEvalMs, r.OPAEvalCPUMs, r.OPAEvalAllocMiB = ms(eval.wall), ms(eval.cpu), eval.allocMiB
	r.OPAScanMs, r.OPAScanCPUMs = ms(scan.wall), ms(scan.cpu)
	return keys, err
}

// timing is the best of several runs of one measurement.
type timing struct {
	wall, cpu time.Duration // shortest of the runs, each on its own
	allocMiB  float64       // heap allocated by the last run
}

// best runs f runs times, after a GC each, and keeps the shortest wall
// and the smallest CPU time.
func best(runs int, f func() error) (timing, error) {
	var t timing
	for range runs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start, cpu := time.Now(), cpuTime()
		if err := f(); err != nil {
			return t, err
		}
		d, c := time.Since(start), cpuTime()-cpu
		runtime.ReadMemStats(&after)
		if t.wall == 0 || d < t.wall {
			t.wall = d
		}
		if t.cpu == 0 || c < t.cpu {
			t.cpu = c
		}
		t.allocMiB = mib(int(after.TotalAlloc - before.TotalAlloc))
	}
	return t, nil
}

func writeFiles(files map[string][]byte) error {
	for path, data := range files {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return nil
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func mib(n int) float64 { return float64(n) / (1 << 20) }
