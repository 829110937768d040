package azure

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
)

func BenchmarkReadNeighbourhood(b *testing.B) {
	for _, target := range []string{spoke1ID, hubID} {
		b.Run(estate.LastSegment(target), func(b *testing.B) {
			r, _ := startEmulator(b, hubAndSpoke(), emulator.Options{}, nil)
			for b.Loop() {
				if _, err := r.ReadNeighbourhood(context.Background(), []string{target}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(r.Calls())/float64(b.N), "calls/op")
		})
	}
}

func BenchmarkReadAll(b *testing.B) {
	res := hubAndSpoke()
	for i := range 1100 {
		id := resID(subA, fmt.Sprintf("rg-%02d", i%20), estate.TypeVNet, fmt.Sprintf("many-%04d", i))
		res.VNets = append(res.VNets, vnet(id, fmt.Sprintf("10.%d.%d.0/24", 128+i/256, i%256), nil))
	}
	for _, path := range []struct {
		name string
		wrap func(http.Handler) http.Handler
	}{{"graph", nil}, {"arm", forbidGraph}} {
		b.Run(path.name, func(b *testing.B) {
			r, _ := startEmulator(b, res, emulator.Options{}, path.wrap)
			for b.Loop() {
				if _, err := r.ReadAll(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(r.Calls())/float64(b.N), "calls/op")
		})
	}
}
