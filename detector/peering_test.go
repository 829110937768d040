package detector

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// hubSpoke declares hub with a peering to each spoke.
func hubSpoke(spokes ...string) func() *baseline.Baseline {
	return func() *baseline.Baseline {
		hub := &baseline.VNet{ID: vnetID("hub"), Line: 3}
		for _, s := range spokes {
			hub.Peerings = append(hub.Peerings, &baseline.Peering{Remote: vnetID(s)})
		}
		return &baseline.Baseline{Version: baseline.Version, VNets: []*baseline.VNet{hub}}
	}
}

func TestPeeringMissing(t *testing.T) {
	fires := ruleCase{
		name: "declared half absent",
		estate: func(w *world) {
			w.vnet("hub", "10.0.0.0/16")
			w.vnet("s1", "10.1.0.0/16")
			w.peering("s1", "hub")
		},
		baseline: hubSpoke("s1"),
		want:     []got{{Resource: "hub", VNet: "hub"}},
		contains: []string{"VNet hub has no peering to s1"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "reverse half absent, remote VNet in the estate",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("s1", "10.1.0.0/16")
				w.peering("hub", "s1")
			},
			baseline: hubSpoke("s1"),
			want:     []got{{Resource: "s1", VNet: "s1"}},
			contains: []string{"VNet s1 has no peering back to hub"},
		},
		{
			name: "both halves present",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("s1", "10.1.0.0/16")
				w.peer("hub", "s1")
			},
			baseline: hubSpoke("s1"),
		},
		{
			name: "remote VNet unknown: its half is never missing",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.peering("hub", "elsewhere")
			},
			baseline: hubSpoke("elsewhere"),
		},
		{
			name:   "remote VNet declared but absent: VNET_MISSING only",
			estate: func(w *world) { w.vnet("hub", "10.0.0.0/16") },
			baseline: func() *baseline.Baseline {
				b := hubSpoke("s1")()
				b.VNets = append(b.VNets, &baseline.VNet{ID: vnetID("s1")})
				return b
			},
		},
		{
			name:     "declaring VNet absent: VNET_MISSING only",
			estate:   func(w *world) { w.vnet("s1", "10.1.0.0/16") },
			baseline: hubSpoke("s1"),
		},
	}
	runRule(t, RulePeeringMissing, append(cases, exemptionCases(RulePeeringMissing, fires)...))
}

func TestPeeringUnexpected(t *testing.T) {
	fires := ruleCase{
		name: "undeclared peering on a baseline VNet",
		estate: func(w *world) {
			w.vnet("hub", "10.0.0.0/16")
			w.vnet("s1", "10.1.0.0/16")
			w.vnet("rogue", "10.9.0.0/16")
			w.peer("hub", "s1")
			w.peer("hub", "rogue")
		},
		baseline: hubSpoke("s1"),
		want:     []got{{Resource: "hub-to-rogue", VNet: "hub"}},
		contains: []string{"hub-to-rogue (hub → rogue) is not declared"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "reverse half of a declared peering is expected",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("s1", "10.1.0.0/16")
				w.peer("hub", "s1")
			},
			baseline: hubSpoke("s1"),
		},
		{
			name: "VNet not in the baseline is not checked",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("x", "10.1.0.0/16")
				w.vnet("y", "10.2.0.0/16")
				w.peer("x", "y")
			},
			baseline: hubSpoke(),
		},
	}
	runRule(t, RulePeeringUnexpected, append(cases, exemptionCases(RulePeeringUnexpected, fires)...))
}

