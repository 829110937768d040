package baseline

import (
	"fmt"
	"math"
	"net/netip"

	"gopkg.in/yaml.v3"

	"github.com/vnetdrift/vnetdrift/estate"
)

// ASNs are 32-bit and 0 is not valid.
const maxASN = math.MaxUint32

// firstSeen remembers where each resource was first declared, to report
// duplicates.
type firstSeen map[estate.Key]int

// dup reports id as a duplicate what if it was seen before, else records it.
func (d *decoder) dup(seen firstSeen, line int, path, what, id string) {
	if id == "" {
		return
	}
	k := estate.KeyOf(id)
	if first, ok := seen[k]; ok {
		d.failLine(line, path, fmt.Errorf("duplicate %s %q (first at line %d)", what, id, first))
		return
	}
	seen[k] = line
}

// vnets decodes the VNet list; VNet and connection IDs must be unique.
func (d *decoder) vnets(path string, n *yaml.Node) []*VNet {
	var out []*VNet
	vnetSeen, connSeen := firstSeen{}, firstSeen{}
	d.seq(path, n, func(p string, _ int, item *yaml.Node) {
		v := d.vnet(p, item, connSeen)
		d.dup(vnetSeen, v.Line, join(p, "id"), "VNet", v.ID)
		out = append(out, v)
	})
	return out
}

// vnet decodes one VNet; id is required.
func (d *decoder) vnet(path string, n *yaml.Node, connSeen firstSeen) *VNet {
	n = d.deref(n)
	v := &VNet{Line: n.Line}
	seen := d.mapping(path, n, fields{
		"id":              func(p string, x *yaml.Node) { v.ID = d.resourceID(p, x, kindVNet) },
		"addressPrefixes": func(p string, x *yaml.Node) { v.AddressPrefixes = d.prefixes(p, x) },
		"peerings":        func(p string, x *yaml.Node) { v.Peerings = d.peerings(p, x) },
		"gateway":         func(p string, x *yaml.Node) { v.Gateway = d.gateway(p, x) },
		"connections": func(p string, x *yaml.Node) {
			d.seq(p, x, func(p string, _ int, item *yaml.Node) {
				c := d.connection(p, item)
				d.dup(connSeen, c.Line, join(p, "id"), "connection", c.ID)
				v.Connections = append(v.Connections, c)
			})
		},
	})
	d.require(n, path, seen, "id")
	return v
}

// peerings decodes a VNet's peerings; at most one per remote VNet.
func (d *decoder) peerings(path string, n *yaml.Node) []*Peering {
	var out []*Peering
	remotes := firstSeen{}
	d.seq(path, n, func(p string, _ int, item *yaml.Node) {
		pr := d.peering(p, item)
		d.dup(remotes, pr.Line, join(p, "remote"), "peering to", pr.Remote)
		out = append(out, pr)
	})
	return out
}

// peering decodes one peering; remote is required.
func (d *decoder) peering(path string, n *yaml.Node) *Peering {
	n = d.deref(n)
	pr := &Peering{Line: n.Line}
	seen := d.mapping(path, n, d.flagFields(&pr.PeeringFlags, fields{
		"name":   func(p string, x *yaml.Node) { pr.Name, _, _ = d.str(p, x) },
		"remote": func(p string, x *yaml.Node) { pr.Remote = d.resourceID(p, x, kindVNet) },
	}))
	d.require(n, path, seen, "remote")
	return pr
}

