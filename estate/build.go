package estate

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
)

// Load reads and merges estate files into one Estate.
func Load(paths ...string) (*Estate, error) {
	all := &Resources{Skipped: map[string]int{}}
	for _, p := range paths {
		r, err := ReadFile(p)
		if err != nil {
			return nil, err
		}
		all.Merge(r)
	}
	return Build(all)
}

// Build converts SDK model values into a normalized, indexed Estate. A
// peering given both inline in its VNet and as a standalone resource is
// one peering (the later one wins). Address prefixes that do not parse are
// an error naming the resource.
func Build(r *Resources) (*Estate, error) {
	e := New()
	for t, n := range r.Skipped {
		e.Skipped[t] += n
	}
	for _, v := range r.VNets {
		if err := e.addVNet(v); err != nil {
			return nil, err
		}
	}
	for _, p := range r.Peerings {
		if err := e.addPeering(p, ""); err != nil {
			return nil, err
		}
	}
	for _, g := range r.Gateways {
		e.addGateway(g)
	}
	for _, c := range r.Connections {
		e.addConnection(c)
	}
	for _, l := range r.LocalGateways {
		if err := e.addLocalGateway(l); err != nil {
			return nil, err
		}
	}
	for _, p := range r.PublicIPs {
		e.addPublicIP(p)
	}
	e.Index()
	return e, nil
}

func (e *Estate) addVNet(v *armnetwork.VirtualNetwork) error {
	id := str(v.ID)
	vn := &VNet{ID: id, Key: KeyOf(id), Name: nameOr(v.Name, id), Location: str(v.Location), Tags: tags(v.Tags)}
	p := v.Properties
	if p == nil {
		e.VNets[vn.Key] = vn
		return nil
	}
	var err error
	if p.AddressSpace != nil {
		if vn.Prefixes, err = ParsePrefixes(p.AddressSpace.AddressPrefixes); err != nil {
			return fmt.Errorf("virtual network %q: address space: %w", id, err)
		}
	}
	for _, s := range p.Subnets {
		sn, err := subnet(s)
		if err != nil {
			return fmt.Errorf("virtual network %q: %w", id, err)
		}
		vn.Subnets = append(vn.Subnets, sn)
		vn.GatewaySubnet = vn.GatewaySubnet || strings.EqualFold(sn.Name, "GatewaySubnet")
	}
	e.VNets[vn.Key] = vn
	for _, pr := range p.VirtualNetworkPeerings {
		if err := e.addPeering(pr, id); err != nil {
			return err
		}
	}
	return nil
}

