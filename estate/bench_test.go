package estate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/synth"
)

// synthFile writes a synthetic hub-and-spoke estate.
func synthFile(tb testing.TB, spec synth.Spec) string {
	tb.Helper()
	data, err := synth.JSON(spec)
	require.NoError(tb, err)
	path := filepath.Join(tb.TempDir(), fmt.Sprintf("synth-%d.json", spec.VNets))
	require.NoError(tb, os.WriteFile(path, data, 0o600))
	return path
}

// BenchmarkLoad compares Load (the fast path) with the SDK path it
// replaces, ReadFile then Build.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		path := synthFile(b, synth.Spec{VNets: n})
		b.Run(fmt.Sprintf("fast/vnets=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := estate.LoadFast([]string{path}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("sdk/vnets=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				res, err := estate.ReadFile(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := estate.Build(res); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
