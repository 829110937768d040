package estate

import (
	"fmt"
	"net/netip"
	"strings"
)

// The converters below are the one place where resources in REST shape
// (the mirror types) become the normalized model. Build reaches them
// through sdk.go, the fast path of Load straight from the decoder. They
// are pure, so the fast path runs them in parallel.

// kind says which resource type an item holds.
type kind uint8

const (
	kindSkipped kind = iota
	kindVNet
	kindPeering // a standalone peering resource
	kindGateway
	kindConnection
	kindLocalGateway
	kindPublicIP
)

// item is one input resource, converted. For kindVNet, peerings holds the
// VNet's inline peerings; for kindPeering, the one peering; for
// kindSkipped, skipped names the unmodelled type.
type item struct {
	kind     kind
	vnet     *VNet
	peerings []*Peering
	gateway  *Gateway
	conn     *Connection
	local    *LocalGateway
	publicIP *PublicIP
	skipped  string
}

// kindOf classifies an ARM resource type, case-insensitively.
func kindOf(typ string) kind {
	switch {
	case strings.EqualFold(typ, TypeVNet):
		return kindVNet
	case strings.EqualFold(typ, TypePeering):
		return kindPeering
	case strings.EqualFold(typ, TypeGateway):
		return kindGateway
	case strings.EqualFold(typ, TypeConnection):
		return kindConnection
	case strings.EqualFold(typ, TypeLocalGateway):
		return kindLocalGateway
	case strings.EqualFold(typ, TypePublicIP):
		return kindPublicIP
	}
	return kindSkipped
}

// convert turns a resource of kind k into an item.
func convert(k kind, r *resource) (item, error) {
	it := item{kind: k}
	var err error
	switch k {
	case kindVNet:
		it.vnet, it.peerings, err = vnetOf(r)
	case kindPeering:
		var pp *peeringProps
		if r.Properties != nil {
			pp = &r.Properties.peeringProps
		}
		var p *Peering
		p, err = peeringOf(&peering{ID: r.ID, Name: r.Name, Properties: pp}, nil)
		it.peerings = []*Peering{p}
	case kindGateway:
		it.gateway = gatewayOf(r)
	case kindConnection:
		it.conn = connectionOf(r)
	case kindLocalGateway:
		it.local, err = localGatewayOf(r)
	case kindPublicIP:
		it.publicIP = publicIPOf(r)
	}
	return it, err
}

func vnetOf(r *resource) (*VNet, []*Peering, error) {
	vn := &VNet{ID: r.ID, Key: KeyOf(r.ID), Name: nameOr(r.Name, r.ID), Location: r.Location}
	if len(r.Tags) > 0 {
		vn.Tags = r.Tags
	}
	p := r.Properties
	if p == nil {
		return vn, nil, nil
	}
	var err error
	if p.AddressSpace != nil {
		if vn.Prefixes, err = ParsePrefixes(p.AddressSpace.AddressPrefixes); err != nil {
			return nil, nil, fmt.Errorf("virtual network %q: address space: %w", r.ID, err)
		}
	}
	for _, s := range p.Subnets {
		if s == nil {
			continue
		}
		sn, err := subnetOf(s)
		if err != nil {
			return nil, nil, fmt.Errorf("virtual network %q: %w", r.ID, err)
		}
		vn.Subnets = append(vn.Subnets, sn)
		vn.GatewaySubnet = vn.GatewaySubnet || strings.EqualFold(sn.Name, "GatewaySubnet")
	}
	var peerings []*Peering
	for _, pr := range p.VirtualNetworkPeerings {
		if pr == nil {
			continue
		}
		peer, err := peeringOf(pr, vn)
		if err != nil {
			return nil, nil, err
		}
		peerings = append(peerings, peer)
	}
	return vn, peerings, nil
}

func subnetOf(s *subnet) (Subnet, error) {
	sn := Subnet{Name: s.Name}
	if sn.Name == "" {
		sn.Name = LastSegment(s.ID)
	}
	if s.Properties == nil {
		return sn, nil
	}
	raw := s.Properties.AddressPrefixes
	if s.Properties.AddressPrefix != nil {
		raw = append([]*string{s.Properties.AddressPrefix}, raw...)
	}
	pfx, err := ParsePrefixes(raw)
	if err != nil {
		return sn, fmt.Errorf("subnet %q: %w", sn.Name, err)
	}
	sn.Prefixes = pfx
	return sn, nil
}

// peeringOf converts a peering; parent is the VNet that holds it inline,
// if any, whose ID counts when the peering's own ID names no VNet.
func peeringOf(p *peering, parent *VNet) (*Peering, error) {
	id := p.ID
	vnetID := ParentVNetID(id)
	if vnetID == "" && parent != nil {
		vnetID = parent.ID
	}
	pr := &Peering{ID: id, Key: KeyOf(id), Name: nameOr(p.Name, id), VNetID: vnetID}
	if parent != nil && vnetID == parent.ID {
		pr.VNetKey = parent.Key // the same spelling has the same key
	} else {
		pr.VNetKey = KeyOf(vnetID)
	}
	pp := p.Properties
	if pp == nil {
		return pr, nil
	}
	if pr.RemoteVNetID = pp.RemoteVirtualNetwork.ID; pr.RemoteVNetID != "" {
		pr.RemoteKey = KeyOf(pr.RemoteVNetID)
	}
	pr.AllowVirtualNetworkAccess = pp.AllowVirtualNetworkAccess
	pr.AllowForwardedTraffic = pp.AllowForwardedTraffic
	pr.AllowGatewayTransit = pp.AllowGatewayTransit
	pr.UseRemoteGateways = pp.UseRemoteGateways
	pr.State = string(pp.PeeringState)
	pr.SyncLevel = string(pp.PeeringSyncLevel)
	var err error
	if pr.RemoteAddressSpace, err = addressSpaceOf(pp.RemoteAddressSpace); err != nil {
		return nil, fmt.Errorf("peering %q: remoteAddressSpace: %w", id, err)
	}
	if pr.RemoteVNetAddressSpace, err = addressSpaceOf(pp.RemoteVirtualNetworkAddressSpace); err != nil {
		return nil, fmt.Errorf("peering %q: remoteVirtualNetworkAddressSpace: %w", id, err)
	}
	return pr, nil
}

