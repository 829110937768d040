package opa

import (
	"context"
	"fmt"
	"testing"

	"github.com/vnetdrift/vnetdrift/synth"
)

// benchCase builds the estate cmd/opabench measures for n VNets.
func benchCase(b *testing.B, n int) *Case {
	b.Helper()
	res := synth.Generate(synth.Spec{VNets: n})
	c, err := NewCase(res, DriftFor(n, len(res.Gateways)), DefaultExpected())
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkEval times both evaluations on a built, in-memory estate:
// detector.Evaluate and OPA's prepared query on a parsed input.
func BenchmarkEval(b *testing.B) {
	pq, err := Prepare(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1_000, 10_000} {
		c := benchCase(b, n)
		b.Run(fmt.Sprintf("vnetdrift/vnets=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				Evaluate(c.Estate, c.Baseline)
			}
		})
		b.Run(fmt.Sprintf("opa/vnets=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := Eval(context.Background(), pq, c.Value); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
