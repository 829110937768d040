package detector

import (
	"fmt"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// checkBaselinePeerings runs PEERING_MISSING, PEERING_SETTINGS_DRIFT and
// PEERING_UNEXPECTED.
func checkBaselinePeerings(ev *evaluator) {
	want := expectedHalves(ev)
	for h, decl := range want {
		local := ev.e.VNets[h.local]
		if local == nil || !ev.wants(h.local) || declaredButAbsent(ev, h.remote) {
			continue // a missing VNet is VNET_MISSING; an unknown one is never missing
		}
		p := ev.pairs[h]
		switch {
		case p == nil:
			peeringMissing(ev, local, h.remote, decl)
		case decl != nil:
			peeringSettingsDrift(ev, decl, p, ev.b.Defaults.Peering)
		}
	}
	for _, bv := range ev.b.VNets {
		if v := ev.e.VNets[bv.Key]; v != nil && ev.wants(v.Key) {
			peeringsUnexpected(ev, v, want)
		}
	}
}

// declaredButAbsent reports whether the baseline declares a VNet that the
// estate lacks: VNET_MISSING reports it, and its peerings are not reported
// a second time.
func declaredButAbsent(ev *evaluator, k estate.Key) bool {
	return ev.b.VNet(k) != nil && ev.e.VNets[k] == nil
}

// expectedHalves returns every peering half in scope that the baseline
// expects: each declared peering (with its declaration) and the reverse
// half of each (nil unless the remote VNet declares it too).
func expectedHalves(ev *evaluator) map[half]*baseline.Peering {
	want := map[half]*baseline.Peering{}
	for _, bv := range ev.b.VNets {
		for _, bp := range bv.Peerings {
			if ev.wants(bv.Key) {
				want[half{bv.Key, bp.RemoteKey}] = bp
			}
			rev := half{bp.RemoteKey, bv.Key}
			if _, ok := want[rev]; !ok && ev.wants(rev.local) {
				want[rev] = nil
			}
		}
	}
	return want
}

func peeringMissing(ev *evaluator, local *estate.VNet, remote estate.Key, decl *baseline.Peering) {
	remoteID := ev.vnetID(remote, string(remote))
	if decl != nil {
		remoteID = ev.vnetID(remote, decl.Remote)
	}
	msg := fmt.Sprintf("VNet %s has no peering to %s, which the baseline declares.", local.Name, name(remoteID))
	if decl == nil {
		msg = fmt.Sprintf("VNet %s has no peering back to %s, so the %s → %s peering the baseline declares cannot connect.",
			local.Name, name(remoteID), name(remoteID), local.Name)
	}
	ev.emit("peering:"+string(remote), Finding{
		Rule: RulePeeringMissing, ResourceID: local.ID, VNetID: local.ID, Message: msg,
		Expected: "peering to " + remoteID, Actual: "none",
	})
}

// resolveFlags fills the flags a baseline peering leaves nil from defaults.
func resolveFlags(f, defaults baseline.PeeringFlags) baseline.PeeringFlags {
	pick := func(v, d *bool) *bool {
		if v != nil {
			return v
		}
		return d
	}
	return baseline.PeeringFlags{
		AllowVirtualNetworkAccess: pick(f.AllowVirtualNetworkAccess, defaults.AllowVirtualNetworkAccess),
		AllowForwardedTraffic:     pick(f.AllowForwardedTraffic, defaults.AllowForwardedTraffic),
		AllowGatewayTransit:       pick(f.AllowGatewayTransit, defaults.AllowGatewayTransit),
		UseRemoteGateways:         pick(f.UseRemoteGateways, defaults.UseRemoteGateways),
	}
}

func peeringSettingsDrift(ev *evaluator, decl *baseline.Peering, p *estate.Peering, defaults baseline.PeeringFlags) {
	f := resolveFlags(decl.PeeringFlags, defaults)
	var d diffs
	d.flag("allowVirtualNetworkAccess", f.AllowVirtualNetworkAccess, p.AllowVirtualNetworkAccess)
	d.flag("allowForwardedTraffic", f.AllowForwardedTraffic, p.AllowForwardedTraffic)
	d.flag("allowGatewayTransit", f.AllowGatewayTransit, p.AllowGatewayTransit)
	d.flag("useRemoteGateways", f.UseRemoteGateways, p.UseRemoteGateways)
	if len(d) == 0 {
		return
	}
	ev.emit("flags", Finding{
		Rule: RulePeeringSettingsDrift, ResourceID: p.ID, VNetID: p.VNetID,
		Message:  fmt.Sprintf("Peering %s differs from the baseline: %s.", peeringLabel(p), d.describe()),
		Expected: d.expected(), Actual: d.actual(),
	})
}

func peeringsUnexpected(ev *evaluator, v *estate.VNet, want map[half]*baseline.Peering) {
	for _, p := range v.Peerings {
		if _, ok := want[half{v.Key, p.RemoteKey}]; ok {
			continue
		}
		ev.emit("peering", Finding{
			Rule: RulePeeringUnexpected, ResourceID: p.ID, VNetID: v.ID,
			Message:  fmt.Sprintf("Peering %s is not declared in the baseline.", peeringLabel(p)),
			Expected: "no peering to " + p.RemoteVNetID, Actual: "peering " + p.Name,
		})
	}
}

// peeringLabel names a peering and the VNets it joins: "hub-to-spoke (hub → spoke)".
func peeringLabel(p *estate.Peering) string {
	return fmt.Sprintf("%s (%s → %s)", p.Name, name(p.VNetID), name(p.RemoteVNetID))
}
