package baseline

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vnetDoc is a valid document whose single VNet entry starts on line 3;
// each test appends lines to it (line 4 onwards).
const vnetDoc = "version: 1\nvnets:\n  - id: " + hubID + "\n"

// exemptionDoc starts an exemption list; the first entry is on line 3.
const exemptionDoc = "version: 1\nexemptions:\n"

// parseErrorCase is a document Parse must reject with a given message.
type parseErrorCase struct {
	name string
	src  string
	want string // the whole message, or its start when it ends in "…"
}

// parseErrorCases are shared with the schema test, which checks that the
// schema rejects them too (except those it cannot express).
var parseErrorCases = []parseErrorCase{
	{"empty", "", "f.yaml: empty document: want a mapping starting with version: 1"},
	{"comment only", "# nothing\n", "f.yaml: empty document: want a mapping starting with version: 1"},
	{"not a mapping", "- version: 1\n", "f.yaml:1: want a mapping starting with version: 1, got a list"},
	{"yaml syntax", "version: 1\nvnets: [\n", "f.yaml:2: parsing YAML: did not find expected node content"},
	{"yaml syntax with line", "version: 1\nvnets: []\nfoo: bar: baz\n", "f.yaml:3: parsing YAML: mapping values are not allowed in this context"},
	{"two documents", "version: 1\n---\nversion: 1\n", "f.yaml:2: more than one YAML document"},
	{"missing version", "vnets: []\n", "f.yaml:1: version: missing (required): want version: 1"},
	{"version string", "version: \"1\"\n", `f.yaml:1: version: want an integer, got str "1"`},
	{"version 0", "version: 0\n", "f.yaml:1: version: unsupported baseline version 0: this build reads version 1"},
	{"unknown key", "version: 1\nvnet: []\n", "f.yaml:2: vnet: unknown key; want one of defaults, exemptions, localNetworkGateways, receivers, routes, rules, version, vnets"},
	{"duplicate key", "version: 1\nvnets: []\nvnets: []\n", "f.yaml:3: vnets: duplicate key"},
	{"list as a receiver key", "version: 1\nreceivers:\n  ops: {[]}\n", "f.yaml:3: receivers: a key must be a plain value, not a list or a mapping"},
	{"duplicate receiver", "version: 1\nreceivers:\n  ops: {teams: [{urlFrom: A}]}\n  ops: {teams: [{urlFrom: B}]}\n", "f.yaml:4: receivers.ops: duplicate key"},
	{"non-string key", "version: 1\n7: x\n", `f.yaml:2: key int "7": want a string key`},
	{"merge key", "version: 1\n<<: {vnets: []}\n", `f.yaml:2: key merge "<<": want a string key`},
	{"defaults unknown flag", "version: 1\ndefaults: {peering: {allowGatewayTransits: true}}\n", "f.yaml:2: defaults.peering.allowGatewayTransits: unknown key; want one of allowForwardedTraffic, allowGatewayTransit, allowVirtualNetworkAccess, useRemoteGateways"},
	{"defaults not bool", "version: 1\ndefaults: {peering: {allowForwardedTraffic: yes}}\n", `f.yaml:2: defaults.peering.allowForwardedTraffic: want true or false, got str "yes"`},
	{"unknown rule", "version: 1\nrules:\n  PEERING_UNEXPECTD: {enabled: false}\n", "f.yaml:3: rules.PEERING_UNEXPECTD: unknown rule ID; want one of ADDRESS_OVERLAP, …"},
	{"rule setting not mapping", "version: 1\nrules: {VNET_MISSING: false}\n", "f.yaml:2: rules.VNET_MISSING: want a mapping, got bool \"false\""},
	{"bad severity", "version: 1\nrules:\n  ADDRESS_OVERLAP: {severity: critical}\n", `f.yaml:3: rules.ADDRESS_OVERLAP.severity: unknown value "critical"; want one of high, medium, low`},
	{"severity case", "version: 1\nrules:\n  ADDRESS_OVERLAP: {severity: High}\n", `f.yaml:3: rules.ADDRESS_OVERLAP.severity: unknown value "High" (did you mean "high"?); want one of high, medium, low`},
	{"bad mode", "version: 1\nrules:\n  ADDRESS_OVERLAP: {mode: fix}\n", `f.yaml:3: rules.ADDRESS_OVERLAP.mode: unknown value "fix"; want one of alert, plan, remediate`},
	{"exemption bad rule", exemptionDoc + "  - {rule: peering_missing, resource: /x, reason: r, owner: o}\n", `f.yaml:3: exemptions[0].rule: unknown rule ID "peering_missing" (did you mean "PEERING_MISSING"?); want "*" or one of VNET_MISSING, …`},
	{"exemption no reason", exemptionDoc + "  - {rule: VNET_MISSING, resource: /x, owner: o}\n", "f.yaml:3: exemptions[0].reason: missing (required)"},
	{"exemption no owner", exemptionDoc + "  - rule: VNET_MISSING\n    resource: /x\n    reason: r\n", "f.yaml:3: exemptions[0].owner: missing (required)"},
	{"exemption empty reason", exemptionDoc + "  - {rule: VNET_MISSING, resource: /x, reason: '', owner: o}\n", "f.yaml:3: exemptions[0].reason: must not be empty"},
	{"exemption bad date", exemptionDoc + "  - {rule: '*', resource: /x, reason: r, owner: o, expires: 2026-02-30}\n", `f.yaml:3: exemptions[0].expires: bad date "2026-02-30": want YYYY-MM-DD or an RFC 3339 time`},
	{"exemption date no zone", exemptionDoc + "  - {rule: '*', resource: /x, reason: r, owner: o, expires: '2026-02-03T10:00:00'}\n", `f.yaml:3: exemptions[0].expires: bad date "2026-02-03T10:00:00": …`},
	{"exemption date number", exemptionDoc + "  - {rule: '*', resource: /x, reason: r, owner: o, expires: 20261231}\n", `f.yaml:3: exemptions[0].expires: want a date (YYYY-MM-DD) or RFC 3339 time, got int "20261231"`},
	{"exemption bad pattern", exemptionDoc + "  - {rule: '*', resource: subscriptions/x, reason: r, owner: o}\n", `f.yaml:3: exemptions[0].resource: bad resource pattern "subscriptions/x": …`},
	{"exemption not a list", "version: 1\nexemptions: {rule: x}\n", "f.yaml:2: exemptions: want a list, got a mapping"},
	{"vnet missing id", "version: 1\nvnets:\n  - addressPrefixes: [10.0.0.0/16]\n", "f.yaml:3: vnets[0].id: missing (required)"},
	{"vnet bad id", "version: 1\nvnets:\n  - id: /subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/virtualNetworkGateways/gw\n", `f.yaml:3: vnets[0].id: bad resource ID "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/virtualNetworkGateways/gw": want /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>`},
	{"vnet id trailing slash", "version: 1\nvnets:\n  - id: " + hubID + "/\n", `f.yaml:3: vnets[0].id: bad resource ID "` + hubID + `/": …`},
	{"vnet id null", "version: 1\nvnets:\n  - id:\n", "f.yaml:3: vnets[0].id: want a string, got null"},
	{"duplicate vnet", vnetDoc + "  - id: " + strings.ToUpper(hubID) + "\n", `f.yaml:4: vnets[1].id: duplicate VNet "` + strings.ToUpper(hubID) + `" (first at line 3)`},
	{"bad cidr", vnetDoc + "    addressPrefixes: [10.0.0.0/16, 10.1.0.0/33]\n", `f.yaml:4: vnets[0].addressPrefixes[1]: bad CIDR "10.1.0.0/33": …`},
	{"cidr host bits", vnetDoc + "    addressPrefixes: [10.0.0.1/16]\n", `f.yaml:4: vnets[0].addressPrefixes[0]: bad CIDR "10.0.0.1/16": host bits set (did you mean 10.0.0.0/16?)`},
	{"bare address", vnetDoc + "    addressPrefixes: [10.0.0.1]\n", `f.yaml:4: vnets[0].addressPrefixes[0]: bad CIDR "10.0.0.1": …`},
	{"duplicate prefix", vnetDoc + "    addressPrefixes: [10.0.0.0/16, 10.0.0.0/16]\n", "f.yaml:4: vnets[0].addressPrefixes[1]: duplicate prefix 10.0.0.0/16"},
	{"peering bad remote", vnetDoc + "    peerings:\n      - {remote: " + spokeID + "}\n      - {remote: " + subnetID + "}\n", `f.yaml:6: vnets[0].peerings[1].remote: bad resource ID "` + subnetID + `": want /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>`},
	{"peering no remote", vnetDoc + "    peerings:\n      - {name: p}\n", "f.yaml:5: vnets[0].peerings[0].remote: missing (required)"},
	{"peering duplicate remote", vnetDoc + "    peerings:\n      - {remote: " + spokeID + "}\n      - {remote: " + spokeID + "}\n", `f.yaml:6: vnets[0].peerings[1].remote: duplicate peering to "` + spokeID + `" (first at line 5)`},
	{"peering unknown key", vnetDoc + "    peerings:\n      - {remote: " + spokeID + ", peeringState: Connected}\n", "f.yaml:5: vnets[0].peerings[0].peeringState: unknown key; want one of allowForwardedTraffic, allowGatewayTransit, allowVirtualNetworkAccess, name, remote, useRemoteGateways"},
	{"gateway bad id", vnetDoc + "    gateway: {id: " + lngID + "}\n", `f.yaml:4: vnets[0].gateway.id: bad resource ID "` + lngID + `": want /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworkGateways/<name>`},
	{"gateway enum case", vnetDoc + "    gateway: {vpnType: routeBased}\n", `f.yaml:4: vnets[0].gateway.vpnType: unknown value "routeBased" (did you mean "RouteBased"?); want one of PolicyBased, RouteBased`},
	{"gateway bad sku", vnetDoc + "    gateway: {sku: VpnGw9}\n", `f.yaml:4: vnets[0].gateway.sku: unknown value "VpnGw9"; want one of Basic, …`},
	{"gateway asn zero", vnetDoc + "    gateway: {asn: 0}\n", "f.yaml:4: vnets[0].gateway.asn: want an integer from 1 to 4294967295, got 0"},
	{"gateway asn too big", vnetDoc + "    gateway: {asn: 4294967296}\n", "f.yaml:4: vnets[0].gateway.asn: want an integer from 1 to 4294967295, got 4294967296"},
	{"gateway asn float", vnetDoc + "    gateway: {asn: 65515.0}\n", `f.yaml:4: vnets[0].gateway.asn: want an integer, got float "65515.0"`},
	{"connection missing id", vnetDoc + "    connections:\n      - {type: IPsec}\n", "f.yaml:5: vnets[0].connections[0].id: missing (required)"},
	{"connection vnet2vnet to lng", vnetDoc + "    connections:\n      - {id: " + connID + ", type: Vnet2Vnet, peer: " + lngID + "}\n", `f.yaml:5: vnets[0].connections[0].peer: a Vnet2Vnet connection's peer must be a virtualNetworkGateways: bad resource ID "` + lngID + `": …`},
	{"connection ipsec to gateway", vnetDoc + "    connections:\n      - id: " + connID + "\n        peer: " + gwID + "\n        type: IPsec\n", `f.yaml:6: vnets[0].connections[0].peer: a IPsec connection's peer must be a localNetworkGateways: …`},
	{"connection bad peer", vnetDoc + "    connections:\n      - {id: " + connID + ", peer: " + hubID + "}\n", `f.yaml:5: vnets[0].connections[0].peer: bad resource ID "` + hubID + `": want /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworkGateways/<name> or /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/localNetworkGateways/<name>`},
	{"duplicate connection across vnets", vnetDoc + "    connections: [{id: " + connID + "}]\n  - id: " + spokeID + "\n    connections: [{id: " + connID + "}]\n", `f.yaml:6: vnets[1].connections[0].id: duplicate connection "` + connID + `" (first at line 4)`},
	{"ipsec policy incomplete", vnetDoc + "    connections:\n      - id: " + connID + "\n        ipsecPolicies: [{saLifeTimeSeconds: 3600}]\n", "f.yaml:6: vnets[0].connections[0].ipsecPolicies[0].dhGroup: missing (required)\nf.yaml:6: vnets[0].connections[0].ipsecPolicies[0].ikeEncryption: missing (required)\n…"},
	{"ipsec policy bad value", vnetDoc + "    connections:\n      - id: " + connID + "\n        ipsecPolicies: [{dhGroup: DHGroup3}]\n", `f.yaml:6: vnets[0].connections[0].ipsecPolicies[0].dhGroup: unknown value "DHGroup3"; …`},
	{"ipsec negative lifetime", vnetDoc + "    connections:\n      - id: " + connID + "\n        ipsecPolicies: [{saLifeTimeSeconds: -1}]\n", "f.yaml:6: vnets[0].connections[0].ipsecPolicies[0].saLifeTimeSeconds: want an integer from 0 to 2147483647, got -1\n…"},
	{"lng bad ip", "version: 1\nlocalNetworkGateways:\n  - {id: " + lngID + ", gatewayIpAddress: x.x.x.x}\n", `f.yaml:3: localNetworkGateways[0].gatewayIpAddress: bad IP address "x.x.x.x": …`},
	{"lng ip with zone", "version: 1\nlocalNetworkGateways:\n  - {id: " + lngID + ", gatewayIpAddress: 'fe80::1%eth0'}\n", `f.yaml:3: localNetworkGateways[0].gatewayIpAddress: bad IP address "fe80::1%eth0": zones are not allowed`},
	{"lng bad bgp address", "version: 1\nlocalNetworkGateways:\n  - {id: " + lngID + ", bgp: {peeringAddress: 10.0.0.256}}\n", `f.yaml:3: localNetworkGateways[0].bgp.peeringAddress: bad IP address "10.0.0.256": …`},
	{"lng represents gateway", "version: 1\nlocalNetworkGateways:\n  - {id: " + lngID + ", represents: " + gwID + "}\n", `f.yaml:3: localNetworkGateways[0].represents: bad resource ID "` + gwID + `": want /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>`},
	{"duplicate lng", "version: 1\nlocalNetworkGateways:\n  - {id: " + lngID + "}\n  - {id: " + lngID + "}\n", `f.yaml:4: localNetworkGateways[1].id: duplicate local network gateway "` + lngID + `" (first at line 3)`},
	{"kelvin sign", "version: 1\nvnets:\n  - id: /subscriptions/s/resourceGroups/r/providers/Microsoft.Networ\u212a/virtualNetworks/v\n", `f.yaml:3: vnets[0].id: bad resource ID …`},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse("f.yaml", []byte(tt.src))
			require.Error(t, err)
			assert.Nil(t, b)
			msg := err.Error()
			if prefix, ok := strings.CutSuffix(tt.want, "…"); ok {
				assert.True(t, strings.HasPrefix(msg, prefix), "got  %s\nwant %s", msg, tt.want)
			} else {
				assert.Equal(t, tt.want, msg)
			}
		})
	}
}
