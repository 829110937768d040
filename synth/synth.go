// Package synth generates synthetic hub-and-spoke estates of any size, as
// ARM REST JSON, for benchmarks and load tests. Output is deterministic.
package synth

import (
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Spec sizes a synthetic estate.
type Spec struct {
	VNets         int // total VNets, hubs included
	SpokesPerHub  int // default 499: 20 hubs for 10,000 VNets
	Subscriptions int // VNets are spread over this many subscriptions; default 1
}

// Generate builds a hub-and-spoke estate: every hub has a VPN gateway with a
// public IP and a Site-to-Site connection to its own on-premises site;
// consecutive hubs are joined by Vnet2Vnet connections in both directions;
// every spoke is peered with its hub in both directions (Connected,
// FullyInSync, gateway transit). Address spaces do not overlap: hub h is
// 10.h.0.0/16-ish, spokes take /26s from 10.128.0.0/9.
func Generate(s Spec) *estate.Resources {
	if s.SpokesPerHub <= 0 {
		s.SpokesPerHub = 499
	}
	if s.Subscriptions <= 0 {
		s.Subscriptions = 1
	}
	g := &gen{spec: s, res: &estate.Resources{Skipped: map[string]int{}}}
	hubs := (s.VNets + s.SpokesPerHub) / (s.SpokesPerHub + 1)
	spokes := s.VNets - hubs
	for h := 0; h < hubs; h++ {
		g.hub(h)
	}
	for i := 0; i < spokes; i++ {
		g.spoke(i, i%hubs)
	}
	for h := 0; h+1 < hubs; h++ {
		g.vnet2vnet(h, h+1)
		g.vnet2vnet(h+1, h)
	}
	return g.res
}

// JSON returns the generated estate as a JSON array of ARM resources.
func JSON(s Spec) ([]byte, error) {
	data, err := json.Marshal(Generate(s))
	if err != nil {
		return nil, fmt.Errorf("encoding synthetic estate: %w", err)
	}
	return data, nil
}

type gen struct {
	spec Spec
	res  *estate.Resources
	hubs []*armnetwork.VirtualNetwork
	gws  []string
}

func (g *gen) sub(i int) string {
	return fmt.Sprintf("00000000-0000-0000-0000-%012d", i%g.spec.Subscriptions)
}

func (g *gen) id(sub, rg, typ, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/%s/%s", sub, rg, typ, name)
}

func (g *gen) hub(h int) {
	sub, rg := g.sub(h), fmt.Sprintf("rg-hub-%03d", h)
	// Hubs take /20s from 10.0.0.0/10: up to 1,024 hubs.
	space := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(h >> 4), byte(h&15) << 4, 0}), 20)
	gwSubnet := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(h >> 4), byte(h&15)<<4 | 15, 224}), 27)
	v := vnet(g.id(sub, rg, "virtualNetworks", fmt.Sprintf("vnet-hub-%03d", h)), "westeurope", space)
	gwID := g.id(sub, rg, "virtualNetworkGateways", fmt.Sprintf("vpngw-hub-%03d", h))
	v.Properties.Subnets = append(v.Properties.Subnets, &armnetwork.Subnet{
		ID: to.Ptr(*v.ID + "/subnets/GatewaySubnet"), Name: to.Ptr("GatewaySubnet"),
		Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr(gwSubnet.String())},
	})
	pipID := g.id(sub, rg, "publicIPAddresses", fmt.Sprintf("pip-vpngw-hub-%03d", h))
	g.res.PublicIPs = append(g.res.PublicIPs, &armnetwork.PublicIPAddress{
		ID: to.Ptr(pipID), Name: to.Ptr(estate.LastSegment(pipID)), Type: to.Ptr(estate.TypePublicIP),
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{IPAddress: to.Ptr(fmt.Sprintf("198.18.%d.%d", h>>8, h&255))},
	})
	g.res.Gateways = append(g.res.Gateways, gateway(gwID, *v.ID, pipID, int64(64512+h)))
	lngID := g.id(sub, rg, "localNetworkGateways", fmt.Sprintf("lng-site-%03d", h))
	site := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16 + byte(h>>8), byte(h), 0}), 24)
	g.res.LocalGateways = append(g.res.LocalGateways, &armnetwork.LocalNetworkGateway{
		ID: to.Ptr(lngID), Name: to.Ptr(estate.LastSegment(lngID)), Type: to.Ptr(estate.TypeLocalGateway), Location: to.Ptr("westeurope"),
		Properties: &armnetwork.LocalNetworkGatewayPropertiesFormat{
			GatewayIPAddress:         to.Ptr(fmt.Sprintf("203.0.%d.%d", 113+h>>8, h&255)),
			LocalNetworkAddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr(site.String())}},
		},
	})
	g.res.Connections = append(g.res.Connections, connection(g.id(sub, rg, "connections", fmt.Sprintf("cn-hub-%03d-site", h)),
		armnetwork.VirtualNetworkGatewayConnectionTypeIPsec, gwID, "", lngID))
	g.hubs = append(g.hubs, v)
	g.gws = append(g.gws, gwID)
	g.res.VNets = append(g.res.VNets, v)
}

