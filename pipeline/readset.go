package pipeline

import (
	"context"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// readNeighbourhood reads what evaluating the scoped VNets needs: their
// neighbourhood (what the current state links them to: peers, gateways,
// connections), then, in a second read, the remote VNets their baseline
// peerings declare that the first read did not reach — the remote side of
// a deleted peering, so that both halves are judged from fresh state. The
// second read is rare: normally every declared remote is still peered.
// Passing the declared remotes as targets of the first read instead would
// expand each of them too: a hub's every spoke, for a change to one spoke.
func readNeighbourhood(ctx context.Context, r Reader, b *baseline.Baseline, scope []string) (*estate.Resources, error) {
	res, err := r.ReadNeighbourhood(ctx, scope)
	if err != nil {
		return nil, err
	}
	missing := unreadRemotes(b, scope, res)
	if len(missing) == 0 {
		return res, nil
	}
	more, err := r.ReadNeighbourhood(ctx, missing)
	if err != nil {
		return nil, err
	}
	res.Merge(more)
	return res, nil
}

// unreadRemotes returns the remote VNets the baseline declares for the
// scoped VNets that are not in res, each once.
func unreadRemotes(b *baseline.Baseline, scope []string, res *estate.Resources) []string {
	if b == nil {
		return nil
	}
	read := map[estate.Key]bool{}
	for _, v := range res.VNets {
		if v != nil && v.ID != nil {
			read[estate.KeyOf(*v.ID)] = true
		}
	}
	var out []string
	for _, id := range scope {
		v := b.VNet(estate.KeyOf(id))
		if v == nil {
			continue
		}
		for _, p := range v.Peerings {
			if k := estate.KeyOf(p.Remote); !read[k] {
				read[k] = true
				out = append(out, p.Remote)
			}
		}
	}
	return out
}
