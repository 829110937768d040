package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// OPASection is the OPA comparison: bench/opa's opabench output as a
// table, with its columns in the order opabench printed them.
type OPASection struct {
	Command string
	Dir     string
	Absent  bool   // bench/opa is not there (or -opa '')
	Err     string // it failed; the report says so
	Columns []string
	Rows    [][]string
	Records []map[string]any // opabench's rows, decoded
}

// measureOPA runs `go run ./cmd/opabench -vnets SIZES -runs RUNS -json` in dir.
func measureOPA(ctx context.Context, root, dir string, sizes []int, runs int, timeout time.Duration) OPASection {
	args := []string{"run", "./cmd/opabench", "-vnets", joinInts(sizes), "-runs", strconv.Itoa(runs), "-json"}
	s := OPASection{Dir: dir, Command: fmt.Sprintf("cd %s && go %s", dir, strings.Join(args, " "))}
	if dir == "" {
		s.Absent = true
		return s
	}
	if _, err := os.Stat(filepath.Join(root, dir, "cmd", "opabench")); err != nil {
		s.Absent = true
		return s
	}
	fmt.Fprintln(os.Stderr, "perfreport:", s.Command)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = filepath.Join(root, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() != nil {
		err = fmt.Errorf("no answer within %s: %w", timeout, ctx.Err())
	}
	if err != nil {
		s.Err = fmt.Sprintf("%v%s", err, lastLines(stderr.String(), 5))
		return s
	}
	if s.Columns, s.Rows, s.Records, err = opaTable(out); err != nil {
		s.Err = err.Error()
	}
	return s
}

// opaView is the columns the report shows of opabench's rows, each a
// label and the keys it joins with " / "; keys opabench does not print
// are left out. Unknown shapes get every column (opaTable).
var opaView = []struct {
	label string
	keys  []string
}{
	{"VNets", []string{"vnets"}},
	{"eval ms: vnetdrift / OPA", []string{"vnetdriftEvalMs", "opaEvalMs"}},
	{"OPA ÷ vnetdrift, eval (wall / CPU)", []string{"evalRatio", "evalCpuRatio"}},
	{"scan ms: vnetdrift / OPA", []string{"vnetdriftScanMs", "opaScanMs"}},
	{"OPA ÷ vnetdrift, scan (wall / CPU)", []string{"scanRatio", "scanCpuRatio"}},
	{"eval alloc MiB: vnetdrift / OPA", []string{"vnetdriftEvalAllocMiB", "opaEvalAllocMiB"}},
	{"findings: vnetdrift / OPA", []string{"vnetdriftFindings", "opaViolations"}},
	{"agree", []string{"agree"}},
	{"OPA skipped", []string{"skipReason"}},
}

// opaTable turns a JSON array of objects into a table: opaView's columns
// when opabench printed at least two of them, else every key in order of
// first appearance. It also returns the decoded objects.
func opaTable(data []byte) ([]string, [][]string, []map[string]any, error) {
	keys, objs, err := decodeObjects(data)
	if err != nil {
		return nil, nil, nil, err
	}
	cols, rows := viewTable(keys, objs)
	if len(cols) < 2 {
		cols, rows = keys, nil
		for _, o := range objs {
			row := make([]string, len(keys))
			for j, k := range keys {
				row[j] = cellOf(o, k)
			}
			rows = append(rows, row)
		}
	}
	return cols, rows, objs, nil
}

// viewTable applies opaView.
func viewTable(keys []string, objs []map[string]any) ([]string, [][]string) {
	have := map[string]bool{}
	for _, k := range keys {
		have[k] = true
	}
	var cols []string
	var picked [][]string
	for _, v := range opaView {
		var ks []string
		for _, k := range v.keys {
			if have[k] {
				ks = append(ks, k)
			}
		}
		if len(ks) == len(v.keys) {
			cols, picked = append(cols, v.label), append(picked, ks)
		}
	}
	rows := make([][]string, len(objs))
	for i, o := range objs {
		for _, ks := range picked {
			parts := make([]string, len(ks))
			for j, k := range ks {
				parts[j] = cellOf(o, k)
			}
			rows[i] = append(rows[i], strings.Join(parts, " / "))
		}
	}
	return cols, rows
}

func cellOf(o map[string]any, k string) string {
	v, ok := o[k]
	if !ok {
		return "—"
	}
	return cell(v)
}

// decodeObjects decodes a JSON array of objects and returns their keys in
// order of first appearance.
func decodeObjects(data []byte) ([]string, []map[string]any, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(data, &elems); err != nil {
		return nil, nil, fmt.Errorf("opabench output is not a JSON array: %w", err)
	}
	if len(elems) == 0 {
		return nil, nil, errors.New("opabench printed an empty array")
	}
	var keys []string
	seen := map[string]bool{}
	objs := make([]map[string]any, len(elems))
	for i, e := range elems {
		ks, err := objectKeys(e)
		if err != nil {
			return nil, nil, fmt.Errorf("opabench element %d: %w", i, err)
		}
		if err := json.Unmarshal(e, &objs[i]); err != nil {
			return nil, nil, fmt.Errorf("opabench element %d: %w", i, err)
		}
		for _, k := range ks {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys, objs, nil
}

// objectKeys returns a JSON object's keys in order.
func objectKeys(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, fmt.Errorf("value of %v: %w", t, err)
		}
		keys = append(keys, fmt.Sprint(t))
	}
	return keys, nil
}

// cell formats a JSON value for a Markdown table cell.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case float64:
		return number(x)
	case string:
		return strings.ReplaceAll(x, "|", `\|`)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return strings.ReplaceAll(string(b), "|", `\|`)
	}
}

// number prints whole numbers whole and others with three significant
// digits or more.
func number(x float64) string {
	switch a := math.Abs(x); {
	case x == math.Trunc(x) && a < 1e15:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(x, 'f', 2, 64)
	default:
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
}

// Info is what every row says the same way: OPA's version and the
// one-off cost of preparing the query.
func (s OPASection) Info() string {
	if len(s.Records) == 0 {
		return ""
	}
	var parts []string
	if v, ok := s.Records[0]["opaVersion"].(string); ok {
		parts = append(parts, "OPA "+v)
	}
	if v, ok := s.Records[0]["opaPrepareMs"].(float64); ok {
		parts = append(parts, "query prepared once in "+number(v)+" ms (at "+cellOf(s.Records[0], "vnets")+" VNets)")
	}
	return strings.Join(parts, "; ")
}

// ScanSeries is OPA's scan time by estate size for the plot, if opabench
// measured it.
func (s OPASection) ScanSeries() []Point {
	var out []Point
	for _, r := range s.Records {
		n, okN := r["vnets"].(float64)
		ms, okT := r["opaScanMs"].(float64)
		if skipped, _ := r["opaSkipped"].(bool); okN && okT && !skipped && ms > 0 {
			out = append(out, Point{VNets: int(n), Time: time.Duration(ms * float64(time.Millisecond))})
		}
	}
	return out
}
