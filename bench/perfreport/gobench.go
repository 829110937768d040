package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Runs holds each benchmark's results, one map of metrics (unit → value)
// per run, by name without the "Benchmark" prefix and GOMAXPROCS suffix,
// and the names in the order they first ran.
type Runs struct {
	By    map[string][]map[string]float64
	Order []string
}

// Stat is a metric over repeated runs.
type Stat struct {
	Median, Min, Max float64
	N                int // runs; 0 when the metric was not measured
}

// Stat summarizes one metric of one benchmark.
func (r Runs) Stat(name, unit string) Stat {
	var vs []float64
	for _, m := range r.By[name] {
		if v, ok := m[unit]; ok {
			vs = append(vs, v)
		}
	}
	return statOf(vs)
}

func statOf(vs []float64) Stat {
	if len(vs) == 0 {
		return Stat{}
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Stat{Median: med, Min: s[0], Max: s[len(s)-1], N: len(s)}
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parseBench reads `go test -bench` output: lines of a name, an iteration
// count and value-unit pairs. Other lines are ignored.
func parseBench(r io.Reader) Runs {
	out := Runs{By: map[string][]map[string]float64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		m := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				m[f[i+1]] = v
			}
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		if _, ok := out.By[name]; !ok {
			out.Order = append(out.Order, name)
		}
		out.By[name] = append(out.By[name], m)
	}
	return out
}

// goBench runs `go test -run '^$' -bench pattern` with args over pkgs,
// passes the output to stderr as it comes, and parses it. It returns the
// command line for the report. A failing run still returns what it
// measured.
func goBench(ctx context.Context, root, pattern string, args []string, pkgs ...string) (Runs, string, error) {
	full := append([]string{"test", "-run", "^$", "-bench", pattern, "-p", "1"}, args...)
	full = append(full, pkgs...)
	line := "go " + shellJoin(full)
	fmt.Fprintln(os.Stderr, "perfreport:", line)
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", full...)
	cmd.Dir = root
	cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
	cmd.Stderr = io.MultiWriter(&buf, os.Stderr)
	err := cmd.Run()
	runs := parseBench(&buf)
	if err != nil {
		return runs, line, fmt.Errorf("%s: %w%s", line, err, lastLines(buf.String(), 5))
	}
	return runs, line, nil
}

// shellJoin quotes the arguments that a shell would split or expand.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = a
		if a == "" || strings.ContainsAny(a, " $^|*?()[]'\"\\") {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}

// lastLines returns the last n non-empty lines of s, for error messages.
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return ": " + strings.Join(lines[max(0, len(lines)-n):], " | ")
}