func gatewayOf(r *resource) *Gateway {
	gw := &Gateway{ID: r.ID, Key: KeyOf(r.ID), Name: nameOr(r.Name, r.ID), Location: r.Location}
	p := r.Properties
	if p == nil {
		return gw
	}
	gw.GatewayType = string(p.GatewayType)
	gw.VPNType = string(p.VPNType)
	gw.SKU = string(p.SKU.Name)
	gw.ActiveActive = p.Active
	gw.EnableBGP = p.EnableBgp
	gw.ASN = p.BgpSettings.Asn
	gw.Generation = string(p.VPNGatewayGeneration)
	for _, ipc := range p.IPConfigurations {
		if ipc == nil || ipc.Properties == nil {
			continue
		}
		if gw.VNetID == "" {
			gw.VNetID = ParentVNetID(ipc.Properties.Subnet.ID)
			gw.VNetKey = KeyOf(gw.VNetID)
		}
		if pip := ipc.Properties.PublicIPAddress; pip != nil && pip.ID != nil {
			gw.PublicIPIDs = append(gw.PublicIPIDs, *pip.ID)
		}
	}
	return gw
}

func connectionOf(r *resource) *Connection {
	cn := &Connection{ID: r.ID, Key: KeyOf(r.ID), Name: nameOr(r.Name, r.ID)}
	if p := r.Properties; p != nil {
		cn.Type = string(p.ConnectionType)
		cn.Gateway1ID = p.VirtualNetworkGateway1.ID
		cn.Gateway2ID = p.VirtualNetworkGateway2.ID
		cn.LocalGatewayID = p.LocalNetworkGateway2.ID
		cn.Protocol = string(p.ConnectionProtocol)
		cn.EnableBGP = p.EnableBgp
		cn.UsePolicyBasedTrafficSelectors = p.UsePolicyBasedTrafficSelectors
		cn.Status = string(p.ConnectionStatus)
		for _, ip := range p.IPSecPolicies {
			if ip != nil {
				cn.IPsecPolicies = append(cn.IPsecPolicies, ipsecPolicyOf(ip))
			}
		}
	}
	cn.Gateway1Key, cn.Gateway2Key, cn.LocalGatewayKey = keyOrEmpty(cn.Gateway1ID), keyOrEmpty(cn.Gateway2ID), keyOrEmpty(cn.LocalGatewayID)
	return cn
}

func ipsecPolicyOf(ip *ipsecPolicy) IPsecPolicy {
	return IPsecPolicy{
		SALifeTimeSeconds: ip.SaLifeTimeSeconds, SADataSizeKilobytes: ip.SaDataSizeKilobytes,
		IPsecEncryption: string(ip.IPSecEncryption), IPsecIntegrity: string(ip.IPSecIntegrity),
		IKEEncryption: string(ip.IkeEncryption), IKEIntegrity: string(ip.IkeIntegrity),
		DHGroup: string(ip.DhGroup), PFSGroup: string(ip.PfsGroup),
	}
}

func localGatewayOf(r *resource) (*LocalGateway, error) {
	lg := &LocalGateway{ID: r.ID, Key: KeyOf(r.ID), Name: nameOr(r.Name, r.ID), Location: r.Location}
	if p := r.Properties; p != nil {
		var err error
		if lg.Prefixes, err = addressSpaceOf(p.LocalNetworkAddressSpace); err != nil {
			return nil, fmt.Errorf("local network gateway %q: localNetworkAddressSpace: %w", r.ID, err)
		}
		lg.GatewayIP = p.GatewayIPAddress
		lg.FQDN = p.Fqdn
		lg.ASN = p.BgpSettings.Asn
		lg.BGPPeerIP = p.BgpSettings.BgpPeeringAddress
	}
	return lg, nil
}

func publicIPOf(r *resource) *PublicIP {
	ip := &PublicIP{ID: r.ID, Key: KeyOf(r.ID)}
	if r.Properties != nil {
		if a, err := netip.ParseAddr(r.Properties.IPAddress); err == nil {
			ip.Addr = a.Unmap()
		}
	}
	return ip
}

// ParsePrefixes parses CIDR strings into masked prefixes. Nil entries are
// skipped; a bare address is not accepted.
func ParsePrefixes(raw []*string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(raw))
	for _, s := range raw {
		if s == nil {
			continue
		}
		p, err := netip.ParsePrefix(strings.TrimSpace(*s))
		if err != nil {
			return nil, fmt.Errorf("bad CIDR %q: %w", *s, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func addressSpaceOf(a *addressSpace) ([]netip.Prefix, error) {
	if a == nil {
		return nil, nil
	}
	return ParsePrefixes(a.AddressPrefixes)
}

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return LastSegment(id)
}

func keyOrEmpty(id string) Key {
	if id == "" {
		return ""
	}
	return KeyOf(id)
}
