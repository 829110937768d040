package detector

import (
	"fmt"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
)

// checkConnections runs CONNECTION_NOT_CONNECTED and REDUNDANT_VNET2VNET
// on every connection in the estate.
func checkConnections(ev *evaluator) {
	for _, c := range ev.conns {
		vnetKey, vnetID := ev.connectionVNet(c)
		if !ev.wants(vnetKey) {
			continue
		}
		if c.Status != "" && !strings.EqualFold(c.Status, estate.ConnectionConnected) {
			ev.emit("connectionStatus", Finding{
				Rule: RuleConnectionNotConnected, ResourceID: c.ID, VNetID: vnetID,
				Message:  fmt.Sprintf("Connection %s is %s, not Connected: no traffic crosses it.", connectionLabel(c), c.Status),
				Expected: estate.ConnectionConnected, Actual: c.Status,
			})
		}
		redundantVNet2VNet(ev, c, vnetID)
	}
}

// connectionVNet returns the VNet of a connection's first gateway; empty
// when that gateway is not in the estate.
func (ev *evaluator) connectionVNet(c *estate.Connection) (estate.Key, string) {
	g := ev.e.Gateways[c.Gateway1Key]
	if g == nil || g.VNetKey == "" {
		return "", ""
	}
	return g.VNetKey, ev.vnetID(g.VNetKey, g.VNetID)
}

// connectionLabel names a connection and its ends: "c1 (gw-a → onprem)".
func connectionLabel(c *estate.Connection) string {
	peer := c.Gateway2ID
	if peer == "" {
		peer = c.LocalGatewayID
	}
	if peer == "" {
		return fmt.Sprintf("%s (from %s)", c.Name, name(c.Gateway1ID))
	}
	return fmt.Sprintf("%s (%s → %s)", c.Name, name(c.Gateway1ID), name(peer))
}

// redundantVNet2VNet reports a VNet-to-VNet connection between two VNets
// that are also peered (in either direction).
func redundantVNet2VNet(ev *evaluator, c *estate.Connection, vnetID string) {
	if !strings.EqualFold(c.Type, connVNet2VNet) {
		return
	}
	g1, g2 := ev.e.Gateways[c.Gateway1Key], ev.e.Gateways[c.Gateway2Key]
	if g1 == nil || g2 == nil || g1.VNetKey == "" || g2.VNetKey == "" || g1.VNetKey == g2.VNetKey {
		return
	}
	if ev.pairs[half{g1.VNetKey, g2.VNetKey}] == nil && ev.pairs[half{g2.VNetKey, g1.VNetKey}] == nil {
		return
	}
	a, b := name(vnetID), name(g2.VNetID)
	ev.emit("peering", Finding{
		Rule: RuleRedundantVNet2VNet, ResourceID: c.ID, VNetID: vnetID,
		Message: fmt.Sprintf("Connection %s joins %s and %s, which are also peered: traffic takes the peering, so the VPN tunnel only adds cost.",
			connectionLabel(c), a, b),
		Expected: "either a peering or a VNet-to-VNet connection", Actual: "both",
	})
}
