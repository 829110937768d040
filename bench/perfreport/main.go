// Command perfreport runs vnetdrift's performance measurements and writes
// docs/PERFORMANCE.md (from report.md.tmpl) and the scan-scaling plot
// docs/img/scan-scaling.svg: the offline scan against a bare
// encoding/json decode at several estate sizes (bench/scanbench), the
// detector and decoder benchmarks, the event pipeline and start-up
// benchmarks of bench/, and the OPA comparison of the nested module
// bench/opa when it is there. `make bench` runs it from the repository
// root:
//
//	go run ./bench/perfreport -sizes 1000,10000,50000 -runs 3 -count 3
//
// With -gotest PATTERN it only runs the Go benchmarks matching PATTERN
// (go test -bench PATTERN -benchmem) over -pkgs, prints them and writes
// nothing: `go run ./bench/perfreport -gotest .` is the quick run of every
// benchmark.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// options are the command's flags.
type options struct {
	root, out, svg string
	sizes          []int
	runs, count    int
	opaDir         string
	opaTimeout     time.Duration
	gotest, pkgs   string
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "perfreport:", err)
		os.Exit(2)
	}
	if o.gotest != "" {
		os.Exit(goTestOnly(o))
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "perfreport:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("perfreport", flag.ContinueOnError)
	fs.StringVar(&o.root, "root", ".", "repository root (where go.mod is)")
	fs.StringVar(&o.out, "out", "docs/PERFORMANCE.md", "report to write, relative to -root")
	fs.StringVar(&o.svg, "svg", "docs/img/scan-scaling.svg", "plot to write, relative to -root")
	sizes := fs.String("sizes", "1000,10000,50000", "estate sizes in VNets, comma-separated")
	fs.IntVar(&o.runs, "runs", 3, "runs of each scan measurement (the best is reported)")
	fs.IntVar(&o.count, "count", 3, "runs of each event and start-up benchmark (go test -count)")
	fs.StringVar(&o.opaDir, "opa", "bench/opa", "the OPA comparison's module, relative to -root; '' skips it")
	fs.DurationVar(&o.opaTimeout, "opa-timeout", 8*time.Minute, "time limit of the OPA comparison")
	fs.StringVar(&o.gotest, "gotest", "", "only run the Go benchmarks matching this pattern, print them, write nothing")
	fs.StringVar(&o.pkgs, "pkgs", "./detector/ ./estate/ ./bench/", "packages for -gotest, space-separated")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.sizes, err = parseSizes(*sizes); err != nil {
		return o, err
	}
	if o.runs < 1 || o.count < 1 {
		return o, fmt.Errorf("-runs and -count must be at least 1, got %d and %d", o.runs, o.count)
	}
	return o, nil
}

// goTestOnly runs `go test -bench` and passes its output through.
func goTestOnly(o options) int {
	args := append([]string{"test", "-run", "^$", "-bench", o.gotest, "-benchmem", "-p", "1"}, strings.Fields(o.pkgs)...)
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = o.root, os.Stdout, os.Stderr
	fmt.Fprintln(os.Stderr, "perfreport: go", strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "perfreport:", err)
		return 1
	}
	return 0
}