func subnet(s *armnetwork.Subnet) (Subnet, error) {
	sn := Subnet{Name: str(s.Name)}
	if sn.Name == "" {
		sn.Name = LastSegment(str(s.ID))
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

func (e *Estate) addPeering(p *armnetwork.VirtualNetworkPeering, parentVNet string) error {
	id := str(p.ID)
	vnetID := ParentVNetID(id)
	if vnetID == "" {
		vnetID = parentVNet
	}
	pr := &Peering{ID: id, Key: KeyOf(id), Name: nameOr(p.Name, id), VNetID: vnetID, VNetKey: KeyOf(vnetID)}
	if pp := p.Properties; pp != nil {
		if pp.RemoteVirtualNetwork != nil {
			pr.RemoteVNetID = str(pp.RemoteVirtualNetwork.ID)
			pr.RemoteKey = KeyOf(pr.RemoteVNetID)
		}
		pr.AllowVirtualNetworkAccess = boolean(pp.AllowVirtualNetworkAccess)
		pr.AllowForwardedTraffic = boolean(pp.AllowForwardedTraffic)
		pr.AllowGatewayTransit = boolean(pp.AllowGatewayTransit)
		pr.UseRemoteGateways = boolean(pp.UseRemoteGateways)
		if pp.PeeringState != nil {
			pr.State = string(*pp.PeeringState)
		}
		if pp.PeeringSyncLevel != nil {
			pr.SyncLevel = string(*pp.PeeringSyncLevel)
		}
		var err error
		if pr.RemoteAddressSpace, err = addressSpace(pp.RemoteAddressSpace); err != nil {
			return fmt.Errorf("peering %q: remoteAddressSpace: %w", id, err)
		}
		if pr.RemoteVNetAddressSpace, err = addressSpace(pp.RemoteVirtualNetworkAddressSpace); err != nil {
			return fmt.Errorf("peering %q: remoteVirtualNetworkAddressSpace: %w", id, err)
		}
	}
	e.Peerings[pr.Key] = pr
	return nil
}

func (e *Estate) addGateway(g *armnetwork.VirtualNetworkGateway) {
	id := str(g.ID)
	gw := &Gateway{ID: id, Key: KeyOf(id), Name: nameOr(g.Name, id), Location: str(g.Location)}
	if p := g.Properties; p != nil {
		gw.GatewayType = enum(p.GatewayType)
		gw.VPNType = enum(p.VPNType)
		if p.SKU != nil {
			gw.SKU = enum(p.SKU.Name)
		}
		gw.ActiveActive = boolean(p.Active)
		gw.EnableBGP = boolean(p.EnableBgp)
		if p.BgpSettings != nil && p.BgpSettings.Asn != nil {
			gw.ASN = *p.BgpSettings.Asn
		}
		gw.Generation = enum(p.VPNGatewayGeneration)
		for _, ipc := range p.IPConfigurations {
			if ipc == nil || ipc.Properties == nil {
				continue
			}
			if s := ipc.Properties.Subnet; s != nil && gw.VNetID == "" {
				gw.VNetID = ParentVNetID(str(s.ID))
				gw.VNetKey = KeyOf(gw.VNetID)
			}
			if pip := ipc.Properties.PublicIPAddress; pip != nil && pip.ID != nil {
				gw.PublicIPIDs = append(gw.PublicIPIDs, *pip.ID)
			}
		}
	}
	e.Gateways[gw.Key] = gw
}

func (e *Estate) addConnection(c *armnetwork.VirtualNetworkGatewayConnection) {
	id := str(c.ID)
	cn := &Connection{ID: id, Key: KeyOf(id), Name: nameOr(c.Name, id)}
	if p := c.Properties; p != nil {
		cn.Type = enum(p.ConnectionType)
		if p.VirtualNetworkGateway1 != nil {
			cn.Gateway1ID = str(p.VirtualNetworkGateway1.ID)
		}
		if p.VirtualNetworkGateway2 != nil {
			cn.Gateway2ID = str(p.VirtualNetworkGateway2.ID)
		}
		if p.LocalNetworkGateway2 != nil {
			cn.LocalGatewayID = str(p.LocalNetworkGateway2.ID)
		}
		cn.Protocol = enum(p.ConnectionProtocol)
		cn.EnableBGP = boolean(p.EnableBgp)
		cn.UsePolicyBasedTrafficSelectors = boolean(p.UsePolicyBasedTrafficSelectors)
		cn.Status = enum(p.ConnectionStatus)
		for _, ip := range p.IPSecPolicies {
			if ip != nil {
				cn.IPsecPolicies = append(cn.IPsecPolicies, ipsecPolicy(ip))
			}
		}
	}
	cn.Gateway1Key, cn.Gateway2Key, cn.LocalGatewayKey = keyOrEmpty(cn.Gateway1ID), keyOrEmpty(cn.Gateway2ID), keyOrEmpty(cn.LocalGatewayID)
	e.Connections[cn.Key] = cn
}

func ipsecPolicy(ip *armnetwork.IPSecPolicy) IPsecPolicy {
	return IPsecPolicy{
		SALifeTimeSeconds: i32(ip.SaLifeTimeSeconds), SADataSizeKilobytes: i32(ip.SaDataSizeKilobytes),
		IPsecEncryption: enum(ip.IPSecEncryption), IPsecIntegrity: enum(ip.IPSecIntegrity),
		IKEEncryption: enum(ip.IkeEncryption), IKEIntegrity: enum(ip.IkeIntegrity),
		DHGroup: enum(ip.DhGroup), PFSGroup: enum(ip.PfsGroup),
	}
}

func (e *Estate) addLocalGateway(l *armnetwork.LocalNetworkGateway) error {
	id := str(l.ID)
	lg := &LocalGateway{ID: id, Key: KeyOf(id), Name: nameOr(l.Name, id), Location: str(l.Location)}
	if p := l.Properties; p != nil {
		var err error
		if lg.Prefixes, err = addressSpace(p.LocalNetworkAddressSpace); err != nil {
			return fmt.Errorf("local network gateway %q: localNetworkAddressSpace: %w", id, err)
		}
		lg.GatewayIP = str(p.GatewayIPAddress)
		lg.FQDN = str(p.Fqdn)
		if b := p.BgpSettings; b != nil {
			if b.Asn != nil {
				lg.ASN = *b.Asn
			}
			lg.BGPPeerIP = str(b.BgpPeeringAddress)
		}
	}
	e.LocalGateways[lg.Key] = lg
	return nil
}

func (e *Estate) addPublicIP(p *armnetwork.PublicIPAddress) {
	id := str(p.ID)
	ip := &PublicIP{ID: id, Key: KeyOf(id)}
	if p.Properties != nil && p.Properties.IPAddress != nil {
		if a, err := netip.ParseAddr(*p.Properties.IPAddress); err == nil {
			ip.Addr = a.Unmap()
		}
	}
	e.PublicIPs[ip.Key] = ip
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

func addressSpace(a *armnetwork.AddressSpace) ([]netip.Prefix, error) {
	if a == nil {
		return nil, nil
	}
	return ParsePrefixes(a.AddressPrefixes)
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nameOr(n *string, id string) string {
	if n != nil && *n != "" {
		return *n
	}
	return LastSegment(id)
}

func boolean(b *bool) bool { return b != nil && *b }

func i32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func enum[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

func keyOrEmpty(id string) Key {
	if id == "" {
		return ""
	}
	return KeyOf(id)
}

func tags(m map[string]*string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = str(v)
	}
	return out
}
