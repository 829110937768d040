package main

import (
	"context"
	"strings"
)

// MicroRow is one Go benchmark's time and allocations (medians over runs).
type MicroRow struct {
	Name                 string
	NsOp, BytesOp, Alloc Stat
}

// MicroSection holds the detector's and the decoder's benchmarks.
type MicroSection struct {
	Command  string
	Evaluate []MicroRow // detector.BenchmarkEvaluate, by case
	Load     []MicroRow // estate.BenchmarkLoad, by path and size
	Err      string
}

// measureMicro runs BenchmarkEvaluate (detector) and BenchmarkLoad (estate) once.
func measureMicro(ctx context.Context, root string) MicroSection {
	runs, line, err := goBench(ctx, root, "^(BenchmarkEvaluate|BenchmarkLoad)$", []string{"-benchmem"}, "./detector/", "./estate/")
	s := MicroSection{Command: line, Evaluate: microRows(runs, "Evaluate/"), Load: microRows(runs, "Load/")}
	if err != nil {
		s.Err = err.Error()
	}
	return s
}

// microRows returns the sub-benchmarks under prefix, in the order they ran.
func microRows(runs Runs, prefix string) []MicroRow {
	var out []MicroRow
	for _, n := range runs.Order {
		if !strings.HasPrefix(n, prefix) {
			continue
		}
		out = append(out, MicroRow{
			Name: strings.TrimPrefix(n, prefix),
			NsOp: runs.Stat(n, "ns/op"), BytesOp: runs.Stat(n, "B/op"), Alloc: runs.Stat(n, "allocs/op"),
		})
	}
	return out
}
