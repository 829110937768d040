package baseline

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Marshal writes b as baseline YAML that Parse reads back into an equal
// Baseline (Path, Lines, Comments and the positions inside Routing aside),
// provided b holds valid values: Marshal does not validate. The file
// starts with the yaml-language-server schema line, then b.Comments as
// comment lines. Output is deterministic: rules are sorted by ID, lists
// keep their order. Settings that are nil or empty are left out, except
// empty address prefix and IPsec policy lists, which mean "expect none".
func Marshal(b *Baseline) ([]byte, error) {
	root, err := documentNode(b)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("# yaml-language-server: $schema=" + SchemaURL + "\n")
	for _, c := range b.Comments {
		for _, line := range strings.Split(c, "\n") {
			buf.WriteString(strings.TrimRight("# "+line, " ") + "\n")
		}
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("encoding baseline: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding baseline: %w", err)
	}
	return buf.Bytes(), nil
}

// documentNode builds the top-level mapping.
func documentNode(b *Baseline) (*yaml.Node, error) {
	m := mapNode(false)
	add(m, "version", intNode(Version))
	if p := flagsNode(b.Defaults.Peering, false); len(p.Content) > 0 {
		d := mapNode(false)
		add(d, "peering", p)
		add(m, "defaults", d)
	}
	if len(b.Rules) > 0 {
		add(m, "rules", rulesNode(b.Rules))
	}
	if len(b.Exemptions) > 0 {
		s := seqNode(false)
		for i := range b.Exemptions {
			s.Content = append(s.Content, exemptionNode(&b.Exemptions[i]))
		}
		add(m, "exemptions", s)
	}
	if len(b.VNets) > 0 {
		s := seqNode(false)
		for _, v := range b.VNets {
			s.Content = append(s.Content, vnetNode(v))
		}
		add(m, "vnets", s)
	}
	if len(b.LocalGateways) > 0 {
		s := seqNode(false)
		for _, l := range b.LocalGateways {
			s.Content = append(s.Content, localGatewayNode(l))
		}
		add(m, "localNetworkGateways", s)
	}
	switch b.Routing.Kind {
	case 0:
	case yaml.MappingNode:
		m.Content = append(m.Content, b.Routing.Content...)
	default:
		return nil, errors.New("encoding baseline: Routing is not a mapping node")
	}
	return m, nil
}

func rulesNode(rules map[string]RuleSetting) *yaml.Node {
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	m := mapNode(false)
	for _, id := range ids {
		r := rules[id]
		s := mapNode(true)
		addBool(s, "enabled", r.Enabled)
		addStr(s, "severity", r.Severity)
		addStr(s, "mode", r.Mode)
		if r.AllowDelete {
			add(s, "allowDelete", boolNode(true))
		}
		add(m, id, s)
	}
	return m
}

func exemptionNode(x *Exemption) *yaml.Node {
	m := mapNode(false)
	addStr(m, "rule", x.Rule)
	addStr(m, "resource", x.Resource)
	addStr(m, "reason", x.Reason)
	addStr(m, "owner", x.Owner)
	if !x.Expires.IsZero() {
		add(m, "expires", &yaml.Node{Kind: yaml.ScalarNode, Tag: tagTimestamp, Value: formatExpiry(x.Expires)})
	}
	return m
}

func vnetNode(v *VNet) *yaml.Node {
	m := mapNode(false)
	addStr(m, "id", v.ID)
	if v.AddressPrefixes != nil {
		add(m, "addressPrefixes", prefixesNode(v.AddressPrefixes))
	}
	if len(v.Peerings) > 0 {
		s := seqNode(false)
		for _, p := range v.Peerings {
			pm := mapNode(false)
			addStr(pm, "name", p.Name)
			addStr(pm, "remote", p.Remote)
			pm.Content = append(pm.Content, flagsNode(p.PeeringFlags, false).Content...)
			s.Content = append(s.Content, pm)
		}
		add(m, "peerings", s)
	}
	if v.Gateway != nil {
		add(m, "gateway", gatewayNode(v.Gateway))
	}
	if len(v.Connections) > 0 {
		s := seqNode(false)
		for _, c := range v.Connections {
			s.Content = append(s.Content, connectionNode(c))
		}
		add(m, "connections", s)
	}
	return m
}

