// Command opabench times vnetdrift against the same checks written in Rego
// and evaluated by OPA (bench/opa/policy), on synthetic hub-and-spoke
// estates with injected drift, and checks that both report the same
// findings on the rules they share. It prints a Markdown table, or with
// -json a JSON array of rows (see row for the field names).
//
//	cd bench/opa && go run ./cmd/opabench -vnets 1000,10000,50000 -runs 3 -json
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

type options struct {
	sizes      []int
	runs       int
	json       bool
	opaMax     int
	opaTimeout time.Duration
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "opabench:", err)
		os.Exit(2)
	}
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "opabench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("opabench", flag.ContinueOnError)
	sizes := fs.String("vnets", "1000,10000,50000", "comma-separated estate sizes (VNets)")
	o := options{}
	fs.IntVar(&o.runs, "runs", 3, "runs per measurement; the best is reported")
	fs.BoolVar(&o.json, "json", false, "print a JSON array instead of a Markdown table")
	fs.IntVar(&o.opaMax, "opa-max", 0, "skip OPA on estates of more VNets than this (0: never skip)")
	fs.DurationVar(&o.opaTimeout, "opa-timeout", 5*time.Minute, "give up on OPA for a size when one evaluation takes longer")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.runs < 1 {
		return o, fmt.Errorf("-runs %d: want at least 1", o.runs)
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 2 {
			return o, fmt.Errorf("-vnets: bad size %q: want an integer of at least 2", s)
		}
		o.sizes = append(o.sizes, n)
	}
	return o, nil
}
