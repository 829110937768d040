package baseline

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/vnetdrift/vnetdrift/estate"
)

const examplePath = "../examples/baseline.example.yaml"

// IDs used by the tests.
const (
	hubID    = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub"
	spokeID  = "/subscriptions/s1/resourceGroups/app/providers/Microsoft.Network/virtualNetworks/spoke"
	gwID     = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/virtualNetworkGateways/gw"
	connID   = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/connections/c1"
	lngID    = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/localNetworkGateways/site"
	subnetID = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/GatewaySubnet"
)

func TestParseExample(t *testing.T) {
	b, err := ReadFile(examplePath)
	require.NoError(t, err)

	assert.Equal(t, examplePath, b.Path)
	assert.Equal(t, Version, b.Version)
	assert.Equal(t, PeeringFlags{AllowVirtualNetworkAccess: ptr(true), AllowForwardedTraffic: ptr(true)}, b.Defaults.Peering)
	assert.False(t, b.RuleEnabled("REDUNDANT_VNET2VNET"))
	assert.True(t, b.RuleEnabled("PEERING_UNEXPECTED"))
	assert.Equal(t, "high", b.SeverityOverride("PEERING_UNEXPECTED"))
	assert.Equal(t, "alert", b.Rules["PEERING_SETTINGS_DRIFT"].Mode)
	require.Len(t, b.Exemptions, 2)
	assert.Equal(t, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), b.Exemptions[0].Expires)
	assert.Equal(t, time.Date(2026, 9, 30, 16, 0, 0, 0, time.UTC), b.Exemptions[1].Expires)
	assert.Equal(t, AnyRule, b.Exemptions[1].Rule)

	require.Len(t, b.VNets, 5)
	hub := b.VNet(estate.KeyOf(strings.ToUpper(b.VNets[0].ID)))
	require.NotNil(t, hub, "lookup is case-insensitive")
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}, hub.AddressPrefixes)
	require.Len(t, hub.Peerings, 2)
	assert.Equal(t, estate.KeyOf(b.VNets[1].ID), hub.Peerings[0].RemoteKey)
	assert.Nil(t, hub.Peerings[0].AllowForwardedTraffic, "left to defaults")
	assert.Equal(t, ptr(true), hub.Peerings[0].AllowGatewayTransit)
	require.NotNil(t, hub.Gateway)
	assert.Equal(t, "VpnGw2AZ", hub.Gateway.SKU)
	assert.Equal(t, ptr(int64(65515)), hub.Gateway.ASN)
	assert.NotEmpty(t, hub.Gateway.Key)
	require.Len(t, hub.Connections, 2)
	assert.Equal(t, hub.Connections[0].IPsecPolicies, hub.Connections[1].IPsecPolicies, "alias")
	assert.Equal(t, "DHGroup24", hub.Connections[1].IPsecPolicies[0].DHGroup)
	assert.Equal(t, estate.KeyOf(hub.Connections[1].Peer), hub.Connections[1].PeerKey)

	require.Len(t, b.LocalGateways, 2)
	site := b.LocalGateway(estate.KeyOf(b.LocalGateways[0].ID))
	require.NotNil(t, site)
	assert.Equal(t, "203.0.113.10", site.GatewayIP)
	assert.Equal(t, ptr(int64(65050)), site.ASN)
	assert.Equal(t, "192.168.15.254", site.BGPPeerIP)
	assert.Equal(t, estate.KeyOf(b.VNets[3].ID), b.LocalGateways[1].RepresentsKey)
	assert.Equal(t, yaml.Kind(0), b.Routing.Kind, "routes and receivers are commented out")
}