func flagsNode(f PeeringFlags, flow bool) *yaml.Node {
	m := mapNode(flow)
	addBool(m, "allowVirtualNetworkAccess", f.AllowVirtualNetworkAccess)
	addBool(m, "allowForwardedTraffic", f.AllowForwardedTraffic)
	addBool(m, "allowGatewayTransit", f.AllowGatewayTransit)
	addBool(m, "useRemoteGateways", f.UseRemoteGateways)
	return m
}

func gatewayNode(g *Gateway) *yaml.Node {
	m := mapNode(false)
	addStr(m, "id", g.ID)
	addStr(m, "gatewayType", g.GatewayType)
	addStr(m, "vpnType", g.VPNType)
	addStr(m, "sku", g.SKU)
	addBool(m, "activeActive", g.ActiveActive)
	addBool(m, "enableBgp", g.EnableBGP)
	if g.ASN != nil {
		add(m, "asn", intNode(*g.ASN))
	}
	addStr(m, "generation", g.Generation)
	if g.AllowDisruptive {
		add(m, "allowDisruptive", boolNode(true))
	}
	if len(m.Content) == 0 {
		m.Style = yaml.FlowStyle // gateway: {}
	}
	return m
}

func connectionNode(c *Connection) *yaml.Node {
	m := mapNode(false)
	addStr(m, "id", c.ID)
	addStr(m, "type", c.Type)
	addStr(m, "peer", c.Peer)
	addStr(m, "protocol", c.Protocol)
	addBool(m, "enableBgp", c.EnableBGP)
	addBool(m, "usePolicyBasedTrafficSelectors", c.UsePolicyBasedTrafficSelectors)
	if c.IPsecPolicies != nil {
		s := seqNode(len(c.IPsecPolicies) == 0)
		for _, p := range c.IPsecPolicies {
			s.Content = append(s.Content, ipsecPolicyNode(p))
		}
		add(m, "ipsecPolicies", s)
	}
	return m
}

func ipsecPolicyNode(p estate.IPsecPolicy) *yaml.Node {
	m := mapNode(false)
	add(m, "saLifeTimeSeconds", intNode(int64(p.SALifeTimeSeconds)))
	add(m, "saDataSizeKilobytes", intNode(int64(p.SADataSizeKilobytes)))
	add(m, "ipsecEncryption", strNode(p.IPsecEncryption))
	add(m, "ipsecIntegrity", strNode(p.IPsecIntegrity))
	add(m, "ikeEncryption", strNode(p.IKEEncryption))
	add(m, "ikeIntegrity", strNode(p.IKEIntegrity))
	add(m, "dhGroup", strNode(p.DHGroup))
	add(m, "pfsGroup", strNode(p.PFSGroup))
	return m
}

func localGatewayNode(l *LocalGateway) *yaml.Node {
	m := mapNode(false)
	addStr(m, "id", l.ID)
	if l.Prefixes != nil {
		add(m, "addressPrefixes", prefixesNode(l.Prefixes))
	}
	addStr(m, "gatewayIpAddress", l.GatewayIP)
	if l.ASN != nil || l.BGPPeerIP != "" {
		bgp := mapNode(true)
		if l.ASN != nil {
			add(bgp, "asn", intNode(*l.ASN))
		}
		addStr(bgp, "peeringAddress", l.BGPPeerIP)
		add(m, "bgp", bgp)
	}
	addStr(m, "represents", l.Represents)
	return m
}

func prefixesNode(ps []netip.Prefix) *yaml.Node {
	s := seqNode(true)
	for _, p := range ps {
		s.Content = append(s.Content, strNode(p.String()))
	}
	return s
}
