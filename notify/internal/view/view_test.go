package view

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

const vnet = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-a"

func item(rule string, sev detector.Severity, resource string, r alert.Reason) alert.Item {
	return alert.Item{Reason: r, Resolved: r == alert.ReasonResolved, Finding: detector.Finding{
		Rule: rule, Severity: sev, ResourceID: resource, VNetID: vnet, Message: rule + " message", Fingerprint: rule}}
}

func TestBuildTitleAndOrder(t *testing.T) {
	peering := vnet + "/virtualNetworkPeerings/p1"
	tests := []struct {
		name  string
		n     alert.Notice
		kind  Kind
		title string
	}{
		{"worst first", alert.Notice{Items: []alert.Item{
			item(detector.RulePeeringSettingsDrift, detector.SeverityMedium, peering, alert.ReasonOpened),
			item(detector.RuleAddressOverlap, detector.SeverityHigh, vnet, alert.ReasonOpened),
		}}, KindChange, "HIGH ADDRESS_OVERLAP on vnet-a (+1 more)"},
		{"still open", alert.Notice{Items: []alert.Item{item(detector.RuleVNetMissing, detector.SeverityHigh, vnet, alert.ReasonRepeat)}},
			KindChange, "still open: HIGH VNET_MISSING on vnet-a"},
		{"retry has no prefix", alert.Notice{Items: []alert.Item{item(detector.RuleVNetMissing, detector.SeverityHigh, vnet, alert.ReasonRetry)}},
			KindChange, "HIGH VNET_MISSING on vnet-a"},
		{"retry says what it retries", alert.Notice{Items: []alert.Item{func() alert.Item {
			it := item(detector.RuleVNetMissing, detector.SeverityHigh, vnet, alert.ReasonRetry)
			it.Original = alert.ReasonExemptionExpired
			return it
		}()}}, KindChange, "exemption expired: HIGH VNET_MISSING on vnet-a"},
		{"resolved", alert.Notice{Items: []alert.Item{item(detector.RuleVNetMissing, detector.SeverityHigh, vnet, alert.ReasonResolved)}},
			KindResolved, "resolved: VNET_MISSING on vnet-a"},
		{"mixed counts resolved in +N", alert.Notice{Items: []alert.Item{
			item(detector.RuleVNetMissing, detector.SeverityHigh, vnet, alert.ReasonResolved),
			item(detector.RulePeeringMissing, detector.SeverityLow, vnet, alert.ReasonOpened),
		}}, KindChange, "LOW PEERING_MISSING on vnet-a (+1 more)"},
		{"empty digest", alert.Notice{Digest: true}, KindDigest, "reconcile: no drift"},
		{"digest", alert.Notice{Digest: true, Items: []alert.Item{item(detector.RuleVNetMissing, detector.SeverityHigh, vnet, alert.ReasonRepeat)}},
			KindDigest, "reconcile: 1 open drift (1 high)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Build(tt.n, "")
			assert.Equal(t, tt.kind, m.Kind)
			assert.Equal(t, tt.title, m.Title)
			assert.Equal(t, "[vnetdrift] "+tt.title, m.Subject())
		})
	}
}

func TestBuildChangeAttribution(t *testing.T) {
	alice := alert.Attribution{Caller: "alice@contoso.com", OperationName: "Microsoft.Network/virtualNetworks/write",
		CorrelationID: "c1", EventTime: time.Date(2026, 3, 14, 9, 0, 0, 0, time.FixedZone("CET", 3600))}
	it := item(detector.RuleVNetMissing, detector.SeverityHigh, vnet, alert.ReasonOpened)
	it.OpenedBy = alice
	m := Build(alert.Notice{By: alice, Items: []alert.Item{it}}, "")
	require.NotNil(t, m.Change)
	assert.Equal(t, "2026-03-14 08:00:00 UTC", m.Change.Time)
	assert.Nil(t, m.Active[0].OpenedBy, "same change as the notice: not repeated per finding")

	app := alert.Attribution{Reconcile: true}
	it.Reason = alert.ReasonRepeat
	m = Build(alert.Notice{By: app, Items: []alert.Item{it}}, "")
	assert.Nil(t, m.Change, "the timer is no change")
	require.NotNil(t, m.Active[0].OpenedBy)
	assert.Equal(t, "alice@contoso.com · Microsoft.Network/virtualNetworks/write · 2026-03-14 08:00:00 UTC", m.Active[0].OpenedBy.Summary())

	m = Build(alert.Notice{By: alert.Attribution{CallerAppID: "app-1", CorrelationID: "c2"}, Items: []alert.Item{it}}, "")
	assert.Equal(t, "app app-1", m.Change.Caller)
}

func TestGroupsOrder(t *testing.T) {
	m := Build(alert.Notice{Digest: true, Items: []alert.Item{
		item("A", detector.SeverityLow, vnet, alert.ReasonResolved),
		item("B", detector.SeverityLow, vnet, alert.ReasonRepeat),
		item("C", detector.SeverityLow, vnet, alert.ReasonExemptionExpired),
		item("D", detector.SeverityLow, vnet, alert.ReasonOpened),
		item("E", detector.SeverityLow, vnet, alert.ReasonRetry),
	}}, "")
	var labels []string
	for _, g := range m.Groups() {
		labels = append(labels, g.Label)
	}
	assert.Equal(t, []string{"Opened", "Exemption expired", "Still open", "Open", "Resolved"}, labels)
}

func TestResourceNameAndPortalURL(t *testing.T) {
	assert.Equal(t, "vnet-a", ResourceName(vnet))
	assert.Equal(t, "vnet-a/p1", ResourceName(vnet+"/virtualNetworkPeerings/p1/"))
	assert.Equal(t, "gw-1", ResourceName("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gw-1"))
	assert.Equal(t, "odd", ResourceName("odd"))
	assert.Equal(t, "https://portal.azure.us/#@/resource"+vnet, PortalURL("https://portal.azure.us", vnet))
	assert.Equal(t, "", PortalURL("https://portal.azure.com", "not-an-id"))
	m := Build(alert.Notice{Items: []alert.Item{item(detector.RuleVNetMissing, detector.SeverityHigh, vnet, alert.ReasonOpened)}}, "https://portal.azure.us/")
	assert.Equal(t, "https://portal.azure.us/#@/resource"+vnet, m.Active[0].VNet.URL)
	assert.Empty(t, m.Active[0].Resource, "the resource is the VNet itself")
}

func TestClip(t *testing.T) {
	assert.Equal(t, "short", Clip("short", 10))
	got := Clip(strings.Repeat("é", 10), 9)
	assert.LessOrEqual(t, len(got), 9)
	assert.True(t, strings.HasSuffix(got, "…"))
	assert.True(t, strings.HasPrefix(got, "éé"))
	m := Build(alert.Notice{Items: []alert.Item{{Finding: detector.Finding{Rule: "X", VNetID: vnet, ResourceID: vnet,
		Message: strings.Repeat("m", 5000), Actual: strings.Repeat("a", 5000)}, Reason: alert.ReasonOpened}}}, "")
	assert.Len(t, m.Active[0].Message, maxMessage)
	assert.Len(t, m.Active[0].Actual, maxValue)
}
