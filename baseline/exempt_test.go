package baseline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExemptionFor(t *testing.T) {
	src := `version: 1
exemptions:
  - {rule: PEERING_NOT_IN_SYNC, resource: "/subscriptions/*/resourceGroups/lab-*/*", reason: lab, owner: a, expires: 2026-12-31}
  - {rule: "*", resource: "` + hubID + `", reason: hub, owner: b, expires: "2026-06-01T12:00:00+02:00"}
  - {rule: PEERING_NOT_IN_SYNC, resource: "*/resourceGroups/LAB-WEST/*", reason: forever, owner: c}
`
	b, err := Parse("x.yaml", []byte(src))
	require.NoError(t, err)
	lab := "/subscriptions/s1/resourceGroups/Lab-West/providers/Microsoft.Network/virtualNetworks/v1"
	labEast := "/subscriptions/s1/resourceGroups/lab-east/providers/Microsoft.Network/virtualNetworks/v2"
	before := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		rule, id   string
		now        time.Time
		wantReason string // "" for no exemption
	}{
		{"glob and case", "PEERING_NOT_IN_SYNC", lab, before, "lab"},
		{"other rule", "PEERING_MISSING", lab, before, ""},
		{"star rule", "GATEWAY_MISSING", hubID, before, "hub"},
		{"star rule other case", "VNET_MISSING", "/SUBSCRIPTIONS/S1/resourcegroups/NET/providers/microsoft.network/virtualnetworks/HUB/", before, "hub"},
		{"no match", "VNET_MISSING", spokeID, before, ""},
		{"pattern anchored at end", "PEERING_NOT_IN_SYNC", hubID + "-2", before, ""},
		{"last day still exempt", "PEERING_NOT_IN_SYNC", lab, time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), "lab"},
		{"expired date falls through to next", "PEERING_NOT_IN_SYNC", lab, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "forever"},
		{"expired date, no other match", "PEERING_NOT_IN_SYNC", labEast, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"before expiry, other group", "PEERING_NOT_IN_SYNC", labEast, before, "lab"},
		{"expired time", "VNET_MISSING", hubID, time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), ""},
		{"just before time", "VNET_MISSING", hubID, time.Date(2026, 6, 1, 9, 59, 59, 0, time.UTC), "hub"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := b.ExemptionFor(tt.rule, tt.id, tt.now)
			if tt.wantReason == "" {
				assert.Nil(t, x)
				return
			}
			require.NotNil(t, x)
			assert.Equal(t, tt.wantReason, x.Reason)
		})
	}
}

func TestExemptionExpired(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	x := Exemption{Expires: at}
	assert.False(t, x.Expired(at.Add(-time.Nanosecond)))
	assert.True(t, x.Expired(at))
	assert.True(t, x.Expired(at.Add(time.Hour)))
	assert.False(t, (&Exemption{}).Expired(at), "no expiry never expires")
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"*", "", true},
		{"*", "/anything/at/all", true},
		{"/a/*/c", "/a/b/x/c", true},
		{"/a/*/c", "/a/b/c/d", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"a**", "a", true},
		{"*x", "xxxx", true},
		{"abc", "abd", false},
		{"abc", "ab", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Glob(tt.pattern, tt.s), "Glob(%q, %q)", tt.pattern, tt.s)
	}
}

func TestNilBaselineHelpers(t *testing.T) {
	var b *Baseline
	assert.True(t, b.RuleEnabled("VNET_MISSING"))
	assert.Empty(t, b.SeverityOverride("VNET_MISSING"))
	assert.Nil(t, b.ExemptionFor("VNET_MISSING", hubID, time.Now()))
}

func TestRuleHelpers(t *testing.T) {
	b := &Baseline{Rules: map[string]RuleSetting{
		"VNET_MISSING":    {Enabled: ptr(false)},
		"ADDRESS_OVERLAP": {Enabled: ptr(true), Severity: "low"},
	}}
	assert.False(t, b.RuleEnabled("VNET_MISSING"))
	assert.True(t, b.RuleEnabled("ADDRESS_OVERLAP"))
	assert.True(t, b.RuleEnabled("PEERING_MISSING"), "not listed: enabled")
	assert.Equal(t, "low", b.SeverityOverride("ADDRESS_OVERLAP"))
	assert.Empty(t, b.SeverityOverride("VNET_MISSING"))
}
