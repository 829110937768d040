// Package estate is the normalized, indexed, in-memory model of the Azure
// networks vnetdrift evaluates: virtual networks, peerings, VPN gateways,
// connections, local network gateways and public IP addresses. It decodes
// every input shape (ARM REST, ARM list envelopes, Resource Graph responses
// and the az CLI's flattened output) with the Azure SDK's own model types
// (Decode, ReadFile) and converts them (Build). Load takes a fast path: it
// decodes each resource once into small mirrors of the fields Build reads
// (mirror.go) and converts them with the same code. It does no network I/O.
package estate

import "net/netip"

// Resource types, as ARM spells them. Comparisons are case-insensitive.
const (
	TypeVNet         = "Microsoft.Network/virtualNetworks"
	TypePeering      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	TypeGateway      = "Microsoft.Network/virtualNetworkGateways"
	TypeConnection   = "Microsoft.Network/connections"
	TypeLocalGateway = "Microsoft.Network/localNetworkGateways"
	TypePublicIP     = "Microsoft.Network/publicIPAddresses"
)

// Peering states and sync levels used by the rules.
const (
	PeeringConnected    = "Connected"
	PeeringInitiated    = "Initiated"
	PeeringDisconnected = "Disconnected"
	SyncFullyInSync     = "FullyInSync"
	ConnectionConnected = "Connected"
)

// VNet is a virtual network.
type VNet struct {
	ID       string // as given
	Key      Key
	Name     string
	Location string
	Prefixes []netip.Prefix // address space, masked, in input order
	Subnets  []Subnet
	// GatewaySubnet reports whether the VNet has a subnet named GatewaySubnet.
	GatewaySubnet bool
	Peerings      []*Peering // peerings whose local side is this VNet
	Tags          map[string]string
}

// Subnet is a subnet of a virtual network.
type Subnet struct {
	Name     string
	Prefixes []netip.Prefix
}

// Peering is one half of a virtual network peering (local → remote).
type Peering struct {
	ID           string
	Key          Key
	Name         string
	VNetID       string // local VNet, as spelled in the peering ID
	VNetKey      Key
	RemoteVNetID string
	RemoteKey    Key

	AllowVirtualNetworkAccess bool
	AllowForwardedTraffic     bool
	AllowGatewayTransit       bool
	UseRemoteGateways         bool

	State     string // Initiated | Connected | Disconnected | "" (unknown)
	SyncLevel string // FullyInSync | LocalNotInSync | RemoteNotInSync | LocalAndRemoteNotInSync | "" (unknown)

	RemoteAddressSpace     []netip.Prefix // what is actually peered
	RemoteVNetAddressSpace []netip.Prefix // the remote VNet's current space
}

// Gateway is a virtual network gateway (VPN or ExpressRoute).
type Gateway struct {
	ID           string
	Key          Key
	Name         string
	Location     string
	VNetID       string // from the GatewaySubnet of its IP configurations
	VNetKey      Key
	GatewayType  string // Vpn | ExpressRoute | LocalGateway
	VPNType      string // RouteBased | PolicyBased
	SKU          string
	ActiveActive bool
	EnableBGP    bool
	ASN          int64
	Generation   string
	PublicIPIDs  []string
}

// IPsecPolicy is a custom IPsec/IKE policy of a connection.
type IPsecPolicy struct {
	SALifeTimeSeconds   int32  `json:"saLifeTimeSeconds" yaml:"saLifeTimeSeconds"`
	SADataSizeKilobytes int32  `json:"saDataSizeKilobytes" yaml:"saDataSizeKilobytes"`
	IPsecEncryption     string `json:"ipsecEncryption" yaml:"ipsecEncryption"`
	IPsecIntegrity      string `json:"ipsecIntegrity" yaml:"ipsecIntegrity"`
	IKEEncryption       string `json:"ikeEncryption" yaml:"ikeEncryption"`
	IKEIntegrity        string `json:"ikeIntegrity" yaml:"ikeIntegrity"`
	DHGroup             string `json:"dhGroup" yaml:"dhGroup"`
	PFSGroup            string `json:"pfsGroup" yaml:"pfsGroup"`
}

// Connection is a virtual network gateway connection (Microsoft.Network/connections).
type Connection struct {
	ID                             string
	Key                            Key
	Name                           string
	Type                           string // IPsec | Vnet2Vnet | ExpressRoute | VPNClient
	Gateway1ID                     string
	Gateway1Key                    Key
	Gateway2ID                     string // Vnet2Vnet only
	Gateway2Key                    Key
	LocalGatewayID                 string // IPsec only
	LocalGatewayKey                Key
	Protocol                       string // IKEv1 | IKEv2
	EnableBGP                      bool
	UsePolicyBasedTrafficSelectors bool
	IPsecPolicies                  []IPsecPolicy
	Status                         string // Unknown | Connecting | Connected | NotConnected | ""
}

// LocalGateway is a local network gateway: the Azure side's description of
// a site reached over Site-to-Site VPN.
type LocalGateway struct {
	ID        string
	Key       Key
	Name      string
	Location  string
	Prefixes  []netip.Prefix
	GatewayIP string // as given; not always a valid address
	FQDN      string
	ASN       int64
	BGPPeerIP string
}

// PublicIP is a public IP address resource; only its address matters here.
type PublicIP struct {
	ID   string
	Key  Key
	Addr netip.Addr // zero if not allocated
}