func TestParseFillsLines(t *testing.T) {
	src := `version: 1
rules:
  ADDRESS_OVERLAP: {severity: low}
exemptions:
  - {rule: "*", resource: /x/*, reason: r, owner: o}
vnets:
  - id: ` + hubID + `
    peerings:
      - {remote: ` + spokeID + `}
    gateway:
      sku: VpnGw1
    connections:
      - id: ` + connID + `
localNetworkGateways:
  - id: ` + lngID + `
`
	b, err := Parse("lines.yaml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, 3, b.Rules["ADDRESS_OVERLAP"].Line)
	assert.Equal(t, 5, b.Exemptions[0].Line)
	v := b.VNets[0]
	assert.Equal(t, 7, v.Line)
	assert.Equal(t, 9, v.Peerings[0].Line)
	assert.Equal(t, 11, v.Gateway.Line)
	assert.Equal(t, 13, v.Connections[0].Line)
	assert.Equal(t, 15, b.LocalGateways[0].Line)
}

func TestParseFixtures(t *testing.T) {
	b, err := ReadFile("testdata/minimal.yaml")
	require.NoError(t, err)
	assert.Empty(t, b.VNets)
	assert.Nil(t, b.Rules)
	assert.True(t, b.RuleEnabled("VNET_MISSING"))

	b, err = ReadFile("testdata/reserved.yaml")
	require.NoError(t, err)
	assert.Equal(t, RuleSetting{Mode: "remediate", AllowDelete: true, Line: 4}, b.Rules["PEERING_MISSING"])
	assert.Equal(t, "low", b.SeverityOverride("ADDRESS_OVERLAP"))
	assert.True(t, b.VNets[0].Gateway.AllowDisruptive)
	assert.NotNil(t, b.VNets[0].Connections[0].IPsecPolicies, "[] means expect none")
	assert.Empty(t, b.VNets[0].Connections[0].IPsecPolicies)
	assert.NotNil(t, b.LocalGateways[0].Prefixes, "[] means expect none")
	assert.Equal(t, ptr(int64(4200000000)), b.LocalGateways[0].ASN)
	require.Len(t, b.Routing.Content, 4)
	assert.Equal(t, "routes", b.Routing.Content[0].Value)
	assert.Equal(t, "receivers", b.Routing.Content[2].Value)
	second := b.Routing.Content[1].Content[3].Content[1]
	require.Equal(t, "receivers", second.Content[2].Value)
	assert.Equal(t, "netops", second.Content[3].Content[0].Value, "alias resolved")
	assert.Empty(t, second.Content[3].Anchor)
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "nope.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "reading baseline")
}

func TestParseVersion(t *testing.T) {
	_, err := Parse("v2.yaml", []byte("version: 2\nsomethingNew: true\n"))
	require.ErrorIs(t, err, ErrUnsupportedVersion)
	assert.Equal(t, "v2.yaml:1: version: unsupported baseline version 2: this build reads version 1", err.Error())
	var pe *Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Line)
	assert.Equal(t, "version", pe.Path)
}

func TestParseReportsEveryProblem(t *testing.T) {
	src := "version: 1\nrules:\n  NOPE: {}\nvnets:\n  - id: bad\n    addressPrefixes: [10.0.0.0/33]\n"
	_, err := Parse("many.yaml", []byte(src))
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 3, err.Error())
	assert.True(t, strings.HasPrefix(lines[0], "many.yaml:3: rules.NOPE: unknown rule ID; want one of "), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], `many.yaml:5: vnets[0].id: bad resource ID "bad": want /subscriptions/`), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], `many.yaml:6: vnets[0].addressPrefixes[0]: bad CIDR "10.0.0.0/33"`), lines[2])
	var pe *Error
	assert.True(t, errors.As(err, &pe))
}

func TestParseCapsErrors(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("version: 1\nvnets:\n")
	for range 50 {
		sb.WriteString("  - id: bad\n")
	}
	_, err := Parse("cap.yaml", []byte(sb.String()))
	require.Error(t, err)
	assert.Len(t, strings.Split(err.Error(), "\n"), maxErrors)
}

func TestParseAliasBomb(t *testing.T) {
	// Each level triples the size: 3^30 nodes if aliases were expanded blindly.
	var sb strings.Builder
	sb.WriteString("version: 1\nroutes:\n  x0: &a0 [leaf]\n")
	for i := 1; i <= 30; i++ {
		p := "*a" + strconv.Itoa(i-1)
		fmt.Fprintf(&sb, "  x%d: &a%d [%s, %s, %s]\n", i, i, p, p, p)
	}
	_, err := Parse("bomb.yaml", []byte(sb.String()))
	require.ErrorIs(t, err, errTooComplex)
}

func TestParseSyntaxErrorUnwraps(t *testing.T) {
	_, err := Parse("s.yaml", []byte("version: 1\nvnets: []\nfoo: bar: baz\n"))
	var pe *Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 3, pe.Line)
	var ll lineless
	require.ErrorAs(t, err, &ll)
	assert.True(t, strings.HasPrefix(ll.err.Error(), "yaml: line 3: "), ll.err.Error())
}
