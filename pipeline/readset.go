package pipeline

import (
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// ReadSet returns the VNets to read to evaluate scope: the scoped VNets
// plus the remote VNets their baseline peerings declare. The reader adds
// what the current state links to (peerings, connections); the baseline
// adds what the state no longer links to — the remote side of a deleted
// peering — so that both halves are judged from fresh state.
func ReadSet(b *baseline.Baseline, scope []string) []string {
	seen := map[estate.Key]bool{}
	var out []string
	add := func(id string) {
		if k := estate.KeyOf(id); id != "" && !seen[k] {
			seen[k] = true
			out = append(out, id)
		}
	}
	for _, id := range scope {
		add(id)
	}
	for _, id := range scope {
		if v := b.VNet(estate.KeyOf(id)); v != nil {
			for _, p := range v.Peerings {
				add(p.Remote)
			}
		}
	}
	return out
}
