package opa

import (
	"net/netip"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Document is the Rego input: the estate as an inventory of ARM-shaped
// resources, one array per type, plus the expected settings. It carries
// what the checks and a compliance team's inventory export would: IDs,
// names, address spaces, peering state and flags, gateway and connection
// settings, local network gateways.
type Document struct {
	Expected      Expected       `json:"expected"`
	VNets         []VNetDoc      `json:"virtualNetworks"`
	Gateways      []GatewayDoc   `json:"virtualNetworkGateways"`
	Connections   []ConnDoc      `json:"connections"`
	LocalGateways []LocalGateDoc `json:"localNetworkGateways"`
}

// Ref is an ARM sub-resource reference.
type Ref struct {
	ID string `json:"id"`
}

// AddressSpace is ARM's addressSpace object.
type AddressSpace struct {
	AddressPrefixes []string `json:"addressPrefixes"`
}

// VNetDoc is a virtual network with its peerings inline.
type VNetDoc struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Location   string    `json:"location,omitempty"`
	Properties VNetProps `json:"properties"`
}

// VNetProps are a VNet's properties.
type VNetProps struct {
	AddressSpace AddressSpace `json:"addressSpace"`
	Peerings     []PeeringDoc `json:"virtualNetworkPeerings"`
}

// PeeringDoc is one peering half.
type PeeringDoc struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Properties PeeringProps `json:"properties"`
}

// PeeringProps are a peering's properties; an unknown state or sync level
// is left out, as ARM leaves it out.
type PeeringProps struct {
	RemoteVirtualNetwork      Ref          `json:"remoteVirtualNetwork"`
	PeeringState              string       `json:"peeringState,omitempty"`
	PeeringSyncLevel          string       `json:"peeringSyncLevel,omitempty"`
	AllowVirtualNetworkAccess bool         `json:"allowVirtualNetworkAccess"`
	AllowForwardedTraffic     bool         `json:"allowForwardedTraffic"`
	AllowGatewayTransit       bool         `json:"allowGatewayTransit"`
	UseRemoteGateways         bool         `json:"useRemoteGateways"`
	RemoteAddressSpace        AddressSpace `json:"remoteAddressSpace"`
}

// GatewayDoc is a virtual network gateway.
type GatewayDoc struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Location   string       `json:"location,omitempty"`
	Properties GatewayProps `json:"properties"`
}

// GatewayProps are a gateway's properties.
type GatewayProps struct {
	GatewayType      string     `json:"gatewayType,omitempty"`
	VPNType          string     `json:"vpnType,omitempty"`
	SKU              SKU        `json:"sku"`
	ActiveActive     bool       `json:"activeActive"`
	EnableBGP        bool       `json:"enableBgp"`
	BGPSettings      ASN        `json:"bgpSettings"`
	Generation       string     `json:"vpnGatewayGeneration,omitempty"`
	IPConfigurations []IPConfig `json:"ipConfigurations"`
}

// SKU is a gateway SKU.
type SKU struct {
	Name string `json:"name"`
}

// ASN holds a BGP autonomous system number.
type ASN struct {
	ASN int64 `json:"asn"`
}

// IPConfig is a gateway IP configuration: its subnet (the VNet's
// GatewaySubnet) and public IP addresses.
type IPConfig struct {
	Properties IPConfigProps `json:"properties"`
}

// IPConfigProps are an IP configuration's properties.
type IPConfigProps struct {
	Subnet          Ref  `json:"subnet"`
	PublicIPAddress *Ref `json:"publicIPAddress,omitempty"`
}

// ConnDoc is a virtual network gateway connection.
type ConnDoc struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Properties ConnProps `json:"properties"`
}

// ConnProps are a connection's properties.
type ConnProps struct {
	ConnectionType         string `json:"connectionType"`
	VirtualNetworkGateway1 Ref    `json:"virtualNetworkGateway1"`
	VirtualNetworkGateway2 *Ref   `json:"virtualNetworkGateway2,omitempty"`
	LocalNetworkGateway2   *Ref   `json:"localNetworkGateway2,omitempty"`
	ConnectionProtocol     string `json:"connectionProtocol,omitempty"`
	EnableBGP              bool   `json:"enableBgp"`
	ConnectionStatus       string `json:"connectionStatus,omitempty"`
}

