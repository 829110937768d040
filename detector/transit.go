package detector

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
)

// checkGatewayTransit runs GATEWAY_TRANSIT_CONFLICT on every peering that
// sets useRemoteGateways.
func checkGatewayTransit(ev *evaluator) {
	byVNet := map[estate.Key][]*estate.Peering{}
	var order []estate.Key
	for _, p := range ev.peerings {
		if !p.UseRemoteGateways || !ev.wants(p.VNetKey) {
			continue
		}
		if byVNet[p.VNetKey] == nil {
			order = append(order, p.VNetKey)
		}
		byVNet[p.VNetKey] = append(byVNet[p.VNetKey], p)
		transitConflicts(ev, p)
	}
	for _, k := range order {
		if ps := byVNet[k]; len(ps) > 1 {
			tooManyRemoteGateways(ev, ps)
		}
	}
}

// transitConflicts reports why useRemoteGateways on p cannot work: the
// local VNet has its own gateway, the remote VNet (when known) has none, or
// the remote half (when known) does not allow gateway transit.
func transitConflicts(ev *evaluator, p *estate.Peering) {
	local, remote := name(p.VNetID), name(p.RemoteVNetID)
	conflict := func(subject, why, expected, actual string) {
		ev.emit(subject, Finding{
			Rule: RuleGatewayTransitConflict, ResourceID: p.ID, VNetID: p.VNetID,
			Message:  fmt.Sprintf("Peering %s uses the remote gateway of %s, but %s.", peeringLabel(p), remote, why),
			Expected: expected, Actual: actual,
		})
	}
	if gws := ev.e.GatewaysOf(p.VNetKey); len(gws) > 0 {
		conflict("ownGateway",
			fmt.Sprintf("%s has its own gateway %s and a VNet with a gateway cannot use a remote one", local, gws[0].Name),
			"no gateway in "+local, "gateway "+gws[0].ID)
	}
	if ev.e.VNets[p.RemoteKey] != nil && !ev.e.HasGateway(p.RemoteKey) {
		conflict("remoteGateway", remote+" has no virtual network gateway",
			"a gateway in "+remote, "none")
	}
	if r := ev.pairs[half{p.RemoteKey, p.VNetKey}]; r != nil && !r.AllowGatewayTransit {
		conflict("allowGatewayTransit",
			fmt.Sprintf("the peering %s on %s does not allow gateway transit", r.Name, remote),
			"allowGatewayTransit=true on "+r.Name, "allowGatewayTransit=false")
	}
}

// tooManyRemoteGateways reports a VNet with more than one peering that
// uses remote gateways; Azure allows one.
func tooManyRemoteGateways(ev *evaluator, ps []*estate.Peering) {
	remotes := make([]string, len(ps))
	for i, p := range ps {
		remotes[i] = name(p.RemoteVNetID)
	}
	vnetID := ev.vnetID(ps[0].VNetKey, ps[0].VNetID)
	ev.emit("useRemoteGateways", Finding{
		Rule: RuleGatewayTransitConflict, ResourceID: vnetID, VNetID: vnetID,
		Message: fmt.Sprintf("VNet %s has %d peerings that use remote gateways (to %s), but only one peering of a VNet may.",
			name(vnetID), len(ps), strings.Join(remotes, ", ")),
		Expected: "at most 1 peering with useRemoteGateways", Actual: strconv.Itoa(len(ps)) + " peerings",
	})
}
