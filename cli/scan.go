package cli

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/report"
)

type scanOptions struct {
	baseline string
	source   sourceFlags
	format   string
	failOn   string
	output   string
}

func runScan(env *Env, args []string) int {
	var o scanOptions
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.StringVar(&o.baseline, "baseline", "", "baseline YAML file (optional: without it only the rules that need no baseline run)")
	o.source.register(fs)
	fs.StringVar(&o.format, "format", "text", "output format: text, json or sarif")
	fs.StringVar(&o.failOn, "fail-on", "low", "exit 1 when a finding at or above this severity exists: low, medium or high")
	fs.StringVar(&o.output, "o", "", "write the report to this file instead of standard output")
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	format, err := report.ParseFormat(o.format)
	if err != nil {
		return fail(env, "scan", fmt.Errorf("--format: %w", err))
	}
	min, err := detector.ParseSeverity(o.failOn)
	if err != nil {
		return fail(env, "scan", fmt.Errorf("--fail-on: %w", err))
	}
	findings, vnets, err := scan(env, o)
	if err != nil {
		return fail(env, "scan", err)
	}
	if err := writeReport(env, o, format, findings, vnets); err != nil {
		return fail(env, "scan", err)
	}
	if report.Failing(findings, min) {
		return ExitDrift
	}
	return ExitOK
}

func scan(env *Env, o scanOptions) ([]detector.Finding, int, error) {
	var b *baseline.Baseline
	if o.baseline != "" {
		var err error
		if b, err = baseline.ReadFile(o.baseline); err != nil {
			return nil, 0, err
		}
	}
	est, err := o.source.load(env)
	if err != nil {
		return nil, 0, err
	}
	findings := detector.Evaluate(detector.Input{Baseline: b, Estate: est, Now: time.Now().UTC()})
	return findings, len(est.VNets), nil
}

func writeReport(env *Env, o scanOptions, format report.Format, findings []detector.Finding, vnets int) error {
	opt := report.Options{BaselinePath: o.baseline, VNets: vnets, Version: Version}
	if o.output == "" {
		return report.Write(env.Stdout, format, findings, opt)
	}
	f, err := os.Create(o.output)
	if err != nil {
		return fmt.Errorf("creating report file: %w", err)
	}
	if err := report.Write(f, format, findings, opt); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing report file: %w", err)
	}
	return nil
}
