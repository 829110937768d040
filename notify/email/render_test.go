package email

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/notify/internal/notifytest"
)

func TestRenderEveryKind(t *testing.T) {
	tests := []struct {
		kind       string
		subject    string
		textHas    []string
		htmlHas    []string
		textHasNot []string
	}{
		{kind: "opened", subject: "[vnetdrift] HIGH ADDRESS_OVERLAP on vnet-spoke-app1-weu (+2 more)",
			textHas: []string{"Changed by", "Caller: alice@contoso.com", "Correlation ID: 7d1c2b8e-0f6a-4c51-9e3d-5a2b1c4d6e8f",
				"HIGH · ADDRESS_SPACE_DRIFT · opened", "Expected: 10.1.0.0/16", "Actual: 10.1.0.0/16, 10.101.0.0/16",
				"VNet in portal: https://portal.azure.com/#@/resource" + notifytest.VNetID("vnet-spoke-app1-weu"),
				"Rule docs: https://github.com/vnetdrift/vnetdrift/blob/main/docs/rules.md#peering_not_in_sync"},
			htmlHas: []string{`href="https://portal.azure.com/#@/resource` + notifytest.VNetID("vnet-spoke-app1-weu") + `"`,
				"#C4314B", "#9A5B00", "Operation</td><td", "vnet-spoke-app1-weu → vnet-hub-weu"}},
		{kind: "resolved", subject: "[vnetdrift] resolved: ADDRESS_SPACE_DRIFT on vnet-spoke-app1-weu (+1 more)",
			textHas: []string{"== Resolved (2) ==", "Caller: bob@contoso.com"}, htmlHas: []string{"#237B4B"},
			textHasNot: []string{"Rule docs"}},
		{kind: "digest", subject: "[vnetdrift] reconcile: 4 open drifts (1 high, 2 medium, 1 low), 1 resolved",
			textHas: []string{"== Opened (1) ==", "== Exemption expired (1) ==", "== Still open (2) ==", "== Resolved (1) =="},
			htmlHas: []string{"reconcile digest"}, textHasNot: []string{"Changed by"}},
		{kind: "planned", subject: "[vnetdrift] MEDIUM PEERING_NOT_IN_SYNC on vnet-spoke-app1-weu",
			textHas: []string{"Planned fix (plan mode: not sent): PUT /subscriptions/", "syncRemoteAddressSpace=true", "Before: peeringSyncLevel: LocalNotInSync"}},
		{kind: "remediated", subject: "[vnetdrift] remediated: PEERING_NOT_IN_SYNC on vnet-spoke-app1-weu",
			textHas: []string{"Fixed by vnetdrift: PUT /subscriptions/", "After: peeringSyncLevel: FullyInSync"}},
		{kind: "remediation-stopped", subject: "[vnetdrift] remediation stopped: MEDIUM PEERING_SETTINGS_DRIFT on vnet-spoke-app3-neu",
			textHas: []string{"Reverted by: terraform-networking", "another controller keeps reverting this"}},
		{kind: "exemption-expired", subject: "[vnetdrift] exemption expired: MEDIUM PEERING_SETTINGS_DRIFT on vnet-spoke-app3-neu",
			textHas: []string{"The baseline exemption for this drift has expired", "Opened by: alice@contoso.com", "First seen: 2026-03-14 09:26:53 UTC"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			c, err := Render(notifytest.Kinds()[tt.kind], "", DefaultMaxFindings)
			require.NoError(t, err)
			assert.Equal(t, tt.subject, c.Subject)
			assert.True(t, strings.HasPrefix(c.Text, "vnetdrift · "), c.Text)
			assert.Contains(t, c.Text, strings.TrimPrefix(c.Subject, "[vnetdrift] "), "the body repeats the title")
			for _, s := range tt.textHas {
				assert.Contains(t, c.Text, s)
			}
			for _, s := range tt.textHasNot {
				assert.NotContains(t, c.Text, s)
			}
			for _, s := range tt.htmlHas {
				assert.Contains(t, c.HTML, s)
			}
			assert.NotContains(t, c.Text, "more not shown")
			assert.NotContains(t, c.Text, "<no value>")
		})
	}
}

func TestRenderEscapesHTML(t *testing.T) {
	n := notifytest.Opened()
	n.Items[0].Finding.Message = `<script>alert("x")</script> & more`
	c, err := Render(n, "", DefaultMaxFindings)
	require.NoError(t, err)
	assert.NotContains(t, c.HTML, "<script>")
	assert.Contains(t, c.HTML, "&lt;script&gt;")
	assert.Contains(t, c.Text, `<script>alert("x")</script> & more`, "plain text is not escaped")
}

func TestRenderLimitsFindings(t *testing.T) {
	for _, tt := range []struct{ n, limit, shown int }{{60, 200, 60}, {60, 25, 25}, {3, 1, 1}} {
		c, err := Render(notifytest.Many(tt.n), "", tt.limit)
		require.NoError(t, err)
		assert.Equal(t, tt.shown, strings.Count(c.Text, "MEDIUM · PEERING_SETTINGS_DRIFT · opened"))
		if more := tt.n - tt.shown; more > 0 {
			assert.Contains(t, c.Text, "+"+strconv.Itoa(more)+" more not shown")
			assert.Contains(t, c.HTML, "+"+strconv.Itoa(more)+" more not shown")
		} else {
			assert.NotContains(t, c.Text, "more not shown")
		}
	}
}