func (g *gen) spoke(i, h int) {
	sub, rg := g.sub(i), fmt.Sprintf("rg-spoke-%05d", i)
	n := 0x800000 + i*64 // one /26 per spoke from 10.128.0.0/9: room for 131,072 spokes
	space := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(n >> 16), byte(n >> 8), byte(n)}), 26)
	v := vnet(g.id(sub, rg, "virtualNetworks", fmt.Sprintf("vnet-spoke-%05d", i)), "westeurope", space)
	hub := g.hubs[h]
	hub.Properties.VirtualNetworkPeerings = append(hub.Properties.VirtualNetworkPeerings, peering(hub, v, true, false))
	v.Properties.VirtualNetworkPeerings = append(v.Properties.VirtualNetworkPeerings, peering(v, hub, false, true))
	g.res.VNets = append(g.res.VNets, v)
}

func (g *gen) vnet2vnet(a, b int) {
	sub, rg := g.sub(a), fmt.Sprintf("rg-hub-%03d", a)
	g.res.Connections = append(g.res.Connections, connection(g.id(sub, rg, "connections", fmt.Sprintf("cn-hub-%03d-to-%03d", a, b)),
		armnetwork.VirtualNetworkGatewayConnectionTypeVnet2Vnet, g.gws[a], g.gws[b], ""))
}

func vnet(id, loc string, space netip.Prefix) *armnetwork.VirtualNetwork {
	sub := netip.PrefixFrom(space.Addr(), 27)
	return &armnetwork.VirtualNetwork{
		ID: to.Ptr(id), Name: to.Ptr(estate.LastSegment(id)), Type: to.Ptr(estate.TypeVNet), Location: to.Ptr(loc),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr(space.String())}},
			Subnets: []*armnetwork.Subnet{{ID: to.Ptr(id + "/subnets/snet-workload"), Name: to.Ptr("snet-workload"),
				Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr(sub.String())}}},
		},
	}
}

func peering(local, remote *armnetwork.VirtualNetwork, transit, useRemote bool) *armnetwork.VirtualNetworkPeering {
	name := "peer-" + *local.Name + "-to-" + *remote.Name
	return &armnetwork.VirtualNetworkPeering{
		ID: to.Ptr(*local.ID + "/virtualNetworkPeerings/" + name), Name: to.Ptr(name), Type: to.Ptr(estate.TypePeering),
		Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
			RemoteVirtualNetwork:      &armnetwork.SubResource{ID: remote.ID},
			AllowVirtualNetworkAccess: to.Ptr(true), AllowForwardedTraffic: to.Ptr(true),
			AllowGatewayTransit: to.Ptr(transit), UseRemoteGateways: to.Ptr(useRemote),
			PeeringState:                     to.Ptr(armnetwork.VirtualNetworkPeeringStateConnected),
			PeeringSyncLevel:                 to.Ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync),
			RemoteAddressSpace:               remote.Properties.AddressSpace,
			RemoteVirtualNetworkAddressSpace: remote.Properties.AddressSpace,
		},
	}
}

func gateway(id, vnetID, pipID string, asn int64) *armnetwork.VirtualNetworkGateway {
	sku := armnetwork.VirtualNetworkGatewaySKUNameVPNGw2AZ
	return &armnetwork.VirtualNetworkGateway{
		ID: to.Ptr(id), Name: to.Ptr(estate.LastSegment(id)), Type: to.Ptr(estate.TypeGateway), Location: to.Ptr("westeurope"),
		Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
			GatewayType: to.Ptr(armnetwork.VirtualNetworkGatewayTypeVPN), VPNType: to.Ptr(armnetwork.VPNTypeRouteBased),
			SKU:                  &armnetwork.VirtualNetworkGatewaySKU{Name: &sku, Tier: to.Ptr(armnetwork.VirtualNetworkGatewaySKUTier(sku))},
			EnableBgp:            to.Ptr(true),
			BgpSettings:          &armnetwork.BgpSettings{Asn: to.Ptr(asn)},
			VPNGatewayGeneration: to.Ptr(armnetwork.VPNGatewayGenerationGeneration2),
			IPConfigurations: []*armnetwork.VirtualNetworkGatewayIPConfiguration{{
				ID: to.Ptr(id + "/ipConfigurations/default"), Name: to.Ptr("default"),
				Properties: &armnetwork.VirtualNetworkGatewayIPConfigurationPropertiesFormat{
					Subnet:          &armnetwork.SubResource{ID: to.Ptr(vnetID + "/subnets/GatewaySubnet")},
					PublicIPAddress: &armnetwork.SubResource{ID: to.Ptr(pipID)},
				},
			}},
		},
	}
}

func connection(id string, typ armnetwork.VirtualNetworkGatewayConnectionType, gw1, gw2, lng string) *armnetwork.VirtualNetworkGatewayConnection {
	p := &armnetwork.VirtualNetworkGatewayConnectionPropertiesFormat{
		ConnectionType:         to.Ptr(typ),
		VirtualNetworkGateway1: &armnetwork.VirtualNetworkGateway{ID: to.Ptr(gw1)},
		ConnectionProtocol:     to.Ptr(armnetwork.VirtualNetworkGatewayConnectionProtocolIKEv2),
		EnableBgp:              to.Ptr(true),
		ConnectionStatus:       to.Ptr(armnetwork.VirtualNetworkGatewayConnectionStatusConnected),
	}
	if gw2 != "" {
		p.VirtualNetworkGateway2 = &armnetwork.VirtualNetworkGateway{ID: to.Ptr(gw2)}
	}
	if lng != "" {
		p.LocalNetworkGateway2 = &armnetwork.LocalNetworkGateway{ID: to.Ptr(lng)}
	}
	return &armnetwork.VirtualNetworkGatewayConnection{
		ID: to.Ptr(id), Name: to.Ptr(estate.LastSegment(id)), Type: to.Ptr(estate.TypeConnection), Location: to.Ptr("westeurope"), Properties: p,
	}
}
