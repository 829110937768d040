package baseline

import (
	"fmt"
	"net/netip"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Capture returns a baseline that declares the estate as it is: every VNet
// with its address space and peerings (the four flags of each half, remote
// as given), its VPN gateway and the connections whose first gateway that
// is, and every local network gateway. A local network gateway whose
// gatewayIpAddress is a public IP of a VPN gateway in the estate gets
// `represents` set to that gateway's VNet. Volatile state (provisioning
// state, etags, peering state and sync level, connection status) is not
// captured. Entries are in resource ID order. Values that the baseline
// format cannot hold (malformed IDs or addresses, unknown enum values) are
// left out and explained in Comments, so the result always marshals into
// a file that Parse accepts.
func Capture(e *estate.Estate) *Baseline {
	c := &capturer{e: e}
	b := &Baseline{Version: Version}
	for _, v := range estate.SortedValues(e.VNets) {
		if vn := c.vnet(v); vn != nil {
			b.VNets = append(b.VNets, vn)
		}
	}
	reps := representedVNets(e)
	for _, l := range estate.SortedValues(e.LocalGateways) {
		if lg := c.localGateway(l, reps); lg != nil {
			b.LocalGateways = append(b.LocalGateways, lg)
		}
	}
	b.Comments = append([]string{
		fmt.Sprintf("Captured by vnetdrift from an estate (VNets: %d, local network gateways: %d).", len(b.VNets), len(b.LocalGateways)),
		"Review it, trim what you do not want checked, and commit it.",
	}, c.notes...)
	b.Index()
	return b
}

// capturer collects notes about what it leaves out.
type capturer struct {
	e     *estate.Estate
	notes []string
}

// skip records why something was left out.
func (c *capturer) skip(format string, args ...any) {
	c.notes = append(c.notes, "Left out: "+fmt.Sprintf(format, args...))
}

// id returns id if it is a resource ID of kind, else records a note
// naming what it is.
func (c *capturer) id(what, id, kind string) (string, bool) {
	if err := checkID(id, kind); err != nil {
		c.skip("%s: %v", what, err)
		return "", false
	}
	return id, true
}

// enum returns the canonical spelling of an enum value, "" (with a note)
// if it is not one the format knows.
func (c *capturer) enum(what, owner, v string, allowed []string) string {
	if v == "" {
		return ""
	}
	if s, ok := canonical(v, allowed); ok {
		return s
	}
	c.skip("%s %q of %q: not one of %v", what, v, owner, allowed)
	return ""
}

func (c *capturer) vnet(v *estate.VNet) *VNet {
	if _, ok := c.id("VNet", v.ID, kindVNet); !ok {
		return nil
	}
	out := &VNet{ID: v.ID, AddressPrefixes: uniquePrefixes(v.Prefixes)}
	seen := map[estate.Key]bool{}
	for _, p := range v.Peerings {
		remote, ok := c.id(fmt.Sprintf("peering %q", p.ID), p.RemoteVNetID, kindVNet)
		if !ok {
			continue
		}
		if seen[p.RemoteKey] {
			c.skip("peering %q: a second peering to %q", p.ID, remote)
			continue
		}
		seen[p.RemoteKey] = true
		out.Peerings = append(out.Peerings, &Peering{Name: p.Name, Remote: remote, PeeringFlags: PeeringFlags{
			AllowVirtualNetworkAccess: ptr(p.AllowVirtualNetworkAccess),
			AllowForwardedTraffic:     ptr(p.AllowForwardedTraffic),
			AllowGatewayTransit:       ptr(p.AllowGatewayTransit),
			UseRemoteGateways:         ptr(p.UseRemoteGateways),
		}})
	}
	if g := c.e.VPNGatewayOf(v.Key); g != nil {
		out.Gateway = c.gateway(g)
		for _, cn := range c.e.ConnectionsOf(g.Key) {
			if cn.Gateway1Key == g.Key {
				if x := c.connection(cn); x != nil {
					out.Connections = append(out.Connections, x)
				}
			}
		}
	}
	return out
}

func (c *capturer) gateway(g *estate.Gateway) *Gateway {
	out := &Gateway{
		GatewayType:  c.enum("gatewayType", g.ID, g.GatewayType, gatewayTypes),
		VPNType:      c.enum("vpnType", g.ID, g.VPNType, vpnTypes),
		SKU:          c.enum("sku", g.ID, g.SKU, gatewaySKUs),
		ActiveActive: ptr(g.ActiveActive),
		EnableBGP:    ptr(g.EnableBGP),
		Generation:   c.enum("generation", g.ID, g.Generation, gatewayGenerations),
	}
	out.ID, _ = c.id("gateway", g.ID, kindGateway)
	if g.EnableBGP && g.ASN >= 1 && g.ASN <= maxASN {
		out.ASN = ptr(g.ASN)
	}
	return out
}

func (c *capturer) connection(cn *estate.Connection) *Connection {
	if _, ok := c.id("connection", cn.ID, kindConnection); !ok {
		return nil
	}
	out := &Connection{
		ID:                             cn.ID,
		Type:                           c.enum("type", cn.ID, cn.Type, connectionTypes),
		Protocol:                       c.enum("protocol", cn.ID, cn.Protocol, protocols),
		EnableBGP:                      ptr(cn.EnableBGP),
		UsePolicyBasedTrafficSelectors: ptr(cn.UsePolicyBasedTrafficSelectors),
		IPsecPolicies:                  c.ipsecPolicies(cn),
	}
	switch {
	case cn.Gateway2ID != "" && out.Type != "IPsec":
		out.Peer, _ = c.id(fmt.Sprintf("peer of connection %q", cn.ID), cn.Gateway2ID, kindGateway)
	case cn.LocalGatewayID != "" && out.Type != "Vnet2Vnet":
		out.Peer, _ = c.id(fmt.Sprintf("peer of connection %q", cn.ID), cn.LocalGatewayID, kindLocalGateway)
	}
	return out
}

// ipsecPolicies returns the connection's policies in canonical spelling,
// an empty list when it has none, or nil (with a note) when one of them
// has a value the format does not know.
func (c *capturer) ipsecPolicies(cn *estate.Connection) []estate.IPsecPolicy {
	out := make([]estate.IPsecPolicy, 0, len(cn.IPsecPolicies))
	for _, p := range cn.IPsecPolicies {
		q, ok := canonicalPolicy(p)
		if !ok {
			c.skip("ipsecPolicies of %q: a value is not one the baseline format knows", cn.ID)
			return nil
		}
		out = append(out, q)
	}
	return out
}

// canonicalPolicy spells every enum of p canonically; false if one is unknown.
func canonicalPolicy(p estate.IPsecPolicy) (estate.IPsecPolicy, bool) {
	ok := p.SALifeTimeSeconds >= 0 && p.SADataSizeKilobytes >= 0
	for _, f := range []struct {
		v       *string
		allowed []string
	}{
		{&p.IPsecEncryption, ipsecEncryptions}, {&p.IPsecIntegrity, ipsecIntegrities},
		{&p.IKEEncryption, ikeEncryptions}, {&p.IKEIntegrity, ikeIntegrities},
		{&p.DHGroup, dhGroups}, {&p.PFSGroup, pfsGroups},
	} {
		s, found := canonical(*f.v, f.allowed)
		*f.v, ok = s, ok && found
	}
	return p, ok
}

func (c *capturer) localGateway(l *estate.LocalGateway, reps map[netip.Addr]string) *LocalGateway {
	if _, ok := c.id("local network gateway", l.ID, kindLocalGateway); !ok {
		return nil
	}
	out := &LocalGateway{ID: l.ID, Prefixes: uniquePrefixes(l.Prefixes)}
	if a, err := parseAddr(l.GatewayIP); err == nil {
		out.GatewayIP = l.GatewayIP
		out.Represents = reps[a.Unmap()]
	} else if l.GatewayIP != "" {
		c.skip("gatewayIpAddress of %q: %v", l.ID, err)
	}
	if l.ASN >= 1 && l.ASN <= maxASN {
		out.ASN = ptr(l.ASN)
	}
	if _, err := parseAddr(l.BGPPeerIP); err == nil {
		out.BGPPeerIP = l.BGPPeerIP
	} else if l.BGPPeerIP != "" {
		c.skip("bgp.peeringAddress of %q: %v", l.ID, err)
	}
	return out
}

// representedVNets maps the public IP addresses of the estate's VPN
// gateways to the IDs of the VNets those gateways are in.
func representedVNets(e *estate.Estate) map[netip.Addr]string {
	out := map[netip.Addr]string{}
	for _, g := range estate.SortedValues(e.Gateways) {
		if (g.GatewayType != "" && g.GatewayType != "Vpn") || checkID(g.VNetID, kindVNet) != nil {
			continue
		}
		for _, id := range g.PublicIPIDs {
			pip := e.PublicIPs[estate.KeyOf(id)]
			if pip == nil || !pip.Addr.IsValid() {
				continue
			}
			if _, taken := out[pip.Addr.Unmap()]; !taken {
				out[pip.Addr.Unmap()] = g.VNetID
			}
		}
	}
	return out
}

// uniquePrefixes returns the prefixes, masked, without repeats, never nil.
func uniquePrefixes(in []netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(in))
	seen := map[netip.Prefix]bool{}
	for _, p := range in {
		if p = p.Masked(); p.IsValid() && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }
