package detector

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Gateway and connection type names as ARM spells them.
const (
	gatewayTypeVPN = "Vpn"
	vpnPolicyBased = "PolicyBased"
	connVNet2VNet  = "Vnet2Vnet"
	connIPsec      = "IPsec"
)

// checkBaselineGateways runs GATEWAY_MISSING and GATEWAY_SETTINGS_DRIFT.
func checkBaselineGateways(ev *evaluator) {
	for _, bv := range ev.b.VNets {
		v := ev.e.VNets[bv.Key]
		if bv.Gateway == nil || v == nil {
			continue // a missing VNet is VNET_MISSING
		}
		g := baselineGateway(ev.e, bv)
		if g == nil {
			gatewayMissing(ev, v, bv.Gateway)
			continue
		}
		gatewaySettingsDrift(ev, bv.Gateway, g, v)
	}
}

// baselineGateway finds the gateway a baseline VNet declares: by ID when
// the baseline gives one, else the VNet's first gateway of the declared
// type (VPN when none is declared).
func baselineGateway(e *estate.Estate, bv *baseline.VNet) *estate.Gateway {
	bg := bv.Gateway
	if bg.Key != "" {
		return e.Gateways[bg.Key]
	}
	want := bg.GatewayType
	if want == "" {
		want = gatewayTypeVPN
	}
	for _, g := range e.GatewaysOf(bv.Key) {
		if strings.EqualFold(gatewayType(g), want) {
			return g
		}
	}
	return nil
}

// gatewayType returns a gateway's type, VPN when the input left it out.
func gatewayType(g *estate.Gateway) string {
	if g.GatewayType == "" {
		return gatewayTypeVPN
	}
	return g.GatewayType
}

func gatewayMissing(ev *evaluator, v *estate.VNet, bg *baseline.Gateway) {
	resource, what := v.ID, "a gateway"
	if bg.ID != "" {
		resource, what = bg.ID, "gateway "+name(bg.ID)
	}
	ev.emit("gateway", Finding{
		Rule: RuleGatewayMissing, ResourceID: resource, VNetID: v.ID,
		Message:  fmt.Sprintf("VNet %s has no %s, although the baseline declares %s.", v.Name, orVPN(bg.GatewayType)+" gateway", what),
		Expected: strings.TrimSpace(orVPN(bg.GatewayType) + " gateway " + bg.ID), Actual: "none",
	})
}

func orVPN(t string) string {
	if t == "" || strings.EqualFold(t, gatewayTypeVPN) {
		return "VPN"
	}
	return t
}

func gatewaySettingsDrift(ev *evaluator, bg *baseline.Gateway, g *estate.Gateway, v *estate.VNet) {
	var d diffs
	d.text("gatewayType", bg.GatewayType, gatewayType(g))
	d.text("vpnType", bg.VPNType, g.VPNType)
	d.text("sku", bg.SKU, g.SKU)
	d.flag("activeActive", bg.ActiveActive, g.ActiveActive)
	d.flag("enableBgp", bg.EnableBGP, g.EnableBGP)
	d.number("asn", bg.ASN, g.ASN)
	d.text("vpnGatewayGeneration", bg.Generation, g.Generation)
	if len(d) == 0 {
		return
	}
	vnetID := ev.vnetID(g.VNetKey, v.ID)
	ev.emit("settings", Finding{
		Rule: RuleGatewaySettingsDrift, ResourceID: g.ID, VNetID: vnetID,
		Message:  fmt.Sprintf("Gateway %s in %s differs from the baseline: %s.", g.Name, name(vnetID), d.describe()),
		Expected: d.expected(), Actual: d.actual(),
	})
}

// checkPolicyBased runs GATEWAY_POLICY_BASED_UNSUPPORTED: a PolicyBased
// gateway supports one Site-to-Site connection and no VNet-to-VNet.
func checkPolicyBased(ev *evaluator) {
	for _, g := range ev.gateways {
		if !strings.EqualFold(g.VPNType, vpnPolicyBased) || !ev.wants(g.VNetKey) {
			continue
		}
		var v2v, s2s []string
		for _, c := range ev.e.ConnectionsOf(g.Key) {
			switch {
			case strings.EqualFold(c.Type, connVNet2VNet):
				v2v = append(v2v, c.Name)
			case strings.EqualFold(c.Type, connIPsec) && c.Gateway1Key == g.Key:
				s2s = append(s2s, c.Name)
			}
		}
		if len(v2v) == 0 && len(s2s) < 2 {
			continue
		}
		policyBasedUnsupported(ev, g, v2v, s2s)
	}
}

func policyBasedUnsupported(ev *evaluator, g *estate.Gateway, v2v, s2s []string) {
	var carries []string
	if len(v2v) > 0 {
		carries = append(carries, "VNet-to-VNet connections ("+strings.Join(v2v, ", ")+")")
	}
	if len(s2s) > 1 {
		carries = append(carries, strconv.Itoa(len(s2s))+" Site-to-Site connections ("+strings.Join(s2s, ", ")+")")
	}
	what := strings.Join(carries, " and ")
	ev.emit("vpnType", Finding{
		Rule: RuleGatewayPolicyBasedUnsupported, ResourceID: g.ID, VNetID: g.VNetID,
		Message:  fmt.Sprintf("Gateway %s is PolicyBased but carries %s, which need a RouteBased gateway.", g.Name, what),
		Expected: "vpnType=RouteBased", Actual: "vpnType=" + g.VPNType + " with " + what,
	})
}
