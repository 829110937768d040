package detector

import (
	"github.com/vnetdrift/vnetdrift/estate"
)

// scopeSet returns the normalized scope, nil for every VNet.
func scopeSet(keys []estate.Key) map[estate.Key]bool {
	if keys == nil {
		return nil
	}
	s := make(map[estate.Key]bool, len(keys))
	for _, k := range keys {
		s[estate.KeyOf(string(k))] = true
	}
	return s
}

// wants reports whether findings of a VNet are in scope.
func (ev *evaluator) wants(vnet estate.Key) bool { return ev.scope == nil || ev.scope[vnet] }

// scopedVNets returns the estate's VNets in scope, in key order.
func scopedVNets(e *estate.Estate, scope map[estate.Key]bool) []*estate.VNet {
	if scope == nil {
		return estate.SortedValues(e.VNets)
	}
	in := map[estate.Key]*estate.VNet{}
	for k := range scope {
		if v := e.VNets[k]; v != nil {
			in[k] = v
		}
	}
	return estate.SortedValues(in)
}

// scopedPeerings returns, in key order, the peerings a scoped evaluation
// can look at: those from or to a VNet in scope, and the peerings that use
// the gateway of a hub whose gateway an in-scope VNet uses (the spokes
// that can reach it through that hub). Without a scope, every peering.
func scopedPeerings(e *estate.Estate, scope map[estate.Key]bool) []*estate.Peering {
	if scope == nil {
		return estate.SortedValues(e.Peerings)
	}
	in := map[estate.Key]*estate.Peering{}
	hubs := map[estate.Key]bool{}
	for k, p := range e.Peerings {
		if scope[p.VNetKey] || scope[p.RemoteKey] {
			in[k] = p
			if p.UseRemoteGateways && scope[p.VNetKey] {
				hubs[p.RemoteKey] = true
			}
		}
	}
	for hub := range hubs {
		for _, p := range e.PeeringsTo(hub) {
			if p.UseRemoteGateways {
				in[p.Key] = p
			}
		}
	}
	return estate.SortedValues(in)
}
