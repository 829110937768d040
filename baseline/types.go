// Package baseline is the declared, desired state of virtual networks that
// vnetdrift checks an estate against: versioned YAML with a JSON Schema,
// per-rule settings, exemptions, and capture from a live or offline estate.
package baseline

import (
	"net/netip"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Version is the only baseline format version this build reads.
const Version = 1

// Baseline is a parsed, validated baseline file.
type Baseline struct {
	Version       int
	Path          string // file it was read from, for SARIF locations; "" if none
	Defaults      Defaults
	Rules         map[string]RuleSetting // by rule ID
	Exemptions    []Exemption
	VNets         []*VNet
	LocalGateways []*LocalGateway
	// Routing holds the top-level "routes" and "receivers" blocks as a YAML
	// mapping node (zero Kind when neither is present). Parse stores them
	// unchecked and Marshal writes them back; notify.ParseRouting checks
	// and decodes them.
	Routing yaml.Node
	// Comments are written by Marshal as comment lines at the top of the
	// file, after the schema line. Capture fills them; Parse leaves them nil.
	Comments []string

	vnets map[estate.Key]*VNet
	lngs  map[estate.Key]*LocalGateway
}

// Defaults apply where a baseline entry leaves a setting out.
type Defaults struct {
	// Peering flags assumed for every baseline peering that does not set them.
	Peering PeeringFlags
}

// PeeringFlags are the settable flags of a peering; nil means "not declared".
type PeeringFlags struct {
	AllowVirtualNetworkAccess *bool
	AllowForwardedTraffic     *bool
	AllowGatewayTransit       *bool
	UseRemoteGateways         *bool
}

// RuleSetting overrides a rule's defaults.
type RuleSetting struct {
	Enabled  *bool  // nil: enabled
	Severity string // "" | high | medium | low
	// Mode is reserved, used by alerting/remediation: "" | alert | plan | remediate.
	Mode string
	// AllowDelete is reserved, used by remediation: it may delete resources
	// the baseline does not declare.
	AllowDelete bool
	Line        int
}

// Exemption suppresses a rule for matching resources until it expires.
// An expiry date in the file ("2026-12-31") means the end of that day UTC,
// so Expires is the following midnight UTC.
type Exemption struct {
	Rule     string    // rule ID, or "*" for every rule
	Resource string    // resource ID pattern: '*' matches any run of characters; case-insensitive
	Reason   string    // required
	Owner    string    // required
	Expires  time.Time // UTC instant from which it no longer applies; zero: never
	Line     int
}

// VNet is the expected state of one virtual network.
type VNet struct {
	ID              string
	Key             estate.Key
	AddressPrefixes []netip.Prefix // nil: not declared
	Peerings        []*Peering
	Gateway         *Gateway // nil: no gateway declared (not checked)
	Connections     []*Connection
	Line            int // line of the VNet's entry in the baseline file
}

// Peering is an expected peering from the enclosing VNet to Remote.
type Peering struct {
	Name      string // optional; matched by remote VNet, not by name
	Remote    string
	RemoteKey estate.Key
	PeeringFlags
	Line int
}

// Gateway is the expected VPN gateway of a VNet. Empty/nil fields are not checked.
type Gateway struct {
	ID           string
	Key          estate.Key
	GatewayType  string
	VPNType      string
	SKU          string
	ActiveActive *bool
	EnableBGP    *bool
	ASN          *int64
	Generation   string
	// AllowDisruptive is reserved, used by remediation: it may change
	// settings that interrupt traffic (SKU, active-active, BGP).
	AllowDisruptive bool
	Line            int
}

// Connection is an expected connection of the VNet's gateway. Peer is the
// gateway at the other end (Vnet2Vnet) or the local network gateway (IPsec).
type Connection struct {
	ID                             string
	Key                            estate.Key
	Type                           string
	Peer                           string
	PeerKey                        estate.Key
	Protocol                       string
	EnableBGP                      *bool
	UsePolicyBasedTrafficSelectors *bool
	IPsecPolicies                  []estate.IPsecPolicy // nil: not checked; empty: expect none
	Line                           int
}

// LocalGateway is the expected state of a local network gateway.
type LocalGateway struct {
	ID        string
	Key       estate.Key
	Prefixes  []netip.Prefix
	GatewayIP string
	ASN       *int64
	BGPPeerIP string
	// Represents names the Azure VNet this "on-premises site" really is,
	// when two VNets are joined Site-to-Site.
	Represents    string
	RepresentsKey estate.Key
	Line          int
}

// VNet returns the baseline entry of a VNet, or nil.
func (b *Baseline) VNet(k estate.Key) *VNet { return b.vnets[k] }

// LocalGateway returns the baseline entry of a local network gateway, or nil.
func (b *Baseline) LocalGateway(k estate.Key) *LocalGateway { return b.lngs[k] }

// Index builds the lookup maps; Parse calls it. Call it after building a
// Baseline by hand.
func (b *Baseline) Index() {
	b.vnets = make(map[estate.Key]*VNet, len(b.VNets))
	for _, v := range b.VNets {
		v.Key = estate.KeyOf(v.ID)
		b.vnets[v.Key] = v
		for _, p := range v.Peerings {
			p.RemoteKey = estate.KeyOf(p.Remote)
		}
		if v.Gateway != nil && v.Gateway.ID != "" {
			v.Gateway.Key = estate.KeyOf(v.Gateway.ID)
		}
		for _, c := range v.Connections {
			c.Key, c.PeerKey = estate.KeyOf(c.ID), estate.KeyOf(c.Peer)
		}
	}
	b.lngs = make(map[estate.Key]*LocalGateway, len(b.LocalGateways))
	for _, l := range b.LocalGateways {
		l.Key = estate.KeyOf(l.ID)
		if l.Represents != "" {
			l.RepresentsKey = estate.KeyOf(l.Represents)
		}
		b.lngs[l.Key] = l
	}
}
