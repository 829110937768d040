package remediate

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// localGatewayStale sets the prefixes of a local network gateway that
// stands for a VNet to that VNet's current address space.
func (pl planner) localGatewayStale(f detector.Finding) []Action {
	l := pl.e.LocalGateways[estate.KeyOf(f.ResourceID)]
	if l == nil {
		return []Action{skip(f, "the local network gateway is not in the estate")}
	}
	v := pl.represented(l)
	if v == nil || len(v.Prefixes) == 0 {
		return []Action{skip(f, "the VNet this local network gateway stands for is not in the estate")}
	}
	a := newAction(f, KindLocalGatewayPrefixes, l.ID, localGatewayOfEstate(l, v.Prefixes), nil)
	a.Before, a.After = "addressPrefixes="+joinPrefixes(l.Prefixes), "addressPrefixes="+joinPrefixes(v.Prefixes)
	a.Reason = fmt.Sprintf("local network gateway %s stands for VNet %s, whose address space is now %s: set its prefixes to match, other settings unchanged",
		l.Name, v.Name, joinPrefixes(v.Prefixes))
	return []Action{a}
}

// represented returns the VNet a local network gateway stands for: the
// baseline's represents, else the VNet whose VPN gateway owns its address.
func (pl planner) represented(l *estate.LocalGateway) *estate.VNet {
	if bl := pl.b.LocalGateway(l.Key); bl != nil && bl.RepresentsKey != "" {
		return pl.e.VNets[bl.RepresentsKey]
	}
	addr, err := netip.ParseAddr(strings.TrimSpace(l.GatewayIP))
	if err != nil {
		return nil
	}
	for _, g := range estate.SortedValues(pl.e.Gateways) {
		for _, id := range g.PublicIPIDs {
			if pip := pl.e.PublicIPs[estate.KeyOf(id)]; pip != nil && pip.Addr == addr.Unmap() {
				return pl.e.VNets[g.VNetKey]
			}
		}
	}
	return nil
}

// gatewaySettings sets activeActive and enableBgp, only with
// allowDisruptive on the baseline gateway and only when nothing else
// differs.
func (pl planner) gatewaySettings(f detector.Finding) []Action {
	g := pl.e.Gateways[estate.KeyOf(f.ResourceID)]
	if g == nil {
		return []Action{skip(f, "the gateway is not in the estate")}
	}
	bv := pl.b.VNet(g.VNetKey)
	if bv == nil || bv.Gateway == nil {
		return []Action{skip(f, "the baseline declares no gateway for this VNet")}
	}
	bg := bv.Gateway
	if !bg.AllowDisruptive {
		return []Action{skip(f, "changing activeActive or enableBgp takes long and can interrupt tunnels: set allowDisruptive: true on the baseline gateway to allow it")}
	}
	if other := otherGatewayDiffs(bg, g); len(other) > 0 {
		return []Action{skip(f, "the gateway also differs in "+strings.Join(other, ", ")+", which is never changed automatically")}
	}
	aa, bgp := orBool(bg.ActiveActive, g.ActiveActive), orBool(bg.EnableBGP, g.EnableBGP)
	body := armnetwork.VirtualNetworkGateway{Location: to.Ptr(g.Location), Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
		Active: to.Ptr(aa), EnableBgp: to.Ptr(bgp),
	}}
	a := newAction(f, KindGatewaySettings, g.ID, body, nil)
	a.Before = fmt.Sprintf("activeActive=%t, enableBgp=%t", g.ActiveActive, g.EnableBGP)
	a.After = fmt.Sprintf("activeActive=%t, enableBgp=%t", aa, bgp)
	a.Reason = fmt.Sprintf("gateway %s differs from the baseline (%s) and the baseline allows disruptive changes: "+
		"the current gateway is written back with activeActive and enableBgp changed (this takes long and can interrupt tunnels)", g.Name, f.Actual)
	a.LockVNet = g.VNetID
	return []Action{a}
}

// otherGatewayDiffs lists the declared settings other than activeActive and
// enableBgp that differ.
func otherGatewayDiffs(bg *baseline.Gateway, g *estate.Gateway) []string {
	var out []string
	text := func(field, want, got string) {
		if want != "" && !strings.EqualFold(want, got) {
			out = append(out, field)
		}
	}
	text("gatewayType", bg.GatewayType, cmpOrString(g.GatewayType, "Vpn"))
	text("vpnType", bg.VPNType, g.VPNType)
	text("sku", bg.SKU, g.SKU)
	text("vpnGatewayGeneration", bg.Generation, g.Generation)
	if bg.ASN != nil && *bg.ASN != g.ASN {
		out = append(out, "asn")
	}
	return out
}

func orBool(v *bool, d bool) bool {
	if v != nil {
		return *v
	}
	return d
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
