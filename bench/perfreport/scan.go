package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Measured is one scanbench measurement (its JSON shape).
type Measured struct {
	Best    time.Duration `json:"best"`
	Allocs  uint64        `json:"allocs"`
	PeakKiB int64         `json:"peakKiB"`
}

// ScanRow is scanbench's measurement of one estate size.
type ScanRow struct {
	VNets     int      `json:"vnets"`
	Peerings  int      `json:"peerings"`
	FileBytes int      `json:"fileBytes"`
	Scan      Measured `json:"scan"`
	Decode    Measured `json:"decode"`
	Evaluate  Measured `json:"evaluate"`
}

// Ratio is the scan's time over the bare decode's.
func (r ScanRow) Ratio() float64 { return ratio(r.Scan.Best, r.Decode.Best) }

// FileMiB is the estate file's size.
func (r ScanRow) FileMiB() float64 { return float64(r.FileBytes) / (1 << 20) }

// Scaling is one row of the scaling table: time per n and per n log n,
// each divided by its value at the smallest size.
type Scaling struct {
	VNets                  int
	Scan, Evaluate         time.Duration
	ScanPerN, ScanPerNLogN float64
	EvalPerN, EvalPerNLogN float64
}

// ScanSection is the offline scan's part of the report.
type ScanSection struct {
	Command string
	Rows    []ScanRow
	Scaling []Scaling
	Err     string
}

// measureScan runs bench/scanbench in JSON mode.
func measureScan(ctx context.Context, root string, sizes []int, runs int) ScanSection {
	args := []string{"run", "./bench/scanbench", "-vnets", joinInts(sizes), "-runs", strconv.Itoa(runs), "-json"}
	s := ScanSection{Command: "go " + strings.Join(args, " ")}
	fmt.Fprintln(os.Stderr, "perfreport:", s.Command)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Stderr = root, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		s.Err = fmt.Sprintf("%s: %v", s.Command, err)
		return s
	}
	if s.Rows, err = decodeScan(out); err != nil {
		s.Err = err.Error()
		return s
	}
	s.Scaling = scaling(s.Rows)
	return s
}

func decodeScan(out []byte) ([]ScanRow, error) {
	var rows []ScanRow
	if err := json.NewDecoder(bytes.NewReader(out)).Decode(&rows); err != nil {
		return nil, fmt.Errorf("decoding scanbench's JSON output: %w", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("scanbench measured no estate size")
	}
	return rows, nil
}

// scaling normalizes each row's time per n and per n log n to the first
// (smallest) row: a column that stays near 1 as n grows is the order of
// growth; one that falls means slower growth.
func scaling(rows []ScanRow) []Scaling {
	if len(rows) == 0 {
		return nil
	}
	r0 := rows[0]
	out := make([]Scaling, len(rows))
	for i, r := range rows {
		out[i] = Scaling{
			VNets: r.VNets, Scan: r.Scan.Best, Evaluate: r.Evaluate.Best,
			ScanPerN:     perN(r.Scan.Best, r.VNets, r0.Scan.Best, r0.VNets, linear),
			ScanPerNLogN: perN(r.Scan.Best, r.VNets, r0.Scan.Best, r0.VNets, nLogN),
			EvalPerN:     perN(r.Evaluate.Best, r.VNets, r0.Evaluate.Best, r0.VNets, linear),
			EvalPerNLogN: perN(r.Evaluate.Best, r.VNets, r0.Evaluate.Best, r0.VNets, nLogN),
		}
	}
	return out
}

func linear(n int) float64 { return float64(n) }

func nLogN(n int) float64 { return float64(n) * math.Log(float64(n)) }

// perN is (t / f(n)) / (t0 / f(n0)); 0 when undefined.
func perN(t time.Duration, n int, t0 time.Duration, n0 int, f func(int) float64) float64 {
	if t0 <= 0 || n <= 1 || n0 <= 1 {
		return 0
	}
	return (float64(t) / f(n)) / (float64(t0) / f(n0))
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// parseSizes reads a comma-separated list of estate sizes.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 2 {
			return nil, fmt.Errorf("estate size %q: want a whole number of at least 2 VNets", f)
		}
		if len(out) > 0 && n <= out[len(out)-1] {
			return nil, fmt.Errorf("estate sizes %q: want increasing sizes", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