// gateway decodes a VNet's VPN gateway.
func (d *decoder) gateway(path string, n *yaml.Node) *Gateway {
	n = d.deref(n)
	g := &Gateway{Line: n.Line}
	d.mapping(path, n, fields{
		"id":              func(p string, x *yaml.Node) { g.ID = d.resourceID(p, x, kindGateway) },
		"gatewayType":     func(p string, x *yaml.Node) { g.GatewayType, _ = d.enum(p, x, gatewayTypes) },
		"vpnType":         func(p string, x *yaml.Node) { g.VPNType, _ = d.enum(p, x, vpnTypes) },
		"sku":             func(p string, x *yaml.Node) { g.SKU, _ = d.enum(p, x, gatewaySKUs) },
		"activeActive":    func(p string, x *yaml.Node) { g.ActiveActive = d.boolPtr(p, x) },
		"enableBgp":       func(p string, x *yaml.Node) { g.EnableBGP = d.boolPtr(p, x) },
		"asn":             func(p string, x *yaml.Node) { g.ASN = d.asn(p, x) },
		"generation":      func(p string, x *yaml.Node) { g.Generation, _ = d.enum(p, x, gatewayGenerations) },
		"allowDisruptive": func(p string, x *yaml.Node) { g.AllowDisruptive, _ = d.boolean(p, x) },
	})
	return g
}

// connection decodes one connection of the VNet's gateway; id is required.
// The peer's type must fit the connection type.
func (d *decoder) connection(path string, n *yaml.Node) *Connection {
	n = d.deref(n)
	c := &Connection{Line: n.Line}
	var peer *yaml.Node
	seen := d.mapping(path, n, fields{
		"id":   func(p string, x *yaml.Node) { c.ID = d.resourceID(p, x, kindConnection) },
		"type": func(p string, x *yaml.Node) { c.Type, _ = d.enum(p, x, connectionTypes) },
		"peer": func(p string, x *yaml.Node) {
			peer = x
			c.Peer = d.resourceID(p, x, kindGateway, kindLocalGateway)
		},
		"protocol":                       func(p string, x *yaml.Node) { c.Protocol, _ = d.enum(p, x, protocols) },
		"enableBgp":                      func(p string, x *yaml.Node) { c.EnableBGP = d.boolPtr(p, x) },
		"usePolicyBasedTrafficSelectors": func(p string, x *yaml.Node) { c.UsePolicyBasedTrafficSelectors = d.boolPtr(p, x) },
		"ipsecPolicies":                  func(p string, x *yaml.Node) { c.IPsecPolicies = d.ipsecPolicies(p, x) },
	})
	d.require(n, path, seen, "id")
	if c.Peer != "" {
		if want, ok := peerKinds[c.Type]; ok {
			if err := checkID(c.Peer, want); err != nil {
				d.failf(d.deref(peer), join(path, "peer"), "a %s connection's peer must be a %s: %w", c.Type, want, err)
			}
		}
	}
	return c
}

// peerKinds is the resource type of the peer of each connection type that
// has one.
var peerKinds = map[string]string{"Vnet2Vnet": kindGateway, "IPsec": kindLocalGateway}

// ipsecPolicies decodes a connection's custom IPsec/IKE policies; an empty
// list (expect none) stays non-nil.
func (d *decoder) ipsecPolicies(path string, n *yaml.Node) []estate.IPsecPolicy {
	out := []estate.IPsecPolicy{}
	d.seq(path, n, func(p string, _ int, item *yaml.Node) { out = append(out, d.ipsecPolicy(p, item)) })
	return out
}

// ipsecPolicy decodes one policy; every field is required, as in ARM.
func (d *decoder) ipsecPolicy(path string, n *yaml.Node) estate.IPsecPolicy {
	n = d.deref(n)
	var ip estate.IPsecPolicy
	i32 := func(dst *int32) func(string, *yaml.Node) {
		return func(p string, x *yaml.Node) {
			v, _ := d.integer(p, x, 0, math.MaxInt32)
			*dst = int32(v)
		}
	}
	enum := func(dst *string, allowed []string) func(string, *yaml.Node) {
		return func(p string, x *yaml.Node) { *dst, _ = d.enum(p, x, allowed) }
	}
	f := fields{
		"saLifeTimeSeconds":   i32(&ip.SALifeTimeSeconds),
		"saDataSizeKilobytes": i32(&ip.SADataSizeKilobytes),
		"ipsecEncryption":     enum(&ip.IPsecEncryption, ipsecEncryptions),
		"ipsecIntegrity":      enum(&ip.IPsecIntegrity, ipsecIntegrities),
		"ikeEncryption":       enum(&ip.IKEEncryption, ikeEncryptions),
		"ikeIntegrity":        enum(&ip.IKEIntegrity, ikeIntegrities),
		"dhGroup":             enum(&ip.DHGroup, dhGroups),
		"pfsGroup":            enum(&ip.PFSGroup, pfsGroups),
	}
	seen := d.mapping(path, n, f)
	d.require(n, path, seen, sortedKeys(f)...)
	return ip
}

