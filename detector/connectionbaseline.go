package detector

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// checkBaselineConnections runs CONNECTION_MISSING (declared connections
// and the reverse half of each VNet-to-VNet connection of a baseline VNet)
// and CONNECTION_SETTINGS_DRIFT.
func checkBaselineConnections(ev *evaluator) {
	for _, bv := range ev.b.VNets {
		v := ev.e.VNets[bv.Key]
		if v == nil {
			continue // a missing VNet is VNET_MISSING
		}
		for _, bc := range bv.Connections {
			if bc.Key == "" && bc.PeerKey == "" {
				continue // names nothing to look for
			}
			if c := findConnection(ev.e, bv.Key, bc); c != nil {
				connectionSettingsDrift(ev, bc, c, v)
			} else {
				connectionMissing(ev, v, bc)
			}
		}
		for _, g := range ev.e.GatewaysOf(bv.Key) {
			for _, c := range ev.e.ConnectionsOf(g.Key) {
				reverseVNet2VNet(ev, c)
			}
		}
	}
}

// findConnection finds a declared connection: by ID when the baseline gives
// one, else a connection from one of the VNet's gateways to the declared
// peer (gateway or local network gateway) of the declared type.
func findConnection(e *estate.Estate, vnet estate.Key, bc *baseline.Connection) *estate.Connection {
	if bc.Key != "" {
		return e.Connections[bc.Key]
	}
	for _, g := range e.GatewaysOf(vnet) {
		for _, c := range e.ConnectionsOf(g.Key) {
			if c.Gateway1Key != g.Key || (c.Gateway2Key != bc.PeerKey && c.LocalGatewayKey != bc.PeerKey) {
				continue
			}
			if bc.Type == "" || strings.EqualFold(bc.Type, c.Type) {
				return c
			}
		}
	}
	return nil
}

func connectionMissing(ev *evaluator, v *estate.VNet, bc *baseline.Connection) {
	resource, subject := v.ID, "connection:"+string(bc.PeerKey)
	msg := fmt.Sprintf("VNet %s has no %sconnection to %s, which the baseline declares.", v.Name, typePrefix(bc.Type), name(bc.Peer))
	if bc.ID != "" {
		resource, subject = bc.ID, "connection"
		msg = fmt.Sprintf("Connection %s of VNet %s is declared in the baseline but does not exist.", name(bc.ID), v.Name)
	}
	ev.emit(subject, Finding{
		Rule: RuleConnectionMissing, ResourceID: resource, VNetID: v.ID, Message: msg,
		Expected: strings.TrimSpace(typePrefix(bc.Type) + "connection to " + bc.Peer), Actual: "none",
	})
}

func typePrefix(t string) string {
	if t == "" {
		return ""
	}
	return t + " "
}

// reverseVNet2VNet reports a VNet-to-VNet connection gw1 → gw2 that has no
// connection gw2 → gw1, when gw2's VNet is in the estate.
func reverseVNet2VNet(ev *evaluator, c *estate.Connection) {
	if !strings.EqualFold(c.Type, connVNet2VNet) {
		return
	}
	g2 := ev.e.Gateways[c.Gateway2Key]
	if g2 == nil || ev.e.VNets[g2.VNetKey] == nil {
		return // the far end is unknown
	}
	for _, r := range ev.e.ConnectionsOf(g2.Key) {
		if strings.EqualFold(r.Type, connVNet2VNet) && r.Gateway1Key == g2.Key && r.Gateway2Key == c.Gateway1Key {
			return
		}
	}
	ev.emit("vnet2vnet:"+string(c.Gateway1Key), Finding{
		Rule: RuleConnectionMissing, ResourceID: g2.ID, VNetID: ev.vnetID(g2.VNetKey, g2.VNetID),
		Message: fmt.Sprintf("Gateway %s has no VNet-to-VNet connection back to %s, so connection %s cannot come up.",
			g2.Name, name(c.Gateway1ID), connectionLabel(c)),
		Expected: "Vnet2Vnet connection to " + c.Gateway1ID, Actual: "none",
	})
}

func connectionSettingsDrift(ev *evaluator, bc *baseline.Connection, c *estate.Connection, v *estate.VNet) {
	var d diffs
	d.text("connectionType", bc.Type, c.Type)
	d.text("connectionProtocol", bc.Protocol, c.Protocol)
	d.flag("enableBgp", bc.EnableBGP, c.EnableBGP)
	d.flag("usePolicyBasedTrafficSelectors", bc.UsePolicyBasedTrafficSelectors, c.UsePolicyBasedTrafficSelectors)
	if bc.IPsecPolicies != nil {
		want, got := policyList(bc.IPsecPolicies), policyList(c.IPsecPolicies)
		if !slices.EqualFunc(want, got, strings.EqualFold) {
			d = append(d, fieldDiff{"ipsecPolicies", joinPolicies(want), joinPolicies(got)})
		}
	}
	if len(d) == 0 {
		return
	}
	_, vnetID := ev.connectionVNet(c)
	if vnetID == "" {
		vnetID = v.ID
	}
	ev.emit("settings", Finding{
		Rule: RuleConnectionSettingsDrift, ResourceID: c.ID, VNetID: vnetID,
		Message:  fmt.Sprintf("Connection %s differs from the baseline: %s.", connectionLabel(c), d.describe()),
		Expected: d.expected(), Actual: d.actual(),
	})
}

// policyList writes IPsec policies as strings, sorted case-insensitively,
// for comparison and display.
func policyList(ps []estate.IPsecPolicy) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("IKE %s/%s %s, IPsec %s/%s %s, SA %ds/%dKB",
			p.IKEEncryption, p.IKEIntegrity, p.DHGroup, p.IPsecEncryption, p.IPsecIntegrity, p.PFSGroup,
			p.SALifeTimeSeconds, p.SADataSizeKilobytes)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

func joinPolicies(ps []string) string {
	if len(ps) == 0 {
		return "none"
	}
	return "[" + strings.Join(ps, "] [") + "]"
}
