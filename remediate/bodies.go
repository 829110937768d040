package remediate

import (
	"errors"
	"net/netip"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Request bodies. A GET body carries computed fields (peering state, sync
// level, address spaces, provisioning state) that must not be sent back,
// so every body is built from the settable fields only.

// peeringSettable returns the settable fields of a peering as read.
func peeringSettable(p *armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeering {
	out := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{}}
	if p == nil || p.Properties == nil {
		return out
	}
	s := p.Properties
	*out.Properties = armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork:      s.RemoteVirtualNetwork,
		AllowVirtualNetworkAccess: s.AllowVirtualNetworkAccess,
		AllowForwardedTraffic:     s.AllowForwardedTraffic,
		AllowGatewayTransit:       s.AllowGatewayTransit,
		UseRemoteGateways:         s.UseRemoteGateways,
		DoNotVerifyRemoteGateways: s.DoNotVerifyRemoteGateways,
		EnableOnlyIPv6Peering:     s.EnableOnlyIPv6Peering,
		PeerCompleteVnets:         s.PeerCompleteVnets,
		LocalSubnetNames:          s.LocalSubnetNames,
		RemoteSubnetNames:         s.RemoteSubnetNames,
	}
	return out
}

// peeringOfEstate returns the settable fields the estate knows of a peering.
func peeringOfEstate(p *estate.Peering) armnetwork.VirtualNetworkPeering {
	return armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(p.RemoteVNetID)},
		AllowVirtualNetworkAccess: to.Ptr(p.AllowVirtualNetworkAccess),
		AllowForwardedTraffic:     to.Ptr(p.AllowForwardedTraffic),
		AllowGatewayTransit:       to.Ptr(p.AllowGatewayTransit),
		UseRemoteGateways:         to.Ptr(p.UseRemoteGateways),
	}}
}

// newPeeringBody is the body that creates a peering to remote with flags.
func newPeeringBody(remote string, f baseline.PeeringFlags) armnetwork.VirtualNetworkPeering {
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: to.Ptr(remote)},
	}}
	overlayFlags(body.Properties, f)
	return body
}

// overlayFlags sets the declared (non-nil) flags of f on p.
func overlayFlags(p *armnetwork.VirtualNetworkPeeringPropertiesFormat, f baseline.PeeringFlags) {
	set := func(dst **bool, v *bool) {
		if v != nil {
			*dst = to.Ptr(*v)
		}
	}
	set(&p.AllowVirtualNetworkAccess, f.AllowVirtualNetworkAccess)
	set(&p.AllowForwardedTraffic, f.AllowForwardedTraffic)
	set(&p.AllowGatewayTransit, f.AllowGatewayTransit)
	set(&p.UseRemoteGateways, f.UseRemoteGateways)
}

// flagsOf reads the four flags of a peering body.
func flagsOf(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) baseline.PeeringFlags {
	if p == nil {
		return baseline.PeeringFlags{}
	}
	return baseline.PeeringFlags{
		AllowVirtualNetworkAccess: p.AllowVirtualNetworkAccess, AllowForwardedTraffic: p.AllowForwardedTraffic,
		AllowGatewayTransit: p.AllowGatewayTransit, UseRemoteGateways: p.UseRemoteGateways,
	}
}

// localGatewayOfEstate returns what the estate knows of a local network
// gateway, with its prefixes replaced.
func localGatewayOfEstate(l *estate.LocalGateway, prefixes []netip.Prefix) armnetwork.LocalNetworkGateway {
	props := &armnetwork.LocalNetworkGatewayPropertiesFormat{
		LocalNetworkAddressSpace: &armnetwork.AddressSpace{AddressPrefixes: prefixStrings(prefixes)},
	}
	if l.GatewayIP != "" {
		props.GatewayIPAddress = to.Ptr(l.GatewayIP)
	}
	if l.FQDN != "" {
		props.Fqdn = to.Ptr(l.FQDN)
	}
	return armnetwork.LocalNetworkGateway{Location: to.Ptr(l.Location), Properties: props}
}

// localGatewayWritable returns a local network gateway as read, without
// its read-only fields.
func localGatewayWritable(l *armnetwork.LocalNetworkGateway) armnetwork.LocalNetworkGateway {
	out := armnetwork.LocalNetworkGateway{Location: l.Location, Tags: l.Tags, Properties: &armnetwork.LocalNetworkGatewayPropertiesFormat{}}
	if p := l.Properties; p != nil {
		*out.Properties = armnetwork.LocalNetworkGatewayPropertiesFormat{
			BgpSettings: p.BgpSettings, Fqdn: p.Fqdn, GatewayIPAddress: p.GatewayIPAddress, LocalNetworkAddressSpace: p.LocalNetworkAddressSpace,
		}
	}
	return out
}

// gatewayWritable returns a gateway as read, without the read-only fields
// that identify its state.
func gatewayWritable(g *armnetwork.VirtualNetworkGateway) armnetwork.VirtualNetworkGateway {
	out := *g
	out.ID, out.Name, out.Type, out.Etag = nil, nil, nil, nil
	if g.Properties != nil {
		props := *g.Properties
		props.ProvisioningState, props.ResourceGUID = nil, nil
		out.Properties = &props
	} else {
		out.Properties = &armnetwork.VirtualNetworkGatewayPropertiesFormat{}
	}
	return out
}

// errWriteOnlySecret refuses a gateway PUT that could clear a secret.
var errWriteOnlySecret = errors.New("its point-to-site configuration uses RADIUS, whose shared secret ARM never returns on a read; a PUT of the gateway as read could clear it, so vnetdrift does not write it: fix this gateway by hand")

// writeOnlySecrets reports whether a gateway as read lacks settings that
// a PUT would need to keep (the RADIUS server secrets are write-only).
func writeOnlySecrets(g *armnetwork.VirtualNetworkGateway) error {
	if g.Properties == nil || g.Properties.VPNClientConfiguration == nil {
		return nil
	}
	c := g.Properties.VPNClientConfiguration
	if c.RadiusServerAddress != nil || len(c.RadiusServers) > 0 {
		return errWriteOnlySecret
	}
	return nil
}

func prefixStrings(ps []netip.Prefix) []*string {
	out := make([]*string, len(ps))
	for i, p := range ps {
		out[i] = to.Ptr(p.String())
	}
	return out
}
