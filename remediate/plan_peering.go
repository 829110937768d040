package remediate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Sync levels of a peering half.
const (
	syncLocal  = "LocalNotInSync"
	syncRemote = "RemoteNotInSync"
	syncBoth   = "LocalAndRemoteNotInSync"
)

// peeringSync syncs the out-of-date half: LocalNotInSync is this half,
// RemoteNotInSync the half on the remote VNet pointing back, both: both.
func (pl planner) peeringSync(f detector.Finding) []Action {
	p := pl.e.Peerings[estate.KeyOf(f.ResourceID)]
	if p == nil {
		return []Action{skip(f, "the peering is not in the estate")}
	}
	var targets []*estate.Peering
	rev := pl.e.ReversePeering(p)
	switch {
	case strings.EqualFold(p.SyncLevel, syncLocal):
		targets = []*estate.Peering{p}
	case strings.EqualFold(p.SyncLevel, syncRemote) && rev != nil:
		targets = []*estate.Peering{rev}
	case strings.EqualFold(p.SyncLevel, syncBoth) && rev != nil:
		targets = []*estate.Peering{p, rev}
	default:
		return []Action{skip(f, fmt.Sprintf("sync level %q needs the peering half on the remote VNet, which is not in the estate", p.SyncLevel))}
	}
	out := make([]Action, len(targets))
	for i, t := range targets {
		a := newAction(f, KindPeeringSync, t.ID, peeringOfEstate(t), map[string]string{"syncRemoteAddressSpace": "true"})
		a.Before, a.After = p.Name+": syncLevel="+p.SyncLevel, "syncLevel=FullyInSync on both halves"
		a.Reason = fmt.Sprintf("peering %s is out of date with the address space of %s: re-sync it with syncRemoteAddressSpace=true, other settings unchanged",
			t.Name, estate.LastSegment(t.RemoteVNetID))
		a.LockVNet = estate.ParentVNetID(t.ID)
		out[i] = a
	}
	return out
}

// peeringFlags PUTs the peering with the baseline's flags.
func (pl planner) peeringFlags(f detector.Finding) []Action {
	p := pl.e.Peerings[estate.KeyOf(f.ResourceID)]
	if p == nil {
		return []Action{skip(f, "the peering is not in the estate")}
	}
	decl := pl.declared(p.VNetKey, p.RemoteKey)
	if decl == nil {
		return []Action{skip(f, "the baseline does not declare this peering")}
	}
	body := peeringOfEstate(p)
	overlayFlags(body.Properties, resolveFlags(decl.PeeringFlags, pl.b.Defaults.Peering))
	a := newAction(f, KindPeeringFlags, p.ID, body, nil)
	a.Before, a.After = f.Actual, f.Expected
	a.Reason = fmt.Sprintf("peering %s differs from the baseline (%s): set the baseline's flags, other settable properties unchanged", p.Name, f.Actual)
	a.LockVNet = estate.ParentVNetID(p.ID)
	return []Action{a}
}

// peeringMissing creates the missing half from the baseline when both
// VNets exist; a Disconnected reverse half is re-initiated first.
func (pl planner) peeringMissing(f detector.Finding) []Action {
	remoteID, ok := strings.CutPrefix(f.Expected, "peering to ")
	local := pl.e.VNets[estate.KeyOf(f.ResourceID)]
	if !ok || local == nil {
		return []Action{skip(f, "the finding does not name a local VNet and a remote VNet")}
	}
	remote := pl.e.VNets[estate.KeyOf(remoteID)]
	if remote == nil {
		return []Action{skip(f, fmt.Sprintf("the remote VNet %s does not exist (or is not readable): nothing to peer with", remoteID))}
	}
	var out []Action
	if rev := reverseHalf(remote, local.Key); rev != nil && strings.EqualFold(rev.State, estate.PeeringDisconnected) {
		out = append(out, reinit(f, rev))
	}
	return append(out, pl.create(f, local, remote))
}

// peeringNotConnected recreates the deleted remote half of a Disconnected
// peering from the baseline: the survivor is PUT unchanged (back to
// Initiated), then the remote half is created.
func (pl planner) peeringNotConnected(f detector.Finding) []Action {
	p := pl.e.Peerings[estate.KeyOf(f.ResourceID)]
	switch {
	case p == nil:
		return []Action{skip(f, "the peering is not in the estate")}
	case !strings.EqualFold(p.State, estate.PeeringDisconnected):
		return []Action{skip(f, "only a Disconnected peering is repaired; an Initiated half waits for its peer (PEERING_MISSING creates it when the baseline declares it)")}
	case pl.e.ReversePeering(p) != nil:
		return []Action{skip(f, "the remote half still exists; a Disconnected pair needs a delete, which is never done")}
	case pl.declared(p.VNetKey, p.RemoteKey) == nil && pl.declared(p.RemoteKey, p.VNetKey) == nil:
		return []Action{skip(f, "the baseline does not declare this peering, so there is nothing to recreate it from")}
	}
	local, remote := pl.e.VNets[p.VNetKey], pl.e.VNets[p.RemoteKey]
	if local == nil || remote == nil {
		return []Action{skip(f, fmt.Sprintf("the remote VNet %s does not exist (or is not readable)", p.RemoteVNetID))}
	}
	return []Action{reinit(f, p), pl.create(f, remote, local)}
}

