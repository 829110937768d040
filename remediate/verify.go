package remediate

import (
	"context"
	"fmt"
	"time"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// NeighbourhoodReader reads VNets and what the rules need around them;
// *azure.Reader implements it.
type NeighbourhoodReader interface {
	ReadNeighbourhood(ctx context.Context, vnetIDs []string) (*estate.Resources, error)
}

// LiveVerifier returns a VerifyFunc that re-reads the VNets' neighbourhood
// and evaluates it against b, scoped to those VNets. now nil is time.Now.
func LiveVerifier(r NeighbourhoodReader, b *baseline.Baseline, now func() time.Time) VerifyFunc {
	if now == nil {
		now = time.Now
	}
	return func(ctx context.Context, vnetIDs []string) ([]detector.Finding, error) {
		res, err := r.ReadNeighbourhood(ctx, vnetIDs)
		if err != nil {
			return nil, fmt.Errorf("re-reading %d VNets after remediation: %w", len(vnetIDs), err)
		}
		e, err := estate.Build(res)
		if err != nil {
			return nil, fmt.Errorf("re-reading %d VNets after remediation: %w", len(vnetIDs), err)
		}
		scope := make([]estate.Key, len(vnetIDs))
		for i, id := range vnetIDs {
			scope[i] = estate.KeyOf(id)
		}
		return detector.Evaluate(detector.Input{Baseline: b, Estate: e, Now: now().UTC(), Scope: scope}), nil
	}
}