func TestPeeringSettingsDrift(t *testing.T) {
	declared := func(defaults baseline.PeeringFlags, flags baseline.PeeringFlags) func() *baseline.Baseline {
		return func() *baseline.Baseline {
			return &baseline.Baseline{
				Defaults: baseline.Defaults{Peering: defaults},
				VNets: []*baseline.VNet{{ID: vnetID("hub"), Peerings: []*baseline.Peering{
					{Remote: vnetID("s1"), PeeringFlags: flags},
				}}},
			}
		}
	}
	net := func(w *world) {
		w.vnet("hub", "10.0.0.0/16")
		w.vnet("s1", "10.1.0.0/16")
		hs, _ := w.peer("hub", "s1")
		hs.AllowForwardedTraffic = true
	}
	fires := ruleCase{
		name:     "declared flags differ",
		estate:   net,
		baseline: declared(baseline.PeeringFlags{}, baseline.PeeringFlags{AllowForwardedTraffic: ptr(false), AllowGatewayTransit: ptr(true)}),
		want:     []got{{Resource: "hub-to-s1", VNet: "hub"}},
		contains: []string{"allowForwardedTraffic is true, expected false", "allowGatewayTransit is false, expected true"},
	}
	cases := []ruleCase{
		fires,
		{
			name:     "default applies where the peering leaves a flag out",
			estate:   net,
			baseline: declared(baseline.PeeringFlags{AllowForwardedTraffic: ptr(false)}, baseline.PeeringFlags{}),
			want:     []got{{Resource: "hub-to-s1", VNet: "hub"}},
			contains: []string{"allowForwardedTraffic is true, expected false"},
		},
		{
			name:     "the peering's own flag overrides the default",
			estate:   net,
			baseline: declared(baseline.PeeringFlags{AllowForwardedTraffic: ptr(false)}, baseline.PeeringFlags{AllowForwardedTraffic: ptr(true)}),
		},
		{
			name:     "nothing declared: not checked",
			estate:   net,
			baseline: declared(baseline.PeeringFlags{}, baseline.PeeringFlags{}),
		},
	}
	runRule(t, RulePeeringSettingsDrift, append(cases, exemptionCases(RulePeeringSettingsDrift, fires)...))
}

func TestPeeringNotConnected(t *testing.T) {
	fires := ruleCase{
		name: "Initiated and Disconnected",
		estate: func(w *world) {
			w.vnet("a", "10.0.0.0/16")
			w.vnet("b", "10.1.0.0/16")
			w.peering("a", "b").State = estate.PeeringInitiated
			w.peering("a", "c").State = estate.PeeringDisconnected
		},
		want:     []got{{Resource: "a-to-b", VNet: "a"}, {Resource: "a-to-c", VNet: "a"}},
		contains: []string{"is Initiated", "create"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "Connected or unknown state",
			estate: func(w *world) {
				w.vnet("a", "10.0.0.0/16")
				w.peering("a", "b")
				w.peering("a", "c").State = ""
			},
		},
		{
			name: "peering whose VNet is not in the estate still counts",
			estate: func(w *world) {
				w.peering("x", "y").State = estate.PeeringDisconnected
			},
			want:     []got{{Resource: "x-to-y", VNet: "x"}},
			contains: []string{"delete this half and re-create both"},
		},
	}
	runRule(t, RulePeeringNotConnected, append(cases, exemptionCases(RulePeeringNotConnected, fires)...))
}

func TestPeeringNotInSync(t *testing.T) {
	// s1 grew from 10.1.0.0/16 to 10.1.0.0/16 + 10.101.0.0/16: hub → s1 is
	// LocalNotInSync, s1 → hub is RemoteNotInSync.
	resized := func(w *world) {
		w.vnet("hub", "10.0.0.0/16")
		w.vnet("s1", "10.1.0.0/16", "10.101.0.0/16")
		hs, sh := w.peer("hub", "s1")
		hs.SyncLevel, sh.SyncLevel = syncLocal, syncRemote
		hs.RemoteAddressSpace = prefixes(t, "10.1.0.0/16")
	}
	fires := ruleCase{
		name:     "LocalNotInSync: sync this half",
		estate:   resized,
		want:     []got{{Resource: "hub-to-s1", VNet: "hub"}, {Resource: "s1-to-hub", VNet: "s1"}},
		contains: []string{"address space of s1 changed (now 10.1.0.0/16, 10.101.0.0/16; this peering still has 10.1.0.0/16), so sync this peering"},
	}
	remote := ruleCase{
		name: "RemoteNotInSync: sync the remote half",
		estate: func(w *world) {
			w.vnet("hub", "10.0.0.0/16")
			w.vnet("s1", "10.1.0.0/16", "10.101.0.0/16")
			w.peering("hub", "s1").RemoteAddressSpace = prefixes(t, "10.1.0.0/16")
			w.peering("s1", "hub").SyncLevel = syncRemote
		},
		want:     []got{{Resource: "s1-to-hub", VNet: "s1"}},
		contains: []string{"address space of s1 changed (now 10.1.0.0/16, 10.101.0.0/16; the peering on hub still has 10.1.0.0/16), so sync the peering on hub that points back to s1"},
	}
	cases := []ruleCase{
		fires,
		remote,
		{
			name: "both sides changed",
			estate: func(w *world) {
				w.peering("a", "b").SyncLevel = "LocalAndRemoteNotInSync"
			},
			want:     []got{{Resource: "a-to-b", VNet: "a"}},
			contains: []string{"sync this peering and the peering on b"},
		},
		{
			name: "FullyInSync or unknown",
			estate: func(w *world) {
				w.peering("a", "b")
				w.peering("b", "a").SyncLevel = ""
			},
		},
	}
	runRule(t, RulePeeringNotInSync, append(cases, exemptionCases(RulePeeringNotInSync, fires)...))
}

