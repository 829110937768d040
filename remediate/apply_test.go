package remediate

import (
	"net/netip"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

func TestExampleEstateIsClean(t *testing.T) {
	l := newLab(t, labOptions{})
	_, findings := l.evaluate()
	require.Empty(t, rules(findings))
}

// Each action fixes its drift and the next evaluation is clean.
func TestEachActionFixesItsDrift(t *testing.T) {
	tests := []struct {
		name  string
		drift func(l *lab)
		rules []string // rules found before the fix
		kinds []string // kinds of the actions sent
	}{
		{"peering not in sync", func(l *lab) {
			l.as(rival).addressSpace(spoke1, "10.1.0.0/16", "10.100.0.0/16")
			l.b.VNet(estate.KeyOf(spoke1)).AddressPrefixes = []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("10.100.0.0/16")}
		}, []string{detector.RulePeeringNotInSync}, []string{KindPeeringSync}},
		{"peering settings drift", func(l *lab) {
			l.as(rival).peering(hubToS1, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.AllowForwardedTraffic = to.Ptr(false) })
		}, []string{detector.RulePeeringSettingsDrift}, []string{KindPeeringFlags}},
		{"both halves missing", func(l *lab) {
			l.as(rival).deletePeering(s2ToHub)
			l.as(rival).deletePeering(hubToS2)
		}, []string{detector.RulePeeringMissing}, []string{KindPeeringCreate, KindPeeringCreate}},
		{"remote half deleted (Disconnected)", func(l *lab) {
			l.as(rival).deletePeering(s2ToHub)
		}, []string{detector.RulePeeringMissing, detector.RulePeeringNotConnected}, []string{KindPeeringReinit, KindPeeringCreate}},
		{"local gateway stale", func(l *lab) {
			l.as(rival).staleLocalGateway()
			l.as(rival).addressSpace(hubNEU, "10.10.0.0/16", "10.12.0.0/16")
			l.b.VNet(estate.KeyOf(hubNEU)).AddressPrefixes = []netip.Prefix{netip.MustParsePrefix("10.10.0.0/16"), netip.MustParsePrefix("10.12.0.0/16")}
		}, []string{detector.RuleLocalGatewayStale, detector.RulePeeringNotInSync}, []string{KindPeeringSync, KindLocalGatewayPrefixes}},
		{"gateway BGP off, allowDisruptive", func(l *lab) {
			l.b.VNet(estate.KeyOf(hubNEU)).Gateway.AllowDisruptive = true
			l.as(rival).gatewayBGP(gwNEU, false)
		}, []string{detector.RuleGatewaySettingsDrift}, []string{KindGatewaySettings}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, labOptions{})
			tt.drift(l)
			_, before := l.evaluate()
			for _, r := range tt.rules {
				assert.Contains(t, ruleIDs(before), r)
			}
			out := l.round()
			var kinds []string
			for _, o := range out {
				assert.Equal(t, StatusRemediated, o.Status, "%s %s: %s", o.Action.Kind, o.Action.ResourceID, o.Detail)
				kinds = append(kinds, o.Action.Kind)
			}
			assert.ElementsMatch(t, tt.kinds, kinds)
			_, after := l.evaluate()
			assert.Empty(t, rules(after))
		})
	}
}

func ruleIDs(fs []detector.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule
	}
	return out
}