// localGateways decodes the local network gateway list; IDs must be unique.
func (d *decoder) localGateways(path string, n *yaml.Node) []*LocalGateway {
	var out []*LocalGateway
	seen := firstSeen{}
	d.seq(path, n, func(p string, _ int, item *yaml.Node) {
		l := d.localGateway(p, item)
		d.dup(seen, l.Line, join(p, "id"), "local network gateway", l.ID)
		out = append(out, l)
	})
	return out
}

// localGateway decodes one local network gateway; id is required.
func (d *decoder) localGateway(path string, n *yaml.Node) *LocalGateway {
	n = d.deref(n)
	l := &LocalGateway{Line: n.Line}
	seen := d.mapping(path, n, fields{
		"id":               func(p string, x *yaml.Node) { l.ID = d.resourceID(p, x, kindLocalGateway) },
		"addressPrefixes":  func(p string, x *yaml.Node) { l.Prefixes = d.prefixes(p, x) },
		"gatewayIpAddress": func(p string, x *yaml.Node) { l.GatewayIP = d.addr(p, x) },
		"bgp": func(p string, x *yaml.Node) {
			d.mapping(p, x, fields{
				"asn":            func(p string, x *yaml.Node) { l.ASN = d.asn(p, x) },
				"peeringAddress": func(p string, x *yaml.Node) { l.BGPPeerIP = d.addr(p, x) },
			})
		},
		"represents": func(p string, x *yaml.Node) { l.Represents = d.resourceID(p, x, kindVNet) },
	})
	d.require(n, path, seen, "id")
	return l
}

// resourceID decodes the resource ID of one of kinds; "" on error.
func (d *decoder) resourceID(path string, n *yaml.Node, kinds ...string) string {
	s, node, ok := d.str(path, n)
	if !ok {
		return ""
	}
	if err := checkID(s, kinds...); err != nil {
		d.fail(node, path, err)
		return ""
	}
	return s
}

// prefixes decodes a list of unique, canonical CIDR prefixes. An empty
// list stays non-nil (declared empty).
func (d *decoder) prefixes(path string, n *yaml.Node) []netip.Prefix {
	out := []netip.Prefix{}
	seen := map[netip.Prefix]bool{}
	d.seq(path, n, func(p string, _ int, item *yaml.Node) {
		s, node, ok := d.str(p, item)
		if !ok {
			return
		}
		pf, err := parsePrefix(s)
		switch {
		case err != nil:
			d.fail(node, p, err)
		case seen[pf]:
			d.failf(node, p, "duplicate prefix %s", pf)
		default:
			seen[pf] = true
			out = append(out, pf)
		}
	})
	return out
}

// addr decodes an IP address, returned as written.
func (d *decoder) addr(path string, n *yaml.Node) string {
	s, node, ok := d.str(path, n)
	if !ok {
		return ""
	}
	if _, err := parseAddr(s); err != nil {
		d.fail(node, path, err)
		return ""
	}
	return s
}

// asn decodes a BGP autonomous system number.
func (d *decoder) asn(path string, n *yaml.Node) *int64 {
	if v, ok := d.integer(path, n, 1, maxASN); ok {
		return &v
	}
	return nil
}
