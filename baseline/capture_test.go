package baseline

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

// examplesEstate is the estate derived from Azure's ARM examples, in shared/.
const examplesEstate = "../../shared/data/arm-examples/estate-from-examples.json"

// More IDs for the hand-written estate.
const (
	farID    = "/subscriptions/s2/resourceGroups/far/providers/Microsoft.Network/virtualNetworks/far"
	farGwID  = "/subscriptions/s2/resourceGroups/far/providers/Microsoft.Network/virtualNetworkGateways/far-gw"
	erGwID   = "/subscriptions/s1/resourceGroups/app/providers/Microsoft.Network/virtualNetworkGateways/er-gw"
	pip1ID   = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/publicIPAddresses/pip1"
	pip2ID   = "/subscriptions/s2/resourceGroups/far/providers/Microsoft.Network/publicIPAddresses/pip2"
	lngFarID = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/localNetworkGateways/far-as-site"
	lngBadID = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/localNetworkGateways/placeholder"
	c2ID     = "/subscriptions/s2/resourceGroups/far/providers/Microsoft.Network/connections/c2"
	c3ID     = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/connections/c3"
	c4ID     = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/connections/c4"
)

func pfx(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func strongPolicy(enc string) estate.IPsecPolicy {
	return estate.IPsecPolicy{SALifeTimeSeconds: 27000, SADataSizeKilobytes: 102400000, IPsecEncryption: enc,
		IPsecIntegrity: "GCMAES256", IKEEncryption: "AES256", IKEIntegrity: "SHA384", DHGroup: "DHGroup24", PFSGroup: "PFS24"}
}

// handEstate is a small estate that exercises every capture rule.
func handEstate() *estate.Estate {
	e := estate.New()
	add := func(v *estate.VNet) { v.Key = estate.KeyOf(v.ID); e.VNets[v.Key] = v }
	add(&estate.VNet{ID: hubID, Prefixes: pfx("10.0.0.0/16", "10.0.0.0/16")})
	add(&estate.VNet{ID: spokeID})
	add(&estate.VNet{ID: farID, Prefixes: pfx("10.9.0.0/16")})
	add(&estate.VNet{ID: "not-a-resource-id"})
	peer := func(name, from, to string, access, fwd, transit, remoteGw bool) {
		p := &estate.Peering{ID: from + "/virtualNetworkPeerings/" + name, Name: name, VNetID: from, RemoteVNetID: to,
			AllowVirtualNetworkAccess: access, AllowForwardedTraffic: fwd, AllowGatewayTransit: transit, UseRemoteGateways: remoteGw,
			State: estate.PeeringConnected, SyncLevel: "LocalNotInSync"}
		p.Key, p.VNetKey, p.RemoteKey = estate.KeyOf(p.ID), estate.KeyOf(from), estate.KeyOf(to)
		e.Peerings[p.Key] = p
	}
	peer("hub-spoke", hubID, spokeID, true, false, true, false)
	peer("spoke-hub", spokeID, hubID, true, true, false, true)
	peer("dangling", hubID, "", true, false, false, false)
	peer("again", hubID, strings.ToUpper(spokeID), false, false, false, false)
	gw := func(g *estate.Gateway) {
		g.Key, g.VNetKey = estate.KeyOf(g.ID), estate.KeyOf(g.VNetID)
		e.Gateways[g.Key] = g
	}
	gw(&estate.Gateway{ID: gwID, VNetID: hubID, GatewayType: "Vpn", VPNType: "routebased", SKU: "VpnGw9", ActiveActive: true,
		EnableBGP: true, ASN: 65515, Generation: "Generation2", PublicIPIDs: []string{pip1ID}})
	gw(&estate.Gateway{ID: erGwID, VNetID: spokeID, GatewayType: "ExpressRoute", SKU: "ErGw1AZ"})
	gw(&estate.Gateway{ID: farGwID, VNetID: farID, GatewayType: "Vpn", VPNType: "RouteBased", ASN: 65515, PublicIPIDs: []string{pip2ID}})
	conn := func(c *estate.Connection) {
		c.Key, c.Gateway1Key = estate.KeyOf(c.ID), estate.KeyOf(c.Gateway1ID)
		c.Gateway2Key, c.LocalGatewayKey = keyOrEmpty(c.Gateway2ID), keyOrEmpty(c.LocalGatewayID)
		c.Status = estate.ConnectionConnected
		e.Connections[c.Key] = c
	}
	conn(&estate.Connection{ID: connID, Type: "Vnet2Vnet", Gateway1ID: gwID, Gateway2ID: farGwID, Protocol: "IKEv2", EnableBGP: true,
		IPsecPolicies: []estate.IPsecPolicy{strongPolicy("gcmaes256")}})
	conn(&estate.Connection{ID: c2ID, Type: "Vnet2Vnet", Gateway1ID: farGwID, Gateway2ID: gwID, Protocol: "ikev2"})
	conn(&estate.Connection{ID: c3ID, Type: "IPsec", Gateway1ID: gwID, LocalGatewayID: lngID, UsePolicyBasedTrafficSelectors: true})
	conn(&estate.Connection{ID: c4ID, Type: "IPsec", Gateway1ID: gwID, LocalGatewayID: lngID,
		IPsecPolicies: []estate.IPsecPolicy{strongPolicy("ROT13")}})
	lng := func(l *estate.LocalGateway) { l.Key = estate.KeyOf(l.ID); e.LocalGateways[l.Key] = l }
	lng(&estate.LocalGateway{ID: lngID, Prefixes: pfx("192.168.0.0/20"), GatewayIP: "203.0.113.10", ASN: 65050, BGPPeerIP: "192.168.15.254"})
	lng(&estate.LocalGateway{ID: lngFarID, Prefixes: pfx("10.9.0.0/16"), GatewayIP: "::ffff:198.51.100.2"})
	lng(&estate.LocalGateway{ID: lngBadID, GatewayIP: "x.x.x.x", BGPPeerIP: "nope"})
	pip := func(id, addr string) {
		k := estate.KeyOf(id)
		e.PublicIPs[k] = &estate.PublicIP{ID: id, Key: k, Addr: netip.MustParseAddr(addr)}
	}
	pip(pip1ID, "198.51.100.1")
	pip(pip2ID, "198.51.100.2")
	e.Index()
	return e
}

func keyOrEmpty(id string) estate.Key {
	if id == "" {
		return ""
	}
	return estate.KeyOf(id)
}

// wantHand is what Capture(handEstate()) must return, Comments aside.
func wantHand() *Baseline {
	t, f := ptr(true), ptr(false)
	b := &Baseline{
		Version: Version,
		VNets: []*VNet{
			{ID: spokeID, AddressPrefixes: []netip.Prefix{}, Peerings: []*Peering{
				{Name: "spoke-hub", Remote: hubID, PeeringFlags: PeeringFlags{t, t, f, t}},
			}},
			{ID: hubID, AddressPrefixes: pfx("10.0.0.0/16"),
				Peerings: []*Peering{
					{Name: "again", Remote: strings.ToUpper(spokeID), PeeringFlags: PeeringFlags{f, f, f, f}},
				},
				Gateway: &Gateway{ID: gwID, GatewayType: "Vpn", VPNType: "RouteBased", ActiveActive: t, EnableBGP: t,
					ASN: ptr(int64(65515)), Generation: "Generation2"},
				Connections: []*Connection{
					{ID: connID, Type: "Vnet2Vnet", Peer: farGwID, Protocol: "IKEv2", EnableBGP: t, UsePolicyBasedTrafficSelectors: f,
						IPsecPolicies: []estate.IPsecPolicy{strongPolicy("GCMAES256")}},
					{ID: c3ID, Type: "IPsec", Peer: lngID, EnableBGP: f, UsePolicyBasedTrafficSelectors: t, IPsecPolicies: []estate.IPsecPolicy{}},
					{ID: c4ID, Type: "IPsec", Peer: lngID, EnableBGP: f, UsePolicyBasedTrafficSelectors: f},
				}},
			{ID: farID, AddressPrefixes: pfx("10.9.0.0/16"),
				Gateway: &Gateway{ID: farGwID, GatewayType: "Vpn", VPNType: "RouteBased", ActiveActive: f, EnableBGP: f},
				Connections: []*Connection{
					{ID: c2ID, Type: "Vnet2Vnet", Peer: gwID, Protocol: "IKEv2", EnableBGP: f, UsePolicyBasedTrafficSelectors: f, IPsecPolicies: []estate.IPsecPolicy{}},
				}},
		},
		LocalGateways: []*LocalGateway{
			{ID: lngFarID, Prefixes: pfx("10.9.0.0/16"), GatewayIP: "::ffff:198.51.100.2", Represents: farID},
			{ID: lngBadID, Prefixes: []netip.Prefix{}},
			{ID: lngID, Prefixes: pfx("192.168.0.0/20"), GatewayIP: "203.0.113.10", ASN: ptr(int64(65050)), BGPPeerIP: "192.168.15.254"},
		},
	}
	b.Index()
	return b
}

func TestCaptureHandWritten(t *testing.T) {
	got := Capture(handEstate())
	comments := got.Comments
	got.Comments = nil
	assert.Equal(t, wantHand(), got)

	require.GreaterOrEqual(t, len(comments), 2)
	assert.Equal(t, "Captured by vnetdrift from an estate (VNets: 3, local network gateways: 3).", comments[0])
	notes := strings.Join(comments[2:], "\n")
	for _, want := range []string{
		`Left out: VNet: bad resource ID "not-a-resource-id"`,
		`Left out: peering "` + hubID + `/virtualNetworkPeerings/dangling": bad resource ID ""`,
		`Left out: peering "` + hubID + `/virtualNetworkPeerings/hub-spoke": a second peering to`,
		`Left out: sku "VpnGw9" of "` + gwID + `"`,
		`Left out: ipsecPolicies of "` + c4ID + `"`,
		`Left out: gatewayIpAddress of "` + lngBadID + `": bad IP address "x.x.x.x"`,
		`Left out: bgp.peeringAddress of "` + lngBadID + `": bad IP address "nope"`,
	} {
		assert.Contains(t, notes, want)
	}
	assert.Len(t, comments[2:], 7, notes)
}

func TestCaptureMarshalRoundTrip(t *testing.T) {
	fromExamples, err := estate.Load(examplesEstate)
	require.NoError(t, err)
	for name, e := range map[string]*estate.Estate{"hand-written": handEstate(), "arm-examples": fromExamples} {
		t.Run(name, func(t *testing.T) {
			b := Capture(e)
			out, err := Marshal(b)
			require.NoError(t, err)
			text := string(out)
			assert.True(t, strings.HasPrefix(text, "# yaml-language-server: $schema="+SchemaURL+"\n# Captured by vnetdrift"), text)
			for _, volatile := range []string{"Connected", "NotInSync", "Succeeded", "etag", "provisioningState", "resourceGuid", "peeringState", "connectionStatus"} {
				assert.NotContains(t, text, volatile)
			}

			back, err := Parse("captured.yaml", out)
			require.NoError(t, err, text)
			assert.Equal(t, stripPositions(b), stripPositions(back))

			again, err := Marshal(Capture(e))
			require.NoError(t, err)
			assert.Equal(t, text, string(again), "deterministic")
		})
	}
}

func TestCaptureArmExamples(t *testing.T) {
	e, err := estate.Load(examplesEstate)
	require.NoError(t, err)
	b := Capture(e)
	assert.Len(t, b.VNets, 5, "subid/subId test-vnet are one VNet")
	assert.Len(t, b.LocalGateways, 3)
	for _, l := range b.LocalGateways {
		assert.Empty(t, l.GatewayIP, "x.x.x.x is not captured")
		assert.Empty(t, l.Represents)
	}
	conn := b.VNet(estate.KeyOf("/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1")).Connections
	require.Len(t, conn, 1)
	assert.Equal(t, "IPsec", conn[0].Type)
	assert.True(t, strings.HasSuffix(conn[0].Peer, "/localNetworkGateways/localgw"))
	for _, v := range b.VNets {
		assert.Empty(t, v.Peerings, "the examples' peerings belong to a VNet that is not in the estate")
	}
}

func TestMarshalRoundTripExample(t *testing.T) {
	for _, path := range []string{examplePath, "testdata/reserved.yaml", "testdata/minimal.yaml"} {
		t.Run(path, func(t *testing.T) {
			b, err := ReadFile(path)
			require.NoError(t, err)
			out, err := Marshal(b)
			require.NoError(t, err)
			back, err := Parse("again.yaml", out)
			require.NoError(t, err, string(out))
			out2, err := Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, string(out), string(out2))
			assert.Equal(t, stripPositions(b), stripPositions(back))
		})
	}
}

// stripPositions clears what a round trip does not keep: Path, Comments,
// Lines and the Routing node (compared through Marshal's output instead).
func stripPositions(b *Baseline) *Baseline {
	c := *b
	c.Path, c.Comments, c.Routing.Content, c.Routing.Line, c.Routing.Column = "", nil, nil, 0, 0
	rules := map[string]RuleSetting{}
	for id, r := range b.Rules {
		r.Line = 0
		rules[id] = r
	}
	if b.Rules == nil {
		rules = nil
	}
	c.Rules = rules
	c.Exemptions = append([]Exemption(nil), b.Exemptions...)
	for i := range c.Exemptions {
		c.Exemptions[i].Line = 0
	}
	for _, v := range b.VNets {
		v.Line = 0
		for _, p := range v.Peerings {
			p.Line = 0
		}
		if v.Gateway != nil {
			v.Gateway.Line = 0
		}
		for _, x := range v.Connections {
			x.Line = 0
		}
	}
	for _, l := range b.LocalGateways {
		l.Line = 0
	}
	return &c
}