func TestPeeringNotInSyncRemoteHalfOnlyNamesTheChange(t *testing.T) {
	w := newWorld(t)
	w.vnet("s1", "10.1.0.0/16", "10.101.0.0/16")
	w.peering("s1", "hub").SyncLevel = syncRemote
	fs := ofRule(Evaluate(Input{Estate: w.build()}), RulePeeringNotInSync)
	require.Len(t, fs, 1)
	require.Equal(t, "Peering s1-to-hub (s1 → hub) is RemoteNotInSync: the address space of s1 changed (now 10.1.0.0/16, 10.101.0.0/16), so sync the peering on hub that points back to s1.", fs[0].Message)
}

func TestGatewayTransitConflict(t *testing.T) {
	fires := ruleCase{
		name: "spoke has its own gateway and hub does not allow transit",
		estate: func(w *world) {
			w.vnet("hub", "10.0.0.0/16")
			w.vnet("s1", "10.1.0.0/16")
			w.gateway("hub", "gw-hub", "")
			w.gateway("s1", "gw-s1", "")
			w.peering("hub", "s1")
			w.peering("s1", "hub").UseRemoteGateways = true
		},
		want:     []got{{Resource: "s1-to-hub", VNet: "s1"}, {Resource: "s1-to-hub", VNet: "s1"}},
		contains: []string{"uses the remote gateway of hub"},
	}
	cases := []ruleCase{
		fires,
		{
			name: "valid transit",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("s1", "10.1.0.0/16")
				w.gateway("hub", "gw-hub", "")
				w.peering("hub", "s1").AllowGatewayTransit = true
				w.peering("s1", "hub").UseRemoteGateways = true
			},
		},
		{
			name: "remote VNet without a gateway",
			estate: func(w *world) {
				w.vnet("hub", "10.0.0.0/16")
				w.vnet("s1", "10.1.0.0/16")
				w.peering("hub", "s1").AllowGatewayTransit = true
				w.peering("s1", "hub").UseRemoteGateways = true
			},
			want:     []got{{Resource: "s1-to-hub", VNet: "s1"}},
			contains: []string{"hub has no virtual network gateway"},
		},
		{
			name: "remote VNet and its half unknown: nothing assumed",
			estate: func(w *world) {
				w.vnet("s1", "10.1.0.0/16")
				w.peering("s1", "hub").UseRemoteGateways = true
			},
		},
		{
			name: "two peerings use remote gateways",
			estate: func(w *world) {
				w.vnet("s1", "10.1.0.0/16")
				w.peering("s1", "hub1").UseRemoteGateways = true
				w.peering("s1", "hub2").UseRemoteGateways = true
			},
			want:     []got{{Resource: "s1", VNet: "s1"}},
			contains: []string{"VNet s1 has 2 peerings that use remote gateways (to hub1, hub2)"},
		},
	}
	runRule(t, RuleGatewayTransitConflict, append(cases, exemptionCases(RuleGatewayTransitConflict, fires)...))
}
