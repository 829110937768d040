package detector

import (
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// rg is the resource group every test resource lives in.
const rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/"

func vnetID(name string) string    { return rg + "virtualNetworks/" + name }
func gatewayID(name string) string { return rg + "virtualNetworkGateways/" + name }
func connID(name string) string    { return rg + "connections/" + name }
func lngID(name string) string     { return rg + "localNetworkGateways/" + name }
func pipID(name string) string     { return rg + "publicIPAddresses/" + name }
func peeringID(from, to string) string {
	return vnetID(from) + "/virtualNetworkPeerings/" + from + "-to-" + to
}

func prefixes(t testing.TB, cidrs ...string) []netip.Prefix {
	t.Helper()
	out := make([]netip.Prefix, len(cidrs))
	for i, c := range cidrs {
		out[i] = netip.MustParsePrefix(c)
	}
	return out
}

// world builds a small estate by name; every resource lives in rg.
type world struct {
	t testing.TB
	e *estate.Estate
}

func newWorld(t testing.TB) *world { return &world{t: t, e: estate.New()} }

func (w *world) vnet(name string, cidrs ...string) *estate.VNet {
	id := vnetID(name)
	v := &estate.VNet{ID: id, Key: estate.KeyOf(id), Name: name, Prefixes: prefixes(w.t, cidrs...)}
	w.e.VNets[v.Key] = v
	return v
}

// peering adds the half from → to, Connected and FullyInSync, with
// allowVirtualNetworkAccess set.
func (w *world) peering(from, to string) *estate.Peering {
	id := peeringID(from, to)
	p := &estate.Peering{
		ID: id, Key: estate.KeyOf(id), Name: from + "-to-" + to,
		VNetID: vnetID(from), VNetKey: estate.KeyOf(vnetID(from)),
		RemoteVNetID: vnetID(to), RemoteKey: estate.KeyOf(vnetID(to)),
		AllowVirtualNetworkAccess: true,
		State:                     estate.PeeringConnected, SyncLevel: estate.SyncFullyInSync,
	}
	if r := w.e.VNets[p.RemoteKey]; r != nil {
		p.RemoteAddressSpace, p.RemoteVNetAddressSpace = r.Prefixes, r.Prefixes
	}
	w.e.Peerings[p.Key] = p
	return p
}

// peer adds both halves of a peering.
func (w *world) peer(a, b string) (*estate.Peering, *estate.Peering) {
	return w.peering(a, b), w.peering(b, a)
}

// gateway adds a RouteBased VPN gateway in vnet with public IP ip ("" for none).
func (w *world) gateway(vnet, name, ip string) *estate.Gateway {
	id := gatewayID(name)
	g := &estate.Gateway{
		ID: id, Key: estate.KeyOf(id), Name: name, VNetID: vnetID(vnet), VNetKey: estate.KeyOf(vnetID(vnet)),
		GatewayType: "Vpn", VPNType: "RouteBased", SKU: "VpnGw1", Generation: "Generation1",
	}
	if ip != "" {
		pip := &estate.PublicIP{ID: pipID(name + "-ip"), Key: estate.KeyOf(pipID(name + "-ip")), Addr: netip.MustParseAddr(ip)}
		w.e.PublicIPs[pip.Key] = pip
		g.PublicIPIDs = []string{pip.ID}
	}
	w.e.Gateways[g.Key] = g
	return g
}

// vnet2vnet adds a Vnet2Vnet connection gw1 → gw2.
func (w *world) vnet2vnet(name, gw1, gw2 string) *estate.Connection {
	c := w.conn(name, gw1, "Vnet2Vnet")
	c.Gateway2ID, c.Gateway2Key = gatewayID(gw2), estate.KeyOf(gatewayID(gw2))
	return c
}

// ipsec adds an IPsec connection gw → lng.
func (w *world) ipsec(name, gw, lng string) *estate.Connection {
	c := w.conn(name, gw, "IPsec")
	c.LocalGatewayID, c.LocalGatewayKey = lngID(lng), estate.KeyOf(lngID(lng))
	return c
}

func (w *world) conn(name, gw1, typ string) *estate.Connection {
	id := connID(name)
	c := &estate.Connection{
		ID: id, Key: estate.KeyOf(id), Name: name, Type: typ, Protocol: "IKEv2",
		Gateway1ID: gatewayID(gw1), Gateway1Key: estate.KeyOf(gatewayID(gw1)), Status: "Connected",
	}
	w.e.Connections[c.Key] = c
	return c
}

func (w *world) lng(name, ip string, cidrs ...string) *estate.LocalGateway {
	id := lngID(name)
	l := &estate.LocalGateway{ID: id, Key: estate.KeyOf(id), Name: name, GatewayIP: ip, Prefixes: prefixes(w.t, cidrs...)}
	w.e.LocalGateways[l.Key] = l
	return l
}

func (w *world) build() *estate.Estate {
	w.e.Index()
	return w.e
}

func ptr[T any](v T) *T { return &v }

// got is the part of a finding a rule test compares.
type got struct {
	Resource, VNet string // last segments of the IDs
	Exempt         bool
}

// ruleCase is one row of a rule's table: build an estate and a baseline,
// evaluate, and compare that rule's findings.
type ruleCase struct {
	name     string
	estate   func(w *world)
	baseline func() *baseline.Baseline // nil: no baseline
	want     []got
	contains []string // substrings of the first finding's message
}

var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// runRule evaluates each case and compares the findings of rule.
func runRule(t *testing.T, rule string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := ofRule(evaluateCase(t, tc), rule)
			var gotten []got
			for _, f := range fs {
				gotten = append(gotten, got{name(f.ResourceID), name(f.VNetID), f.Exemption != nil})
				checkFinding(t, f)
			}
			require.Equal(t, tc.want, gotten)
			for _, s := range tc.contains {
				require.Contains(t, fs[0].Message, s)
			}
		})
	}
}

