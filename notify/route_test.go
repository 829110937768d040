package notify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/detector"
)

const (
	hubID     = "/subscriptions/0000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub"
	spokeID   = "/subscriptions/0000/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/spoke"
	peeringID = hubID + "/virtualNetworkPeerings/hub-to-spoke"
)

func finding(rule string, sev detector.Severity, vnet, resource string) detector.Finding {
	return detector.Finding{Rule: rule, Severity: sev, VNetID: vnet, ResourceID: resource, Fingerprint: detector.Fingerprint(rule, resource, "")}
}

func TestReceiversOf(t *testing.T) {
	r, err := parseRouting(t, `routes:
  default: [ops]
  routes:
    - match: {severity: high}
      receivers: [oncall]
      continue: true
    - match: {rule: peering_*, vnet: /SUBSCRIPTIONS/*/resourcegroups/RG-HUB/*}
      receivers: [netops, oncall]
    - match: {resource: "*/virtualNetworkPeerings/*"}
      receivers: [peering-owners]
    - match: {severity: medium, rule: GATEWAY_*}
      receivers: [netops]
receivers: {ops: {}, oncall: {}, netops: {}, peering-owners: {}}
`)
	require.NoError(t, err)
	tests := []struct {
		name string
		f    detector.Finding
		want []string
	}{
		{"no route matches", finding("ADDRESS_OVERLAP", detector.SeverityLow, spokeID, spokeID), []string{"ops"}},
		{"high continues to the next match, each receiver once", finding("PEERING_MISSING", detector.SeverityHigh, hubID, hubID), []string{"oncall", "netops"}},
		{"high alone", finding("ADDRESS_OVERLAP", detector.SeverityHigh, spokeID, spokeID), []string{"oncall"}},
		{"rule and VNet globs ignore case", finding("PEERING_SETTINGS_DRIFT", detector.SeverityLow, hubID, peeringID), []string{"netops", "oncall"}},
		{"the first match stops", finding("PEERING_SETTINGS_DRIFT", detector.SeverityLow, spokeID, spokeID+"/virtualNetworkPeerings/x"), []string{"peering-owners"}},
		{"severity is a minimum", finding("GATEWAY_MISSING", detector.SeverityMedium, spokeID, spokeID), []string{"netops"}},
		{"below the minimum", finding("GATEWAY_MISSING", detector.SeverityLow, spokeID, spokeID), []string{"ops"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, r.ReceiversOf(tt.f))
		})
	}
	assert.Equal(t, []string{DefaultReceiver}, DefaultRouting().ReceiversOf(finding("X", detector.SeverityHigh, hubID, hubID)))
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "anything", true},
		{"*", "", true},
		{"PEERING_*", "peering_missing", true},
		{"PEERING_*", "GATEWAY_MISSING", false},
		{"/subscriptions/*/virtualNetworks/hub", hubID, true},
		{"/subscriptions/*/virtualNetworks/hub/", hubID + "/", true},
		{"/subscriptions/*/virtualNetworks/hub", hubID + "/virtualNetworkPeerings/x", false},
		{"*hub*", peeringID, true},
		{"*/a*b*c", "x/aXbYc", true},
		{"*/a*b*c", "x/aXcYb", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, glob(tt.pattern, tt.s), "glob(%q, %q)", tt.pattern, tt.s)
	}
}
