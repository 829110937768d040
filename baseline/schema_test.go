package baseline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline/schematest"
	"github.com/vnetdrift/vnetdrift/estate"
)

var compiled = sync.OnceValues(func() (*schematest.Validator, error) {
	return schematest.New(Schema, SchemaURL)
})

// schemaCheck validates YAML text against Schema, without the top-level
// keys in drop. A document that is not even YAML a schema tool could read
// counts as rejected.
func schemaCheck(t testing.TB, data []byte, drop ...string) error {
	t.Helper()
	v, err := compiled()
	require.NoError(t, err)
	return v.Validate(data, drop...)
}

func TestSchemaAcceptsValidDocuments(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	require.NoError(t, err)
	files = append(files, examplePath)
	docs := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		docs[f] = data
	}
	fromExamples, err := estate.Load(examplesEstate)
	require.NoError(t, err)
	for name, e := range map[string]*estate.Estate{"capture of hand-written": handEstate(), "capture of arm-examples": fromExamples} {
		out, err := Marshal(Capture(e))
		require.NoError(t, err)
		docs[name] = out
	}
	for name, data := range docs {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(name, data)
			require.NoError(t, err)
			assert.NoError(t, schemaCheck(t, data))
		})
	}
}

// schemaCannotCheck lists the parse error cases the schema accepts, because
// JSON Schema cannot express the check (or sees the YAML differently).
var schemaCannotCheck = map[string]string{
	"two documents":                     "a schema sees the first document only",
	"merge key":                         "YAML tools apply << before validating",
	"exemption bad date":                "calendar validity",
	"cidr host bits":                    "host bits",
	"duplicate vnet":                    "uniqueness by ID across objects",
	"duplicate connection across vnets": "uniqueness by ID across objects",
	"peering duplicate remote":          "uniqueness by remote across objects",
	"duplicate lng":                     "uniqueness by ID across objects",
	"connection vnet2vnet to lng":       "peer type depends on connection type",
	"connection ipsec to gateway":       "peer type depends on connection type",
	"gateway asn float":                 "JSON Schema integers include 65515.0",
}

func TestSchemaRejectsWhatParseRejects(t *testing.T) {
	for _, tt := range parseErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			_, parseErr := Parse("f.yaml", []byte(tt.src))
			require.Error(t, parseErr)
			schemaErr := schemaCheck(t, []byte(tt.src))
			if why, ok := schemaCannotCheck[tt.name]; ok {
				assert.NoError(t, schemaErr, "listed as not checkable (%s) but the schema rejects it; remove it from the list", why)
				return
			}
			assert.Error(t, schemaErr, "Parse says: %v", parseErr)
		})
	}
}

func TestSchemaMatchesParseLists(t *testing.T) {
	var s struct {
		Defs map[string]struct {
			Pattern    string
			Enum       []string
			Properties map[string]struct {
				Enum          []string
				PropertyNames struct{ Enum []string }
			}
		} `json:"$defs"`
		Properties map[string]struct {
			PropertyNames struct{ Enum []string }
		}
	}
	require.NoError(t, json.Unmarshal(Schema, &s))

	for def, kind := range map[string]string{"vnetId": kindVNet, "gatewayId": kindGateway, "connectionId": kindConnection, "localNetworkGatewayId": kindLocalGateway} {
		assert.Equal(t, idPatterns[kind].String(), s.Defs[def].Pattern, def)
	}
	assert.Equal(t, RuleIDs, s.Properties["rules"].PropertyNames.Enum)
	assert.Equal(t, append([]string{AnyRule}, RuleIDs...), s.Defs["exemption"].Properties["rule"].Enum)
	for _, c := range []struct {
		def, prop string
		want      []string
	}{
		{"gateway", "gatewayType", gatewayTypes}, {"gateway", "vpnType", vpnTypes}, {"gateway", "sku", gatewaySKUs},
		{"gateway", "generation", gatewayGenerations}, {"connection", "type", connectionTypes}, {"connection", "protocol", protocols},
		{"ipsecPolicy", "ipsecEncryption", ipsecEncryptions}, {"ipsecPolicy", "ipsecIntegrity", ipsecIntegrities},
		{"ipsecPolicy", "ikeEncryption", ikeEncryptions}, {"ipsecPolicy", "ikeIntegrity", ikeIntegrities},
		{"ipsecPolicy", "dhGroup", dhGroups}, {"ipsecPolicy", "pfsGroup", pfsGroups},
		{"ruleSetting", "severity", severities}, {"ruleSetting", "mode", modes},
	} {
		got := append([]string(nil), s.Defs[c.def].Properties[c.prop].Enum...)
		want := append([]string(nil), c.want...)
		sort.Strings(got)
		sort.Strings(want)
		assert.Equal(t, want, got, "%s.%s", c.def, c.prop)
	}
}

func TestSchemaProbes(t *testing.T) {
	// Values at the edges of the schema's patterns, checked against Parse.
	tests := []struct {
		name  string
		src   string
		valid bool
	}{
		{"ipv6 prefix /128", vnetDoc + "    addressPrefixes: ['2001:db8::1/128']\n", true},
		{"ipv6 prefix /129", vnetDoc + "    addressPrefixes: ['2001:db8::/129']\n", false},
		{"ipv4 prefix /0", vnetDoc + "    addressPrefixes: [0.0.0.0/0]\n", true},
		{"ipv4 prefix leading zero bits", vnetDoc + "    addressPrefixes: [10.0.0.0/08]\n", false},
		{"ipv4 leading zero octet", vnetDoc + "    addressPrefixes: [010.0.0.0/8]\n", false},
		{"mapped ipv6 address", "version: 1\nlocalNetworkGateways:\n  - {id: " + lngID + ", gatewayIpAddress: '::ffff:192.0.2.1'}\n", true},
		{"rfc3339 with fraction", exemptionDoc + "  - {rule: '*', resource: /x, reason: r, owner: o, expires: 2026-01-02T03:04:05.123456+05:30}\n", true},
		{"lower-case id words", "version: 1\nvnets:\n  - id: /SUBSCRIPTIONS/s/resourcegroups/r/PROVIDERS/microsoft.network/virtualnetworks/v\n", true},
		{"asn max", vnetDoc + "    gateway: {asn: 4294967295}\n", true},
		{"asn hex", vnetDoc + "    gateway: {asn: 0xFFFF}\n", true},
		{"routes and receivers", "version: 1\nroutes:\n  repeatInterval: 1h30m\n  default: ops\n  routes:\n    - {match: {severity: high, rule: 'PEERING_*', vnet: '/subscriptions/*'}, receivers: [ops, default], continue: true}\n" +
			"receivers:\n  ops:\n    teams: [{urlFrom: VNETDRIFT_TEAMS_WEBHOOK_URL_OPS}]\n    email: [{to: [ops@example.com]}, {toFrom: OPS_MAIL}]\n", true},
		{"repeat interval zero", "version: 1\nroutes: {repeatInterval: 0}\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, parseErr := Parse("p.yaml", []byte(tt.src))
			schemaErr := schemaCheck(t, []byte(tt.src))
			if tt.valid {
				assert.NoError(t, parseErr)
				assert.NoError(t, schemaErr)
			} else {
				assert.Error(t, parseErr)
				assert.Error(t, schemaErr)
			}
		})
	}
}