func evaluateCase(t testing.TB, tc ruleCase) []Finding {
	w := newWorld(t)
	tc.estate(w)
	in := Input{Estate: w.build(), Now: testNow}
	if tc.baseline != nil {
		in.Baseline = tc.baseline()
		in.Baseline.Index()
	}
	return Evaluate(in)
}

// checkFinding asserts what every finding must carry.
func checkFinding(t testing.TB, f Finding) {
	t.Helper()
	info, ok := Info(f.Rule)
	require.True(t, ok, "rule %s is in the catalogue", f.Rule)
	require.Equal(t, info.Severity, f.Severity)
	require.NotEmpty(t, f.ResourceID)
	require.NotEmpty(t, f.VNetID)
	require.NotEmpty(t, f.Message)
	require.NotEmpty(t, f.Expected)
	require.NotEmpty(t, f.Actual)
	require.Len(t, f.Fingerprint, 16)
}

func ofRule(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// withExemptions returns the case's baseline (or an empty one) plus xs.
func withExemptions(tc ruleCase, xs ...baseline.Exemption) func() *baseline.Baseline {
	return func() *baseline.Baseline {
		b := &baseline.Baseline{Version: baseline.Version}
		if tc.baseline != nil {
			b = tc.baseline()
		}
		b.Exemptions = append(b.Exemptions, xs...)
		return b
	}
}

// exemptionCases derives from a firing case (whose first finding is on
// resource) one case with an exemption for that resource and one with the
// same exemption expired.
func exemptionCases(rule string, fires ruleCase) []ruleCase {
	exempt := fires
	exempt.name = "exempted"
	exempt.baseline = withExemptions(fires, baseline.Exemption{
		Rule: rule, Resource: "*/" + fires.want[0].Resource, Reason: "accepted", Owner: "net-team",
		Expires: testNow.Add(24 * time.Hour),
	})
	exempt.want = markExempt(fires.want, fires.want[0].Resource)
	expired := fires
	expired.name = "expired exemption"
	expired.baseline = withExemptions(fires, baseline.Exemption{
		Rule: rule, Resource: "*/" + fires.want[0].Resource, Reason: "accepted", Owner: "net-team",
		Expires: testNow.Add(-time.Hour),
	})
	return []ruleCase{exempt, expired}
}

func markExempt(ws []got, resource string) []got {
	out := make([]got, len(ws))
	for i, w := range ws {
		w.Exempt = w.Resource == resource || w.VNet == resource
		out[i] = w
	}
	return out
}

func lngKey(name string) estate.Key { return estate.KeyOf(lngID(name)) }