// LocalGateDoc is a local network gateway: an on-premises site.
type LocalGateDoc struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Location   string         `json:"location,omitempty"`
	Properties LocalGateProps `json:"properties"`
}

// LocalGateProps are a local network gateway's properties.
type LocalGateProps struct {
	GatewayIPAddress         string       `json:"gatewayIpAddress,omitempty"`
	FQDN                     string       `json:"fqdn,omitempty"`
	LocalNetworkAddressSpace AddressSpace `json:"localNetworkAddressSpace"`
}

// NewDocument converts an estate into the Rego input, resources in key
// order.
func NewDocument(e *estate.Estate, want Expected) *Document {
	d := &Document{Expected: want}
	for _, v := range estate.SortedValues(e.VNets) {
		d.VNets = append(d.VNets, vnetDoc(v))
	}
	for _, g := range estate.SortedValues(e.Gateways) {
		d.Gateways = append(d.Gateways, gatewayDoc(g))
	}
	for _, c := range estate.SortedValues(e.Connections) {
		d.Connections = append(d.Connections, connDoc(c))
	}
	for _, l := range estate.SortedValues(e.LocalGateways) {
		d.LocalGateways = append(d.LocalGateways, LocalGateDoc{ID: l.ID, Name: l.Name, Location: l.Location,
			Properties: LocalGateProps{GatewayIPAddress: l.GatewayIP, FQDN: l.FQDN, LocalNetworkAddressSpace: space(l.Prefixes)}})
	}
	return d
}

func vnetDoc(v *estate.VNet) VNetDoc {
	peerings := make([]PeeringDoc, 0, len(v.Peerings))
	for _, p := range v.Peerings {
		peerings = append(peerings, PeeringDoc{ID: p.ID, Name: p.Name, Properties: PeeringProps{
			RemoteVirtualNetwork: Ref{ID: p.RemoteVNetID},
			PeeringState:         p.State, PeeringSyncLevel: p.SyncLevel,
			AllowVirtualNetworkAccess: p.AllowVirtualNetworkAccess, AllowForwardedTraffic: p.AllowForwardedTraffic,
			AllowGatewayTransit: p.AllowGatewayTransit, UseRemoteGateways: p.UseRemoteGateways,
			RemoteAddressSpace: space(p.RemoteAddressSpace),
		}})
	}
	return VNetDoc{ID: v.ID, Name: v.Name, Location: v.Location,
		Properties: VNetProps{AddressSpace: space(v.Prefixes), Peerings: peerings}}
}

func gatewayDoc(g *estate.Gateway) GatewayDoc {
	ipc := IPConfigProps{Subnet: Ref{ID: g.VNetID + "/subnets/GatewaySubnet"}}
	if len(g.PublicIPIDs) > 0 {
		ipc.PublicIPAddress = &Ref{ID: g.PublicIPIDs[0]}
	}
	return GatewayDoc{ID: g.ID, Name: g.Name, Location: g.Location, Properties: GatewayProps{
		GatewayType: g.GatewayType, VPNType: g.VPNType, SKU: SKU{Name: g.SKU},
		ActiveActive: g.ActiveActive, EnableBGP: g.EnableBGP, BGPSettings: ASN{ASN: g.ASN},
		Generation: g.Generation, IPConfigurations: []IPConfig{{Properties: ipc}},
	}}
}

func connDoc(c *estate.Connection) ConnDoc {
	p := ConnProps{ConnectionType: c.Type, VirtualNetworkGateway1: Ref{ID: c.Gateway1ID},
		ConnectionProtocol: c.Protocol, EnableBGP: c.EnableBGP, ConnectionStatus: c.Status}
	if c.Gateway2ID != "" {
		p.VirtualNetworkGateway2 = &Ref{ID: c.Gateway2ID}
	}
	if c.LocalGatewayID != "" {
		p.LocalNetworkGateway2 = &Ref{ID: c.LocalGatewayID}
	}
	return ConnDoc{ID: c.ID, Name: c.Name, Properties: p}
}

func space(ps []netip.Prefix) AddressSpace {
	s := AddressSpace{AddressPrefixes: make([]string, len(ps))}
	for i, p := range ps {
		s.AddressPrefixes[i] = p.String()
	}
	return s
}
