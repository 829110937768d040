package detector

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// vnetRef names a VNet that may be outside the estate.
type vnetRef struct {
	key estate.Key
	id  string
}

// representedVNets maps each local network gateway that stands for an
// Azure VNet to that VNet: the baseline's Represents, or else the VNet of
// the VPN gateway whose public IP is the local network gateway's address.
func representedVNets(ev *evaluator) map[estate.Key]vnetRef {
	byIP := map[netip.Addr]vnetRef{}
	for _, g := range ev.gateways {
		if g.VNetKey == "" || !strings.EqualFold(gatewayType(g), gatewayTypeVPN) {
			continue
		}
		for _, id := range g.PublicIPIDs {
			pip := ev.e.PublicIPs[estate.KeyOf(id)]
			if pip == nil || !pip.Addr.IsValid() {
				continue
			}
			if _, dup := byIP[pip.Addr]; !dup {
				byIP[pip.Addr] = vnetRef{g.VNetKey, ev.vnetID(g.VNetKey, g.VNetID)}
			}
		}
	}
	out := map[estate.Key]vnetRef{}
	for _, l := range ev.lngs {
		if bl := ev.b.LocalGateway(l.Key); bl != nil && bl.RepresentsKey != "" {
			out[l.Key] = vnetRef{bl.RepresentsKey, ev.vnetID(bl.RepresentsKey, bl.Represents)}
		} else if a, err := netip.ParseAddr(strings.TrimSpace(l.GatewayIP)); err == nil {
			if v, ok := byIP[a.Unmap()]; ok {
				out[l.Key] = v
			}
		}
	}
	return out
}

// localGatewayVNet returns the VNet a local network gateway's findings
// belong to: the first VNet (in ID order) whose gateway connects to it, or
// else the VNet it stands for; empty if neither is known.
func (ev *evaluator) localGatewayVNet(l *estate.LocalGateway) vnetRef {
	var best vnetRef
	for _, c := range ev.e.ConnectionsToLocalGateway(l.Key) {
		if k, id := ev.connectionVNet(c); k != "" && (best.key == "" || k < best.key) {
			best = vnetRef{k, id}
		}
	}
	if best.key != "" {
		return best
	}
	return ev.represented[l.Key]
}

// checkLocalGateways runs LOCAL_GATEWAY_STALE and LOCAL_GATEWAY_DRIFT.
func checkLocalGateways(ev *evaluator) {
	for _, l := range ev.lngs {
		vnet := ev.localGatewayVNet(l)
		if !ev.wants(vnet.key) {
			continue
		}
		localGatewayStale(ev, l, vnet.id)
		if bl := ev.b.LocalGateway(l.Key); bl != nil {
			localGatewayDrift(ev, bl, l, vnet.id)
		}
	}
}

// localGatewayStale reports a local network gateway that stands for a VNet
// but lists other prefixes than that VNet has now. One that uses BGP learns
// the routes and is not checked.
func localGatewayStale(ev *evaluator, l *estate.LocalGateway, vnetID string) {
	r, ok := ev.represented[l.Key]
	v := ev.e.VNets[r.key]
	if !ok || v == nil || l.ASN != 0 || l.BGPPeerIP != "" || samePrefixes(v.Prefixes, l.Prefixes) {
		return
	}
	ev.emit("prefixes", Finding{
		Rule: RuleLocalGatewayStale, ResourceID: l.ID, VNetID: vnetID,
		Message: fmt.Sprintf("Local network gateway %s stands for VNet %s but lists %s while %s now has %s, so update its address space: Site-to-Site routes do not follow address-space changes.",
			l.Name, v.Name, joinPrefixes(l.Prefixes), v.Name, joinPrefixes(v.Prefixes)),
		Expected: joinPrefixes(v.Prefixes), Actual: joinPrefixes(l.Prefixes),
	})
}

func localGatewayDrift(ev *evaluator, bl *baseline.LocalGateway, l *estate.LocalGateway, vnetID string) {
	var d diffs
	d.prefixes("addressPrefixes", bl.Prefixes, l.Prefixes)
	d.address("gatewayIpAddress", bl.GatewayIP, l.GatewayIP)
	d.number("bgpAsn", bl.ASN, l.ASN)
	d.address("bgpPeeringAddress", bl.BGPPeerIP, l.BGPPeerIP)
	if len(d) == 0 {
		return
	}
	ev.emit("settings", Finding{
		Rule: RuleLocalGatewayDrift, ResourceID: l.ID, VNetID: vnetID,
		Message:  fmt.Sprintf("Local network gateway %s differs from the baseline: %s.", l.Name, d.describe()),
		Expected: d.expected(), Actual: d.actual(),
	})
}
