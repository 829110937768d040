package state

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// benchFindings returns n findings spread over VNets of 10 findings each.
func benchFindings(n int) []detector.Finding {
	out := make([]detector.Finding, 0, n)
	for i := range n {
		f := fnd(fmt.Sprintf("vnet%03d", i/10), "PEERING_MISSING")
		f.Fingerprint = detector.Fingerprint(f.Rule, f.ResourceID, fmt.Sprint(i))
		out = append(out, f)
	}
	return out
}

// benchStores are the stores a benchmark runs against; the Table store
// only with Azurite.
func benchStores(b *testing.B) map[string]func() alert.State {
	m := map[string]func() alert.State{"memory": func() alert.State { return NewMemory() }}
	if os.Getenv(azuriteEnv) != "" {
		m["table"] = func() alert.State {
			svc := azurite(b)
			st, err := NewTable(context.Background(), svc, newTableName(b, svc))
			if err != nil {
				b.Fatal(err)
			}
			return st
		}
	}
	return m
}

// BenchmarkRecordSteady is a reconcile sweep that finds the same open
// drifts again: reads only, no writes (lastSeen is fresh).
func BenchmarkRecordSteady(b *testing.B) {
	ctx := context.Background()
	for name, mk := range benchStores(b) {
		for _, n := range []int{100, 1000} {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				st, fs := mk(), benchFindings(n)
				items, err := st.Record(ctx, nil, fs, timer, alert.At(t0), time.Hour)
				if err != nil || len(items) != n {
					b.Fatal(err, len(items))
				}
				if err := st.Notified(ctx, items, t0); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for b.Loop() {
					if _, err := st.Record(ctx, nil, fs, timer, alert.At(t0.Add(time.Minute)), time.Hour); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRecordEvent is one event's evaluation: one VNet in scope whose
// 10 findings open, are notified and resolve.
func BenchmarkRecordEvent(b *testing.B) {
	ctx := context.Background()
	for name, mk := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			st := mk()
			fs := benchFindings(1000)
			if _, err := st.Record(ctx, nil, fs, timer, alert.At(t0), time.Hour); err != nil {
				b.Fatal(err)
			}
			scope, one := keys("vnet000"), fs[:10]
			now := t0
			b.ResetTimer()
			for b.Loop() {
				now = now.Add(time.Minute)
				for _, found := range [][]detector.Finding{one, nil} {
					items, err := st.Record(ctx, scope, found, alice, alert.At(now), time.Hour)
					if err != nil || len(items) != 10 {
						b.Fatal(err, len(items))
					}
					if err := st.Notified(ctx, items, now); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
