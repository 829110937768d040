package detector

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// scenario is one estate and baseline on which every rule fires.
func scenario(t testing.TB) Input {
	w := newWorld(t)
	w.vnet("hub", "10.0.0.0/16", "10.50.0.0/16") // 10.50/16 not in the baseline
	w.vnet("spoke1", "10.1.0.0/16", "10.101.0.0/16")
	w.vnet("spoke2", "10.1.0.0/24")
	w.vnet("branch", "10.8.0.0/16")
	w.vnet("dr", "10.9.0.0/16")
	w.vnet("rogue", "10.60.0.0/16")

	hub := w.gateway("hub", "gw-hub", "20.0.0.1")
	hub.SKU = "VpnGw1"
	w.gateway("branch", "gw-branch", "20.0.0.2").VPNType = "PolicyBased"
	w.gateway("dr", "gw-dr", "20.0.0.3")
	w.gateway("spoke2", "gw-spoke2", "")

	h1, s1 := w.peer("hub", "spoke1")
	h1.AllowGatewayTransit, s1.UseRemoteGateways = true, true
	h1.SyncLevel, s1.SyncLevel = syncLocal, syncRemote
	h1.RemoteAddressSpace = prefixes(t, "10.1.0.0/16")
	w.peering("spoke2", "hub").UseRemoteGateways = true // hub → spoke2 missing; spoke2 has its own gateway
	w.e.Peerings[estate.KeyOf(peeringID("spoke2", "hub"))].State = estate.PeeringInitiated
	w.peer("hub", "rogue")
	w.peer("hub", "dr")
	w.peering("hub", "dr").AllowForwardedTraffic = true

	w.lng("onprem", "203.0.113.1", "192.168.0.0/16", "10.0.128.0/24")
	w.lng("lng-dr", "20.0.0.3", "10.9.0.0/24")
	w.ipsec("hub-onprem", "gw-hub", "onprem").Status = "Connecting"
	w.ipsec("hub-dr", "gw-hub", "lng-dr")
	w.vnet2vnet("dr-hub", "gw-dr", "gw-hub")
	w.vnet2vnet("branch-dr", "gw-branch", "gw-dr")
	w.vnet2vnet("dr-branch", "gw-dr", "gw-branch")

	b := &baseline.Baseline{
		Version: baseline.Version,
		VNets: []*baseline.VNet{
			{ID: vnetID("hub"), Line: 10, AddressPrefixes: prefixes(t, "10.0.0.0/16"),
				Peerings: []*baseline.Peering{
					{Remote: vnetID("spoke1"), PeeringFlags: baseline.PeeringFlags{AllowGatewayTransit: ptr(true)}},
					{Remote: vnetID("spoke2")},
					{Remote: vnetID("dr"), PeeringFlags: baseline.PeeringFlags{AllowForwardedTraffic: ptr(false)}},
				},
				Gateway: &baseline.Gateway{ID: gatewayID("gw-hub"), SKU: "VpnGw2"},
				Connections: []*baseline.Connection{
					{ID: connID("hub-onprem"), Protocol: "IKEv1"},
					{Type: "IPsec", Peer: lngID("paris")},
				},
			},
			{ID: vnetID("spoke3"), Line: 40},
			{ID: vnetID("dr"), Line: 50, Gateway: &baseline.Gateway{ID: gatewayID("gw-dr-2")}},
		},
		LocalGateways: []*baseline.LocalGateway{{ID: lngID("onprem"), GatewayIP: "203.0.113.9"}},
	}
	b.Index()
	return Input{Baseline: b, Estate: w.build(), Now: testNow}
}

func TestScenarioFiresEveryRule(t *testing.T) {
	fs := Evaluate(scenario(t))
	for _, r := range Catalogue {
		assert.NotEmpty(t, ofRule(fs, r.ID), "rule %s", r.ID)
	}
	for _, f := range fs {
		checkFinding(t, f)
		if bv := scenario(t).Baseline.VNet(f.VNetKey()); bv != nil {
			assert.Equal(t, bv.Line, f.Line, "%s on %s", f.Rule, f.VNetID)
		} else {
			assert.Zero(t, f.Line)
		}
	}
}

