package opa

import (
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// GatewaySettings are the settings every VPN gateway is expected to have.
// Empty or nil fields are not checked. The JSON names are ARM's.
type GatewaySettings struct {
	GatewayType  string `json:"gatewayType,omitempty"`
	VPNType      string `json:"vpnType,omitempty"`
	SKU          string `json:"sku,omitempty"`
	ActiveActive *bool  `json:"activeActive,omitempty"`
	EnableBGP    *bool  `json:"enableBgp,omitempty"`
	Generation   string `json:"vpnGatewayGeneration,omitempty"`
}

// Expected is the small expected-settings object of the Rego input
// (input.expected).
type Expected struct {
	Gateway GatewaySettings `json:"gateway"`
}

// DefaultExpected is what synth.Generate's gateways are built with.
func DefaultExpected() Expected {
	no, yes := false, true
	return Expected{Gateway: GatewaySettings{
		GatewayType: "Vpn", VPNType: "RouteBased", SKU: "VpnGw2AZ",
		ActiveActive: &no, EnableBGP: &yes, Generation: "Generation2",
	}}
}

// Baseline returns the vnetdrift baseline that says what want says: every
// VNet with a gateway declares the expected gateway settings. It declares
// no peerings, so PEERING_UNEXPECTED (which would report every peering of
// a declared VNet) is turned off.
func Baseline(e *estate.Estate, want Expected) *baseline.Baseline {
	off := false
	b := &baseline.Baseline{
		Version: baseline.Version,
		Rules:   map[string]baseline.RuleSetting{detector.RulePeeringUnexpected: {Enabled: &off}},
	}
	for _, v := range estate.SortedValues(e.VNets) {
		if !e.HasGateway(v.Key) {
			continue
		}
		g := want.Gateway
		b.VNets = append(b.VNets, &baseline.VNet{ID: v.ID, Gateway: &baseline.Gateway{
			GatewayType: g.GatewayType, VPNType: g.VPNType, SKU: g.SKU,
			ActiveActive: g.ActiveActive, EnableBGP: g.EnableBGP, Generation: g.Generation,
		}})
	}
	b.Index()
	return b
}
