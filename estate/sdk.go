package estate

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

// The adapters below copy the fields the converters read from SDK model
// values into mirror values; an absent (nil) SDK field becomes the zero
// value, which the converters treat as the SDK code did. They share the
// SDK's slices and strings rather than copying them.

func vnetFromSDK(v *armnetwork.VirtualNetwork) *resource {
	r := &resource{ID: str(v.ID), Name: str(v.Name), Location: str(v.Location), Tags: tags(v.Tags)}
	p := v.Properties
	if p == nil {
		return r
	}
	r.Properties = &properties{}
	vp := &r.Properties.vnetProps
	vp.AddressSpace = addressSpaceFromSDK(p.AddressSpace)
	for _, s := range p.Subnets {
		vp.Subnets = append(vp.Subnets, subnetFromSDK(s))
	}
	for _, pr := range p.VirtualNetworkPeerings {
		vp.VirtualNetworkPeerings = append(vp.VirtualNetworkPeerings, peeringFromSDK(pr))
	}
	return r
}

func subnetFromSDK(s *armnetwork.Subnet) *subnet {
	if s == nil {
		return nil
	}
	sn := &subnet{ID: str(s.ID), Name: str(s.Name)}
	if p := s.Properties; p != nil {
		sn.Properties = &subnetProps{AddressPrefix: p.AddressPrefix, AddressPrefixes: p.AddressPrefixes}
	}
	return sn
}

func peeringFromSDK(p *armnetwork.VirtualNetworkPeering) *peering {
	if p == nil {
		return nil
	}
	pr := &peering{ID: str(p.ID), Name: str(p.Name)}
	pp := p.Properties
	if pp == nil {
		return pr
	}
	pr.Properties = &peeringProps{
		RemoteVirtualNetwork:             subResourceFromSDK(pp.RemoteVirtualNetwork),
		AllowVirtualNetworkAccess:        deref(pp.AllowVirtualNetworkAccess),
		AllowForwardedTraffic:            deref(pp.AllowForwardedTraffic),
		AllowGatewayTransit:              deref(pp.AllowGatewayTransit),
		UseRemoteGateways:                deref(pp.UseRemoteGateways),
		PeeringState:                     deref(pp.PeeringState),
		PeeringSyncLevel:                 deref(pp.PeeringSyncLevel),
		RemoteAddressSpace:               addressSpaceFromSDK(pp.RemoteAddressSpace),
		RemoteVirtualNetworkAddressSpace: addressSpaceFromSDK(pp.RemoteVirtualNetworkAddressSpace),
	}
	return pr
}

func gatewayFromSDK(g *armnetwork.VirtualNetworkGateway) *resource {
	r := &resource{ID: str(g.ID), Name: str(g.Name), Location: str(g.Location)}
	p := g.Properties
	if p == nil {
		return r
	}
	r.Properties = &properties{EnableBgp: deref(p.EnableBgp), BgpSettings: bgpSettingsFromSDK(p.BgpSettings)}
	gp := &r.Properties.gatewayProps
	gp.GatewayType = deref(p.GatewayType)
	gp.VPNType = deref(p.VPNType)
	if p.SKU != nil {
		gp.SKU.Name = deref(p.SKU.Name)
	}
	gp.Active = deref(p.Active)
	gp.VPNGatewayGeneration = deref(p.VPNGatewayGeneration)
	for _, ipc := range p.IPConfigurations {
		c := &ipConfiguration{}
		if ipc != nil && ipc.Properties != nil {
			c.Properties = &ipConfigurationProps{Subnet: subResourceFromSDK(ipc.Properties.Subnet)}
			if pip := ipc.Properties.PublicIPAddress; pip != nil {
				c.Properties.PublicIPAddress = &optionalID{ID: pip.ID}
			}
		}
		gp.IPConfigurations = append(gp.IPConfigurations, c)
	}
	return r
}

func connectionFromSDK(c *armnetwork.VirtualNetworkGatewayConnection) *resource {
	r := &resource{ID: str(c.ID), Name: str(c.Name), Location: str(c.Location)}
	p := c.Properties
	if p == nil {
		return r
	}
	r.Properties = &properties{EnableBgp: deref(p.EnableBgp)}
	cp := &r.Properties.connectionProps
	cp.ConnectionType = deref(p.ConnectionType)
	if p.VirtualNetworkGateway1 != nil {
		cp.VirtualNetworkGateway1.ID = str(p.VirtualNetworkGateway1.ID)
	}
	if p.VirtualNetworkGateway2 != nil {
		cp.VirtualNetworkGateway2.ID = str(p.VirtualNetworkGateway2.ID)
	}
	if p.LocalNetworkGateway2 != nil {
		cp.LocalNetworkGateway2.ID = str(p.LocalNetworkGateway2.ID)
	}
	cp.ConnectionProtocol = deref(p.ConnectionProtocol)
	cp.UsePolicyBasedTrafficSelectors = deref(p.UsePolicyBasedTrafficSelectors)
	cp.ConnectionStatus = deref(p.ConnectionStatus)
	for _, ip := range p.IPSecPolicies {
		cp.IPSecPolicies = append(cp.IPSecPolicies, ipsecPolicyFromSDK(ip))
	}
	return r
}

func ipsecPolicyFromSDK(ip *armnetwork.IPSecPolicy) *ipsecPolicy {
	if ip == nil {
		return nil
	}
	return &ipsecPolicy{
		SaLifeTimeSeconds: deref(ip.SaLifeTimeSeconds), SaDataSizeKilobytes: deref(ip.SaDataSizeKilobytes),
		IPSecEncryption: deref(ip.IPSecEncryption), IPSecIntegrity: deref(ip.IPSecIntegrity),
		IkeEncryption: deref(ip.IkeEncryption), IkeIntegrity: deref(ip.IkeIntegrity),
		DhGroup: deref(ip.DhGroup), PfsGroup: deref(ip.PfsGroup),
	}
}

func localGatewayFromSDK(l *armnetwork.LocalNetworkGateway) *resource {
	r := &resource{ID: str(l.ID), Name: str(l.Name), Location: str(l.Location)}
	if p := l.Properties; p != nil {
		r.Properties = &properties{BgpSettings: bgpSettingsFromSDK(p.BgpSettings)}
		r.Properties.LocalNetworkAddressSpace = addressSpaceFromSDK(p.LocalNetworkAddressSpace)
		r.Properties.GatewayIPAddress = str(p.GatewayIPAddress)
		r.Properties.Fqdn = str(p.Fqdn)
	}
	return r
}

func publicIPFromSDK(p *armnetwork.PublicIPAddress) *resource {
	r := &resource{ID: str(p.ID), Name: str(p.Name), Location: str(p.Location)}
	if p.Properties != nil {
		r.Properties = &properties{IPAddress: str(p.Properties.IPAddress)}
	}
	return r
}

func addressSpaceFromSDK(a *armnetwork.AddressSpace) *addressSpace {
	if a == nil {
		return nil
	}
	return &addressSpace{AddressPrefixes: a.AddressPrefixes}
}

func subResourceFromSDK(s *armnetwork.SubResource) subResource {
	if s == nil {
		return subResource{}
	}
	return subResource{ID: str(s.ID)}
}

func bgpSettingsFromSDK(b *armnetwork.BgpSettings) bgpSettings {
	if b == nil {
		return bgpSettings{}
	}
	return bgpSettings{Asn: deref(b.Asn), BgpPeeringAddress: str(b.BgpPeeringAddress)}
}

func str(s *string) string { return deref(s) }

// deref returns *p, or the zero value when p is nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
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