func TestEvaluateIsSortedAndDeterministic(t *testing.T) {
	first := Evaluate(scenario(t))
	require.True(t, slices.IsSortedFunc(first, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.VNetKey(), b.VNetKey()),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(estate.KeyOf(a.ResourceID), estate.KeyOf(b.ResourceID)),
			cmp.Compare(a.Fingerprint, b.Fingerprint),
		)
	}))
	for range 5 {
		require.Equal(t, first, Evaluate(scenario(t)))
	}
	seen := map[string]bool{}
	for _, f := range first {
		k := f.Rule + f.Fingerprint + string(f.VNetKey())
		require.False(t, seen[k], "duplicate finding %s %s", f.Rule, f.ResourceID)
		seen[k] = true
	}
}

// TestScopeIsAFilter checks that a scoped evaluation returns exactly the
// findings of the full evaluation whose VNet is in scope.
func TestScopeIsAFilter(t *testing.T) {
	all := Evaluate(scenario(t))
	var keys []estate.Key
	for _, f := range all {
		if !slices.Contains(keys, f.VNetKey()) {
			keys = append(keys, f.VNetKey())
		}
	}
	require.Greater(t, len(keys), 5)
	scopes := [][]estate.Key{{}, {estate.KeyOf(vnetID("nowhere"))}}
	for i, k := range keys {
		scopes = append(scopes, []estate.Key{k}, []estate.Key{k, keys[(i+3)%len(keys)]})
	}
	for _, scope := range scopes {
		in := scenario(t)
		in.Scope = scope
		var want []Finding
		for _, f := range all {
			if slices.Contains(scope, f.VNetKey()) {
				want = append(want, f)
			}
		}
		require.Equal(t, want, Evaluate(in), "scope %v", scope)
	}
}

// spoke1 and spoke2 meet only through the hub's gateway: the overlap is
// judged with the hub, whose neighbourhood holds all its spokes, and never
// from one spoke's neighbourhood, which lacks its sibling spokes.
func TestSharedGatewayOverlapBelongsToTheHub(t *testing.T) {
	in := scenario(t)
	in.Scope = []estate.Key{estate.KeyOf(vnetID("spoke2"))}
	require.Empty(t, ofRule(Evaluate(in), RuleAddressOverlap))
	in.Scope = []estate.Key{estate.KeyOf(vnetID("hub"))}
	var sides []string
	for _, f := range ofRule(Evaluate(in), RuleAddressOverlap) {
		require.Equal(t, vnetID("hub"), f.VNetID)
		if strings.Contains(f.Message, "shares the gateway of hub") {
			sides = append(sides, f.ResourceID)
		}
	}
	require.ElementsMatch(t, []string{vnetID("spoke1"), vnetID("spoke2")}, sides)
}

func TestRuleSettings(t *testing.T) {
	in := scenario(t)
	in.Baseline.Rules = map[string]baseline.RuleSetting{
		RulePeeringNotConnected: {Enabled: ptr(false)},
		RuleAddressOverlap:      {Severity: "low"},
		RuleVNetMissing:         {Enabled: ptr(true), Severity: "Medium"},
	}
	fs := Evaluate(in)
	assert.Empty(t, ofRule(fs, RulePeeringNotConnected))
	require.NotEmpty(t, ofRule(fs, RuleAddressOverlap))
	for _, f := range ofRule(fs, RuleAddressOverlap) {
		assert.Equal(t, SeverityLow, f.Severity)
	}
	require.NotEmpty(t, ofRule(fs, RuleVNetMissing))
	assert.Equal(t, SeverityMedium, ofRule(fs, RuleVNetMissing)[0].Severity)
	assert.Equal(t, SeverityHigh, ofRule(fs, RuleGatewayMissing)[0].Severity, "defaults stay")
}

func TestNoBaselineRunsOnlyRulesThatNeedNone(t *testing.T) {
	in := scenario(t)
	in.Baseline = nil
	fs := Evaluate(in)
	require.NotEmpty(t, fs)
	for _, f := range fs {
		info, _ := Info(f.Rule)
		assert.False(t, info.NeedsBaseline, "%s ran without a baseline", f.Rule)
		assert.Zero(t, f.Line)
	}
	in.Baseline = &baseline.Baseline{}
	require.Equal(t, fs, Evaluate(in), "an empty baseline is no baseline")
}

