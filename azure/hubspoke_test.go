package azure

import (
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Subscriptions of the hub-and-spoke test estate.
const (
	subA = "00000000-0000-0000-0000-00000000000a"
	subB = "00000000-0000-0000-0000-00000000000b"
)

func resID(sub, rg, typ, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s", sub, rg, typ, name)
}

// IDs of the hub-and-spoke test estate.
var (
	hubID       = resID(subA, "rg-hub", estate.TypeVNet, "hub")
	hubGWID     = resID(subA, "rg-hub", estate.TypeGateway, "hub-gw")
	hubPIPID    = resID(subA, "rg-hub", estate.TypePublicIP, "hub-gw-pip")
	onpremID    = resID(subA, "rg-hub", estate.TypeLocalGateway, "onprem")
	ipsecID     = resID(subA, "rg-hub", estate.TypeConnection, "hub-to-onprem")
	v2vID       = resID(subA, "rg-hub", estate.TypeConnection, "hub-to-hub2")
	spoke1ID    = resID(subA, "rg-spokes", estate.TypeVNet, "spoke1")
	spoke2ID    = resID(subA, "rg-spokes", estate.TypeVNet, "spoke2")
	loneID      = resID(subA, "rg-other", estate.TypeVNet, "lone")
	hub2ID      = resID(subB, "rg-hub2", estate.TypeVNet, "hub2")
	hub2GWID    = resID(subB, "rg-hub2", estate.TypeGateway, "hub2-gw")
	hub2PIPID   = resID(subB, "rg-hub2", estate.TypePublicIP, "hub2-gw-pip")
	hub2BackID  = resID(subB, "rg-hub2", estate.TypeConnection, "hub2-to-hub")
	missingVNet = resID(subA, "rg-spokes", estate.TypeVNet, "gone")
)

// hubAndSpoke builds the test estate: in subscription A a hub VNet with a
// GatewaySubnet and a route-based VPN gateway, an IPsec connection to an
// on-premises local network gateway, a Vnet2Vnet connection to hub2 in
// subscription B (which connects back), two spokes peered with the hub
// (spoke1 uses the hub's gateway), and an unrelated VNet.
func hubAndSpoke() *estate.Resources {
	return &estate.Resources{
		VNets: []*armnetwork.VirtualNetwork{
			vnet(hubID, "10.0.0.0/16", gwSubnet(hubID, "10.0.255.0/27", hubGWID),
				peering(hubID, "to-spoke1", spoke1ID, true, false), peering(hubID, "to-spoke2", spoke2ID, true, false)),
			vnet(spoke1ID, "10.1.0.0/16", nil, peering(spoke1ID, "to-hub", hubID, false, true)),
			vnet(spoke2ID, "10.2.0.0/16", nil, peering(spoke2ID, "to-hub", hubID, false, false)),
			vnet(loneID, "10.9.0.0/16", nil),
			vnet(hub2ID, "10.100.0.0/16", gwSubnet(hub2ID, "10.100.255.0/27", hub2GWID)),
		},
		Gateways: []*armnetwork.VirtualNetworkGateway{
			gateway(hubGWID, hubID, hubPIPID, 65515),
			gateway(hub2GWID, hub2ID, hub2PIPID, 65516),
		},
		Connections: []*armnetwork.VirtualNetworkGatewayConnection{
			connection(ipsecID, armnetwork.VirtualNetworkGatewayConnectionTypeIPsec, hubGWID, "", onpremID),
			connection(v2vID, armnetwork.VirtualNetworkGatewayConnectionTypeVnet2Vnet, hubGWID, hub2GWID, ""),
			connection(hub2BackID, armnetwork.VirtualNetworkGatewayConnectionTypeVnet2Vnet, hub2GWID, hubGWID, ""),
		},
		LocalGateways: []*armnetwork.LocalNetworkGateway{{
			ID: to.Ptr(onpremID), Name: to.Ptr("onprem"), Type: to.Ptr(estate.TypeLocalGateway), Location: to.Ptr("westeurope"),
			Properties: &armnetwork.LocalNetworkGatewayPropertiesFormat{
				GatewayIPAddress:         to.Ptr("203.0.113.10"),
				LocalNetworkAddressSpace: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs("192.168.0.0/16")},
			},
		}},
		PublicIPs: []*armnetwork.PublicIPAddress{publicIP(hubPIPID, "198.51.100.1"), publicIP(hub2PIPID, "198.51.100.2")},
	}
}

func vnet(id, prefix string, gw *armnetwork.Subnet, peerings ...*armnetwork.VirtualNetworkPeering) *armnetwork.VirtualNetwork {
	subnets := []*armnetwork.Subnet{{
		ID: to.Ptr(id + "/subnets/default"), Name: to.Ptr("default"),
		Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr(prefix[:len(prefix)-3] + "/24")},
	}}
	if gw != nil {
		subnets = append(subnets, gw)
	}
	return &armnetwork.VirtualNetwork{
		ID: to.Ptr(id), Name: to.Ptr(estate.LastSegment(id)), Type: to.Ptr(estate.TypeVNet), Location: to.Ptr("westeurope"),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace:           &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefix)},
			Subnets:                subnets,
			VirtualNetworkPeerings: peerings,
		},
	}
}

