package remediate

import (
	"testing"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// BenchmarkPlan plans the fixes of a drifted example estate (flags,
// sync, a Disconnected pair).
func BenchmarkPlan(b *testing.B) {
	bl, e := offline(b)
	e.Peerings[estate.KeyOf(hubToS1)].AllowForwardedTraffic = false
	e.Peerings[estate.KeyOf(neuToS3)].SyncLevel = "LocalAndRemoteNotInSync"
	remove(e, s2ToHub)
	e.Peerings[estate.KeyOf(hubToS2)].State = "Disconnected"
	findings := detector.Evaluate(detector.Input{Baseline: bl, Estate: e})
	b.ReportAllocs()
	for b.Loop() {
		if len(Plan(bl, e, findings, remediateAll)) == 0 {
			b.Fatal("no actions")
		}
	}
}