func TestNilEstate(t *testing.T) {
	b := &baseline.Baseline{VNets: []*baseline.VNet{{ID: vnetID("hub")}}}
	b.Index()
	fs := Evaluate(Input{Baseline: b})
	require.Len(t, fs, 1)
	require.Equal(t, RuleVNetMissing, fs[0].Rule)
}

// TestFingerprintFollowsTheDriftNotTheValue checks that the same drift keeps
// its fingerprint when the actual value changes between runs.
func TestFingerprintFollowsTheDriftNotTheValue(t *testing.T) {
	run := func(sku string) Finding {
		in := scenario(t)
		in.Estate.Gateways[estate.KeyOf(gatewayID("gw-hub"))].SKU = sku
		fs := ofRule(Evaluate(in), RuleGatewaySettingsDrift)
		require.Len(t, fs, 1)
		return fs[0]
	}
	a, b := run("VpnGw1"), run("VpnGw3")
	require.NotEqual(t, a.Actual, b.Actual)
	require.Equal(t, a.Fingerprint, b.Fingerprint)
	require.Equal(t, Fingerprint(RuleGatewaySettingsDrift, gatewayID("gw-hub"), "settings"), a.Fingerprint)
}

func TestExemptionMatching(t *testing.T) {
	cases := []struct {
		name    string
		x       baseline.Exemption
		exempt  int // PEERING_NOT_CONNECTED findings (of 1) exempted
		overlap int // ADDRESS_OVERLAP findings (of 2) exempted
	}{
		{"rule and resource", baseline.Exemption{Rule: RulePeeringNotConnected, Resource: peeringID("spoke2", "hub")}, 1, 0},
		{"case-insensitive, wildcard", baseline.Exemption{Rule: "peering_not_connected", Resource: "*/SPOKE2-TO-*"}, 1, 0},
		{"matches the VNet ID", baseline.Exemption{Rule: "*", Resource: "*/virtualNetworks/spoke2"}, 1, 1},
		{"wildcard in the middle", baseline.Exemption{Rule: "*", Resource: "/subscriptions/*/rg-net/*/spoke*"}, 1, 2},
		{"other rule", baseline.Exemption{Rule: RuleVNetMissing, Resource: "*"}, 0, 0},
		{"other resource", baseline.Exemption{Rule: "*", Resource: "*/spoke3"}, 0, 0},
		{"expires later", baseline.Exemption{Rule: "*", Resource: "*spoke2*", Expires: testNow.Add(1)}, 1, 1},
		{"expires exactly now", baseline.Exemption{Rule: "*", Resource: "*spoke2*", Expires: testNow}, 1, 1},
		{"expired", baseline.Exemption{Rule: "*", Resource: "*spoke2*", Expires: testNow.Add(-1)}, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := scenario(t)
			tc.x.Reason, tc.x.Owner, tc.x.Line = "migration", "net-team", 99
			in.Baseline.Exemptions = []baseline.Exemption{tc.x}
			fs := Evaluate(in)
			require.Equal(t, tc.exempt, countExempt(ofRule(fs, RulePeeringNotConnected)))
			require.Equal(t, tc.overlap, countExempt(ofRule(fs, RuleAddressOverlap)))
			for _, f := range fs {
				if f.Exemption != nil {
					require.Equal(t, ExemptionRef{Reason: "migration", Owner: "net-team", Line: 99}, *f.Exemption)
				}
			}
		})
	}
}

func countExempt(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Exemption != nil {
			n++
		}
	}
	return n
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"*", "", true},
		{"a*", "abc", true},
		{"*c", "abc", true},
		{"a*c", "ac", true},
		{"a*b*c", "a/x/b/y/c", true},
		{"a*b*c", "acb", false},
		{"*aa", "aaa", true},
		{"aa*aa", "aaa", false},
	} {
		parts := compileExemptions([]baseline.Exemption{{Resource: tc.pattern}}, testNow)[0].parts
		assert.Equal(t, tc.want, globMatch(parts, tc.s), "%q ~ %q", tc.pattern, tc.s)
	}
}