func gwSubnet(vnetID, prefix, gatewayID string) *armnetwork.Subnet {
	return &armnetwork.Subnet{
		ID: to.Ptr(vnetID + "/subnets/GatewaySubnet"), Name: to.Ptr("GatewaySubnet"),
		Properties: &armnetwork.SubnetPropertiesFormat{
			AddressPrefix:    to.Ptr(prefix),
			IPConfigurations: []*armnetwork.IPConfiguration{{ID: to.Ptr(gatewayID + "/ipConfigurations/default")}},
		},
	}
}

func peering(vnetID, name, remoteID string, transit, useRemote bool) *armnetwork.VirtualNetworkPeering {
	return &armnetwork.VirtualNetworkPeering{
		ID: to.Ptr(vnetID + "/virtualNetworkPeerings/" + name), Name: to.Ptr(name),
		Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
			RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(remoteID)},
			AllowVirtualNetworkAccess: to.Ptr(true),
			AllowGatewayTransit:       to.Ptr(transit),
			UseRemoteGateways:         to.Ptr(useRemote),
			PeeringState:              to.Ptr(armnetwork.VirtualNetworkPeeringStateConnected),
			PeeringSyncLevel:          to.Ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync),
		},
	}
}

func gateway(id, vnetID, pipID string, asn int64) *armnetwork.VirtualNetworkGateway {
	return &armnetwork.VirtualNetworkGateway{
		ID: to.Ptr(id), Name: to.Ptr(estate.LastSegment(id)), Type: to.Ptr(estate.TypeGateway), Location: to.Ptr("westeurope"),
		Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
			GatewayType: to.Ptr(armnetwork.VirtualNetworkGatewayTypeVPN),
			VPNType:     to.Ptr(armnetwork.VPNTypeRouteBased),
			SKU: &armnetwork.VirtualNetworkGatewaySKU{
				Name: to.Ptr(armnetwork.VirtualNetworkGatewaySKUNameVPNGw1), Tier: to.Ptr(armnetwork.VirtualNetworkGatewaySKUTierVPNGw1),
			},
			EnableBgp:   to.Ptr(true),
			BgpSettings: &armnetwork.BgpSettings{Asn: to.Ptr(asn)},
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
		ConnectionProtocol:     to.Ptr(armnetwork.VirtualNetworkGatewayConnectionProtocolIKEv2),
		VirtualNetworkGateway1: &armnetwork.VirtualNetworkGateway{ID: to.Ptr(gw1)},
		ConnectionStatus:       to.Ptr(armnetwork.VirtualNetworkGatewayConnectionStatusConnected),
	}
	if gw2 != "" {
		p.VirtualNetworkGateway2 = &armnetwork.VirtualNetworkGateway{ID: to.Ptr(gw2)}
	}
	if lng != "" {
		p.LocalNetworkGateway2 = &armnetwork.LocalNetworkGateway{ID: to.Ptr(lng)}
	}
	return &armnetwork.VirtualNetworkGatewayConnection{
		ID: to.Ptr(id), Name: to.Ptr(estate.LastSegment(id)), Type: to.Ptr(estate.TypeConnection), Location: to.Ptr("westeurope"),
		Properties: p,
	}
}

func publicIP(id, addr string) *armnetwork.PublicIPAddress {
	return &armnetwork.PublicIPAddress{
		ID: to.Ptr(id), Name: to.Ptr(estate.LastSegment(id)), Type: to.Ptr(estate.TypePublicIP), Location: to.Ptr("westeurope"),
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{IPAddress: to.Ptr(addr)},
	}
}

// ids returns the resource IDs of res by kind, for comparisons.
func ids(res *estate.Resources) map[string][]string {
	out := map[string][]string{}
	for _, v := range res.VNets {
		out["vnets"] = append(out["vnets"], *v.ID)
	}
	for _, v := range res.Gateways {
		out["gateways"] = append(out["gateways"], *v.ID)
	}
	for _, v := range res.Connections {
		out["connections"] = append(out["connections"], *v.ID)
	}
	for _, v := range res.LocalGateways {
		out["localGateways"] = append(out["localGateways"], *v.ID)
	}
	for _, v := range res.PublicIPs {
		out["publicIPs"] = append(out["publicIPs"], *v.ID)
	}
	return out
}

func copyLNG(l *armnetwork.LocalNetworkGateway, id string) *armnetwork.LocalNetworkGateway {
	c := *l
	c.ID, c.Name = to.Ptr(id), to.Ptr(estate.LastSegment(id))
	return &c
}
