package detector

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Peering sync levels other than FullyInSync.
const (
	syncLocal  = "LocalNotInSync"
	syncRemote = "RemoteNotInSync"
)

// checkPeeringState runs PEERING_NOT_CONNECTED and PEERING_NOT_IN_SYNC on
// every peering in the estate.
func checkPeeringState(ev *evaluator) {
	for _, p := range ev.peerings {
		if !ev.wants(p.VNetKey) {
			continue
		}
		peeringNotConnected(ev, p)
		peeringNotInSync(ev, p)
	}
}

func peeringNotConnected(ev *evaluator, p *estate.Peering) {
	var why string
	switch {
	case strings.EqualFold(p.State, estate.PeeringInitiated):
		why = fmt.Sprintf("only this half exists, so no traffic flows until the matching peering is created on %s", name(p.RemoteVNetID))
	case strings.EqualFold(p.State, estate.PeeringDisconnected):
		why = "the other half was deleted, so delete this half and re-create both"
	default:
		return
	}
	ev.emit("peeringState", Finding{
		Rule: RulePeeringNotConnected, ResourceID: p.ID, VNetID: p.VNetID,
		Message:  fmt.Sprintf("Peering %s is %s: %s.", peeringLabel(p), p.State, why),
		Expected: estate.PeeringConnected, Actual: p.State,
	})
}

func peeringNotInSync(ev *evaluator, p *estate.Peering) {
	if p.SyncLevel == "" || strings.EqualFold(p.SyncLevel, estate.SyncFullyInSync) {
		return
	}
	ev.emit("peeringSyncLevel", Finding{
		Rule: RulePeeringNotInSync, ResourceID: p.ID, VNetID: p.VNetID,
		Message:  fmt.Sprintf("Peering %s is %s: %s.", peeringLabel(p), p.SyncLevel, syncAdvice(ev, p)),
		Expected: estate.SyncFullyInSync, Actual: p.SyncLevel,
	})
}

// syncAdvice says whose address space changed and which half to sync.
// LocalNotInSync on a half means the remote VNet changed and this half must
// be synced; RemoteNotInSync means this VNet changed and the remote half
// (remote → local) must be synced.
func syncAdvice(ev *evaluator, p *estate.Peering) string {
	local, remote := name(p.VNetID), name(p.RemoteVNetID)
	switch {
	case strings.EqualFold(p.SyncLevel, syncLocal):
		return fmt.Sprintf("the address space of %s changed%s, so sync this peering",
			remote, spaceText(p.RemoteVNetAddressSpace, p.RemoteAddressSpace, "this peering"))
	case strings.EqualFold(p.SyncLevel, syncRemote):
		var now, peered []netip.Prefix
		if v := ev.e.VNets[p.VNetKey]; v != nil {
			now = v.Prefixes
		}
		if r := ev.pairs[half{p.RemoteKey, p.VNetKey}]; r != nil {
			peered = r.RemoteAddressSpace
		}
		return fmt.Sprintf("the address space of %s changed%s, so sync the peering on %s that points back to %s",
			local, spaceText(now, peered, "the peering on "+remote), remote, local)
	}
	return fmt.Sprintf("both address spaces changed, so sync this peering and the peering on %s that points back to %s", remote, local)
}

// spaceText describes a VNet's current address space against the one a
// peering (named by holder) carries, leaving out what is unknown (empty).
func spaceText(now, peered []netip.Prefix, holder string) string {
	var parts []string
	if len(now) > 0 {
		parts = append(parts, "now "+joinPrefixes(now))
	}
	if len(peered) > 0 {
		parts = append(parts, holder+" still has "+joinPrefixes(peered))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
