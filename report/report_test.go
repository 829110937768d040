package report

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/detector"
)

func findings() []detector.Finding {
	return []detector.Finding{
		{Rule: detector.RulePeeringMissing, Severity: detector.SeverityHigh, VNetID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
			ResourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub", Message: "m1", Fingerprint: "a"},
		{Rule: detector.RuleRedundantVNet2VNet, Severity: detector.SeverityLow, Message: "m2", Fingerprint: "b",
			Exemption: &detector.ExemptionRef{Reason: "migration", Owner: "net"}},
		{Rule: detector.RulePeeringSettingsDrift, Severity: detector.SeverityMedium, Message: "m3", Fingerprint: "c",
			ResourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/virtualNetworkPeerings/p"},
	}
}

func TestSummarizeAndFailing(t *testing.T) {
	s := Summarize(findings(), 7)
	assert.Equal(t, 2, s.Total)
	assert.Equal(t, 1, s.Exempted)
	assert.Equal(t, map[string]int{"high": 1, "medium": 1, "low": 0}, s.BySeverity)
	cases := []struct {
		min  detector.Severity
		want bool
	}{{detector.SeverityLow, true}, {detector.SeverityMedium, true}, {detector.SeverityHigh, true}}
	for _, c := range cases {
		assert.Equal(t, c.want, Failing(findings(), c.min), c.min.String())
	}
	onlyLowExempt := findings()[1:2]
	assert.False(t, Failing(onlyLowExempt, detector.SeverityLow), "exempted findings never fail a scan")
	assert.False(t, Failing(findings()[2:], detector.SeverityHigh))
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, findings(), Options{VNets: 7}))
	out := b.String()
	assert.Contains(t, out, "HIGH      PEERING_MISSING")
	assert.Contains(t, out, "exempt    REDUNDANT_VNET2VNET")
	assert.Contains(t, out, "rg/hub/p", "peering shown as resource group/VNet/peering")
	assert.Contains(t, out, "2 findings (1 high, 1 medium, 0 low), 1 exempted, 7 VNets evaluated.")
	b.Reset()
	require.NoError(t, WriteText(&b, nil, Options{VNets: 3}))
	assert.Equal(t, "No drift: 3 VNets evaluated, 0 findings.\n", b.String())
}

func TestParseFormat(t *testing.T) {
	for _, ok := range []string{"text", "json", "sarif"} {
		f, err := ParseFormat(ok)
		require.NoError(t, err)
		assert.Equal(t, Format(ok), f)
	}
	_, err := ParseFormat("yaml")
	assert.EqualError(t, err, `unknown format "yaml": want text, json or sarif`)
}