// reinit PUTs a Disconnected half with its settable fields unchanged.
func reinit(f detector.Finding, p *estate.Peering) Action {
	a := newAction(f, KindPeeringReinit, p.ID, peeringOfEstate(p), nil)
	a.Before, a.After = "peeringState="+p.State, "peeringState=Initiated"
	a.Reason = fmt.Sprintf("peering %s is Disconnected: write it back unchanged so that it returns to Initiated and its peer can be created", p.Name)
	a.LockVNet = estate.ParentVNetID(p.ID)
	return a
}

// create is the action that creates the half local → remote.
func (pl planner) create(f detector.Finding, local, remote *estate.VNet) Action {
	name, flags := pl.newHalf(local, remote)
	for _, q := range local.Peerings {
		if strings.EqualFold(q.Name, name) {
			return skip(f, fmt.Sprintf("VNet %s already has a peering named %s (to %s)", local.Name, name, q.RemoteVNetID))
		}
	}
	id := local.ID + "/virtualNetworkPeerings/" + name
	a := newAction(f, KindPeeringCreate, id, newPeeringBody(remote.ID, flags), nil)
	a.Before, a.After = "none", fmt.Sprintf("peering %s to %s (%s)", name, remote.Name, describeFlags(flags))
	a.Reason = fmt.Sprintf("VNet %s has no peering to %s: create it from the baseline", local.Name, remote.Name)
	a.LockVNet = local.ID
	return a
}

// newHalf returns the name and flags of a half to create: the baseline's
// declaration, else the defaults, allowing gateway transit when the
// declared half the other way uses remote gateways.
func (pl planner) newHalf(local, remote *estate.VNet) (string, baseline.PeeringFlags) {
	if decl := pl.declared(local.Key, remote.Key); decl != nil {
		return cmpOrString(decl.Name, local.Name+"-to-"+remote.Name), fill(resolveFlags(decl.PeeringFlags, pl.b.Defaults.Peering))
	}
	f := pl.b.Defaults.Peering
	if back := pl.declared(remote.Key, local.Key); back != nil {
		if r := resolveFlags(back.PeeringFlags, pl.b.Defaults.Peering); isTrue(r.UseRemoteGateways) {
			f.AllowGatewayTransit = to.Ptr(true)
		}
	}
	return local.Name + "-to-" + remote.Name, fill(f)
}

// declared returns the baseline's declaration of the half local → remote, or nil.
func (pl planner) declared(local, remote estate.Key) *baseline.Peering {
	if bv := pl.b.VNet(local); bv != nil {
		for _, bp := range bv.Peerings {
			if bp.RemoteKey == remote {
				return bp
			}
		}
	}
	return nil
}

func reverseHalf(remote *estate.VNet, local estate.Key) *estate.Peering {
	for _, q := range remote.Peerings {
		if q.RemoteKey == local {
			return q
		}
	}
	return nil
}

// resolveFlags fills the flags a declaration leaves nil from defaults (as
// the detector does).
func resolveFlags(f, d baseline.PeeringFlags) baseline.PeeringFlags {
	pick := func(v, def *bool) *bool {
		if v != nil {
			return v
		}
		return def
	}
	return baseline.PeeringFlags{
		AllowVirtualNetworkAccess: pick(f.AllowVirtualNetworkAccess, d.AllowVirtualNetworkAccess),
		AllowForwardedTraffic:     pick(f.AllowForwardedTraffic, d.AllowForwardedTraffic),
		AllowGatewayTransit:       pick(f.AllowGatewayTransit, d.AllowGatewayTransit),
		UseRemoteGateways:         pick(f.UseRemoteGateways, d.UseRemoteGateways),
	}
}

// fill sets undeclared flags to Azure's defaults: access on, the rest off.
func fill(f baseline.PeeringFlags) baseline.PeeringFlags {
	return resolveFlags(f, baseline.PeeringFlags{
		AllowVirtualNetworkAccess: to.Ptr(true), AllowForwardedTraffic: to.Ptr(false),
		AllowGatewayTransit: to.Ptr(false), UseRemoteGateways: to.Ptr(false),
	})
}

func describeFlags(f baseline.PeeringFlags) string {
	b := func(v *bool) string { return strconv.FormatBool(isTrue(v)) }
	return fmt.Sprintf("allowVirtualNetworkAccess=%s, allowForwardedTraffic=%s, allowGatewayTransit=%s, useRemoteGateways=%s",
		b(f.AllowVirtualNetworkAccess), b(f.AllowForwardedTraffic), b(f.AllowGatewayTransit), b(f.UseRemoteGateways))
}

// usesRemoteGateways reports whether a peering body sets useRemoteGateways.
func usesRemoteGateways(body json.RawMessage) bool {
	var p armnetwork.VirtualNetworkPeering
	return json.Unmarshal(body, &p) == nil && p.Properties != nil && isTrue(p.Properties.UseRemoteGateways)
}

func isTrue(b *bool) bool { return b != nil && *b }

func cmpOrString(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
