package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/synth"
)

var sizes = []int{1_000, 10_000}

func estateFile(b *testing.B, vnets int) string {
	b.Helper()
	data, err := synth.JSON(synth.Spec{VNets: vnets})
	require.NoError(b, err)
	path := filepath.Join(b.TempDir(), "estate.json")
	require.NoError(b, os.WriteFile(path, data, 0o600))
	b.SetBytes(int64(len(data)))
	return path
}

// BenchmarkScan measures a whole offline scan: read, decode with the SDK
// model types, normalize, index and evaluate every rule.
func BenchmarkScan(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("vnets=%d", n), func(b *testing.B) {
			path := estateFile(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				e, err := estate.Load(path)
				if err != nil {
					b.Fatal(err)
				}
				if f := detector.Evaluate(detector.Input{Estate: e, Now: time.Unix(0, 0)}); len(f) != 0 {
					b.Fatalf("synthetic estate has %d findings, want 0: %v", len(f), f[0])
				}
			}
		})
	}
}

// BenchmarkBareDecode is the yardstick: read the same file and decode it
// with encoding/json into generic values, doing nothing else.
func BenchmarkBareDecode(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("vnets=%d", n), func(b *testing.B) {
			path := estateFile(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				data, err := os.ReadFile(path)
				if err != nil {
					b.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
