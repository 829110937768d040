package teams

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/notify/internal/notifytest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current cards")

// goldenPath is where the card of a notice kind is kept.
func goldenPath(kind string) string { return filepath.Join("testdata", kind+".golden.json") }

func TestPayloadGolden(t *testing.T) {
	for kind, n := range notifytest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			got, err := Payload(n, "")
			require.NoError(t, err)
			assert.LessOrEqual(t, len(got), MaxPayloadBytes)
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, got, "", "  "))
			pretty.WriteByte('\n')
			if *update {
				require.NoError(t, os.WriteFile(goldenPath(kind), pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(goldenPath(kind))
			require.NoError(t, err, "run go test ./notify/teams -run TestPayloadGolden -update")
			assert.Equal(t, string(want), pretty.String())
		})
	}
}

// decoded is the part of a posted message the assertions read.
type decoded struct {
	Type        string `json:"type"`
	Attachments []struct {
		ContentType string          `json:"contentType"`
		ContentURL  *string         `json:"contentUrl"`
		Content     json.RawMessage `json:"content"`
	} `json:"attachments"`
}

func decode(t *testing.T, b []byte) (decoded, map[string]any) {
	t.Helper()
	var d decoded
	require.NoError(t, json.Unmarshal(b, &d))
	require.Len(t, d.Attachments, 1)
	var c map[string]any
	require.NoError(t, json.Unmarshal(d.Attachments[0].Content, &c))
	return d, c
}

func TestPayloadShape(t *testing.T) {
	b, err := Payload(notifytest.Opened(), "https://portal.azure.us/")
	require.NoError(t, err)
	d, c := decode(t, b)
	assert.Equal(t, "message", d.Type)
	assert.Equal(t, "application/vnd.microsoft.card.adaptive", d.Attachments[0].ContentType)
	assert.Nil(t, d.Attachments[0].ContentURL)
	assert.Contains(t, string(b), `"contentUrl":null`)
	assert.Equal(t, "AdaptiveCard", c["type"])
	assert.Equal(t, "1.4", c["version"])
	assert.Equal(t, map[string]any{"width": "Full"}, c["msteams"])
	s := string(b)
	for _, want := range []string{
		"HIGH ADDRESS_OVERLAP on vnet-spoke-app1-weu (+2 more)", // title: the worst finding first
		`"color":"attention"`, `"color":"warning"`, // one colour per severity
		"https://portal.azure.us/#@/resource" + notifytest.VNetID("vnet-spoke-app1-weu"),
		"https://portal.azure.us/#@/resource" + notifytest.PeeringID("vnet-spoke-app1-weu", "peer-spoke-app1-to-hub-weu"),
		"https://github.com/vnetdrift/vnetdrift/blob/main/docs/rules.md#address_overlap",
		"alice@contoso.com", "Microsoft.Network/virtualNetworks/write", "2026-03-14 09:26:53 UTC",
		"7d1c2b8e-0f6a-4c51-9e3d-5a2b1c4d6e8f", `"title":"Expected","value":"10.1.0.0/16"`,
		`"title":"Actual","value":"10.1.0.0/16, 10.101.0.0/16"`, "HIGH · ADDRESS_OVERLAP · opened",
	} {
		assert.Contains(t, s, want)
	}
}

func TestPayloadKinds(t *testing.T) {
	tests := []struct {
		kind    string
		want    []string
		wantNot []string
	}{
		{kind: "resolved", want: []string{"resolved: ADDRESS_SPACE_DRIFT on vnet-spoke-app1-weu (+1 more)", `"style":"good"`, "bob@contoso.com"},
			wantNot: []string{"Action.OpenUrl", `"color":"attention"`}},
		{kind: "digest", want: []string{"reconcile: 4 open drifts (1 high, 2 medium, 1 low), 1 resolved",
			"Opened (1)", "Exemption expired (1)", "Still open (2)", "Resolved (1)", "reconcile digest"}},
		{kind: "exemption-expired", want: []string{"exemption expired: MEDIUM PEERING_SETTINGS_DRIFT on vnet-spoke-app3-neu",
			`"title":"Opened by"`, `"title":"First seen"`}, wantNot: []string{`"text":"Changed by"`}},
		{kind: "planned", want: []string{"MEDIUM PEERING_NOT_IN_SYNC on vnet-spoke-app1-weu", "Planned fix (plan mode: not sent)", "syncRemoteAddressSpace=true", "Request body"}},
		{kind: "remediated", want: []string{"remediated: PEERING_NOT_IN_SYNC on vnet-spoke-app1-weu", "Fixed by vnetdrift", `"style":"good"`},
			wantNot: []string{"Planned fix"}},
		{kind: "remediation-stopped", want: []string{"remediation stopped: MEDIUM PEERING_SETTINGS_DRIFT on vnet-spoke-app3-neu",
			"Reverted by", "terraform-networking"}},
		{kind: "truncated", want: []string{"more not shown", "MEDIUM PEERING_SETTINGS_DRIFT on vnet-hub-weu (+59 more)"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			b, err := Payload(notifytest.Kinds()[tt.kind], "")
			require.NoError(t, err)
			for _, w := range tt.want {
				assert.Contains(t, string(b), w)
			}
			for _, w := range tt.wantNot {
				assert.NotContains(t, string(b), w)
			}
		})
	}
}

func TestPayloadTruncatesToFit(t *testing.T) {
	for _, n := range []int{1, 10, 30, 60, 500} {
		b, err := Payload(notifytest.Many(n), "")
		require.NoError(t, err)
		require.LessOrEqual(t, len(b), MaxPayloadBytes, "%d findings", n)
		shown := strings.Count(string(b), "MEDIUM · PEERING_SETTINGS_DRIFT · opened")
		if shown == n {
			assert.NotContains(t, string(b), "more not shown")
			continue
		}
		assert.Contains(t, string(b), "+"+strconv.Itoa(n-shown)+" more not shown", "%d findings, %d shown", n, shown)
		assert.Greater(t, shown, 5, "a truncated card still shows several findings")
	}
}

func BenchmarkPayload(b *testing.B) {
	for _, n := range []int{3, 60, 500} {
		notice := notifytest.Many(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Payload(notice, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
