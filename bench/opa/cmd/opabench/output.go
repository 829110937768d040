package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	opa "github.com/vnetdrift/vnetdrift/bench/opa"
)

func run(o options, w io.Writer) error {
	dir, err := os.MkdirTemp("", "opabench")
	if err != nil {
		return fmt.Errorf("making a temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	rows := make([]row, 0, len(o.sizes))
	for _, n := range o.sizes {
		fmt.Fprintf(os.Stderr, "opabench: %d VNets...\n", n)
		r, err := measureSize(o, dir, n)
		if err != nil {
			return fmt.Errorf("%d VNets: %w", n, err)
		}
		rows = append(rows, r)
		runtime.GC()
	}
	if o.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	printTable(w, rows)
	return nil
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintf(w, "machine: %s/%s, %d CPUs, %s, OPA %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), rowsOPA(rows))
	fmt.Fprintln(w, "Times are the best of the runs: wall clock / CPU time of the process. Ratio: OPA / vnetdrift; eval is the headline.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| VNets | peerings | vnetdrift eval | OPA eval | ratio eval | vnetdrift scan | OPA scan | ratio scan | findings vnetdrift / OPA | agree |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
	for _, r := range rows {
		if r.OPASkipped {
			fmt.Fprintf(w, "| %d | %d | %s | skipped | — | %s | skipped | — | %d / — | — |\n", r.VNets, r.Peerings,
				pair(r.VnetdriftEvalMs, r.VnetdriftEvalCPUMs), pair(r.VnetdriftScanMs, r.VnetdriftScanCPUMs), r.VnetdriftCounts.Total())
			continue
		}
		fmt.Fprintf(w, "| %d | %d | %s | %s | %.1f× / %.1f× | %s | %s | %.1f× / %.1f× | %d / %d | %s |\n", r.VNets, r.Peerings,
			pair(r.VnetdriftEvalMs, r.VnetdriftEvalCPUMs), pair(r.OPAEvalMs, r.OPAEvalCPUMs), r.EvalRatio, r.EvalCPURatio,
			pair(r.VnetdriftScanMs, r.VnetdriftScanCPUMs), pair(r.OPAScanMs, r.OPAScanCPUMs), r.ScanRatio, r.ScanCPURatio,
			r.VnetdriftCounts.Total(), r.OPACounts.Total(), yes(r.Agree))
	}
	for _, r := range rows {
		if r.OPASkipped {
			fmt.Fprintf(w, "\nOPA skipped at %d VNets: %s\n", r.VNets, r.SkipReason)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "shared rules:", strings.Join(opa.Rules, ", "))
}

func rowsOPA(rows []row) string {
	if len(rows) > 0 {
		return rows[0].OPAVersion
	}
	return ""
}

// pair formats a wall clock and a CPU time in milliseconds.
func pair(wall, cpu float64) string { return fmt.Sprintf("%.0f / %.0f ms", wall, cpu) }

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
