package estate

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

// The mirror types hold an ARM resource in REST shape with only the fields
// the conversion into an Estate reads. They are what the fast path of Load
// decodes into with plain encoding/json (one scan per element, where the
// SDK models' UnmarshalJSON re-scans every nesting level), and what Build
// turns SDK model values into (sdk.go), so that one converter (convert.go)
// serves both. JSON names are ARM's (encoding/json also accepts them in
// another case, where the SDK models do not; ARM never writes them so).
// A scalar is a plain value wherever its absence and its zero value mean
// the same to the conversion; a pointer marks where presence matters (an
// address space that is present but empty is an empty prefix list, not a
// missing one).

// resource is one top-level ARM resource. Properties holds the union of
// the modelled properties of the six resource types; their names collide
// only where the types agree (enableBgp, bgpSettings).
type resource struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags"`
	Properties *properties       `json:"properties"`
}

type properties struct {
	vnetProps
	peeringProps
	gatewayProps
	connectionProps
	localGatewayProps
	EnableBgp   bool        `json:"enableBgp"`   // gateways and connections
	BgpSettings bgpSettings `json:"bgpSettings"` // gateways and local network gateways
	IPAddress   string      `json:"ipAddress"`   // public IP addresses
}

type vnetProps struct {
	AddressSpace           *addressSpace `json:"addressSpace"`
	Subnets                []*subnet     `json:"subnets"`
	VirtualNetworkPeerings []*peering    `json:"virtualNetworkPeerings"`
}

type addressSpace struct {
	AddressPrefixes []*string `json:"addressPrefixes"`
}

type subnet struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Properties *subnetProps `json:"properties"`
}

type subnetProps struct {
	AddressPrefix   *string   `json:"addressPrefix"`
	AddressPrefixes []*string `json:"addressPrefixes"`
}

// peering is a VNet peering inline in its VNet; a standalone peering
// resource is a resource whose properties carry the same peeringProps.
type peering struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Properties *peeringProps `json:"properties"`
}

type peeringProps struct {
	RemoteVirtualNetwork             subResource                           `json:"remoteVirtualNetwork"`
	AllowVirtualNetworkAccess        bool                                  `json:"allowVirtualNetworkAccess"`
	AllowForwardedTraffic            bool                                  `json:"allowForwardedTraffic"`
	AllowGatewayTransit              bool                                  `json:"allowGatewayTransit"`
	UseRemoteGateways                bool                                  `json:"useRemoteGateways"`
	PeeringState                     armnetwork.VirtualNetworkPeeringState `json:"peeringState"`
	PeeringSyncLevel                 armnetwork.VirtualNetworkPeeringLevel `json:"peeringSyncLevel"`
	RemoteAddressSpace               *addressSpace                         `json:"remoteAddressSpace"`
	RemoteVirtualNetworkAddressSpace *addressSpace                         `json:"remoteVirtualNetworkAddressSpace"`
}

// subResource is a reference to another resource.
type subResource struct {
	ID string `json:"id"`
}

// optionalID is a reference whose "id" may be absent, which is not the
// same as empty.
type optionalID struct {
	ID *string `json:"id"`
}

type gatewayProps struct {
	GatewayType          armnetwork.VirtualNetworkGatewayType `json:"gatewayType"`
	VPNType              armnetwork.VPNType                   `json:"vpnType"`
	SKU                  gatewaySKU                           `json:"sku"`
	Active               bool                                 `json:"activeActive"`
	VPNGatewayGeneration armnetwork.VPNGatewayGeneration      `json:"vpnGatewayGeneration"`
	IPConfigurations     []*ipConfiguration                   `json:"ipConfigurations"`
}

type gatewaySKU struct {
	Name armnetwork.VirtualNetworkGatewaySKUName `json:"name"`
}

type bgpSettings struct {
	Asn               int64  `json:"asn"`
	BgpPeeringAddress string `json:"bgpPeeringAddress"`
}

type ipConfiguration struct {
	Properties *ipConfigurationProps `json:"properties"`
}

type ipConfigurationProps struct {
	Subnet          subResource `json:"subnet"`
	PublicIPAddress *optionalID `json:"publicIPAddress"`
}

type connectionProps struct {
	ConnectionType                 armnetwork.VirtualNetworkGatewayConnectionType     `json:"connectionType"`
	VirtualNetworkGateway1         subResource                                        `json:"virtualNetworkGateway1"`
	VirtualNetworkGateway2         subResource                                        `json:"virtualNetworkGateway2"`
	LocalNetworkGateway2           subResource                                        `json:"localNetworkGateway2"`
	ConnectionProtocol             armnetwork.VirtualNetworkGatewayConnectionProtocol `json:"connectionProtocol"`
	UsePolicyBasedTrafficSelectors bool                                               `json:"usePolicyBasedTrafficSelectors"`
	ConnectionStatus               armnetwork.VirtualNetworkGatewayConnectionStatus   `json:"connectionStatus"`
	IPSecPolicies                  []*ipsecPolicy                                     `json:"ipsecPolicies"`
}

type ipsecPolicy struct {
	SaLifeTimeSeconds   int32                      `json:"saLifeTimeSeconds"`
	SaDataSizeKilobytes int32                      `json:"saDataSizeKilobytes"`
	IPSecEncryption     armnetwork.IPSecEncryption `json:"ipsecEncryption"`
	IPSecIntegrity      armnetwork.IPSecIntegrity  `json:"ipsecIntegrity"`
	IkeEncryption       armnetwork.IkeEncryption   `json:"ikeEncryption"`
	IkeIntegrity        armnetwork.IkeIntegrity    `json:"ikeIntegrity"`
	DhGroup             armnetwork.DhGroup         `json:"dhGroup"`
	PfsGroup            armnetwork.PfsGroup        `json:"pfsGroup"`
}

type localGatewayProps struct {
	LocalNetworkAddressSpace *addressSpace `json:"localNetworkAddressSpace"`
	GatewayIPAddress         string        `json:"gatewayIpAddress"`
	Fqdn                     string        `json:"fqdn"`
}
