package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
)

// parseRouting parses a baseline document and its routing.
func parseRouting(t *testing.T, src string) (*Routing, error) {
	t.Helper()
	b, err := baseline.Parse("b.yaml", []byte("version: 1\n"+src))
	require.NoError(t, err)
	return ParseRouting(b)
}

const fullRouting = `routes:
  repeatInterval: 4h
  default: [ops]
  routes:
    - match: {severity: high}
      receivers: oncall
      continue: true
    - match:
        rule: PEERING_*
        vnet: /subscriptions/*/resourceGroups/rg-hub/*
        resource: "*"
      receivers: [netops, default]
receivers:
  ops:
    email: [{toFrom: VNETDRIFT_EMAIL_TO_OPS}]
  oncall:
    teams: [{urlFrom: VNETDRIFT_TEAMS_WEBHOOK_URL_ONCALL}]
  netops:
    teams:
      - urlFrom: VNETDRIFT_TEAMS_WEBHOOK_URL_NETOPS
      - urlFrom: NETOPS_SECOND_WEBHOOK
    email:
      - to: [netops@example.com, lead@example.com]
`

func TestParseRoutingFull(t *testing.T) {
	r, err := parseRouting(t, fullRouting)
	require.NoError(t, err)
	high := detector.SeverityHigh
	assert.Equal(t, &Routing{
		RepeatInterval: 4 * time.Hour,
		Default:        []string{"ops"},
		Routes: []Route{
			{Match: Match{MinSeverity: &high}, Receivers: []string{"oncall"}, Continue: true, Line: 6},
			{Match: Match{Rule: "PEERING_*", VNet: "/subscriptions/*/resourceGroups/rg-hub/*", Resource: "*"}, Receivers: []string{"netops", "default"}, Line: 9},
		},
		Receivers: map[string]Receiver{
			"ops":    {Name: "ops", Email: []Email{{ToFrom: "VNETDRIFT_EMAIL_TO_OPS"}}, Line: 15},
			"oncall": {Name: "oncall", Teams: []Teams{{URLFrom: "VNETDRIFT_TEAMS_WEBHOOK_URL_ONCALL"}}, Line: 17},
			"netops": {Name: "netops", Teams: []Teams{{URLFrom: "VNETDRIFT_TEAMS_WEBHOOK_URL_NETOPS"}, {URLFrom: "NETOPS_SECOND_WEBHOOK"}},
				Email: []Email{{To: []string{"netops@example.com", "lead@example.com"}}}, Line: 19},
		},
	}, r)
}

func TestParseRoutingDefaults(t *testing.T) {
	for _, src := range []string{"", "routes: {}\n", "receivers: {}\n"} {
		r, err := parseRouting(t, src)
		require.NoError(t, err, src)
		assert.Equal(t, DefaultRouting(), r, src)
	}
	r, err := ParseRouting(nil)
	require.NoError(t, err)
	assert.Equal(t, DefaultRouting(), r)
	for _, src := range []string{"routes: {repeatInterval: 0}\n", "routes: {repeatInterval: 0s}\n"} {
		r, err := parseRouting(t, src)
		require.NoError(t, err, src)
		assert.Zero(t, r.RepeatInterval, "repeats off")
	}
}

// routingErrors are invalid routing blocks and the error each gives; the
// schema test checks that baseline/schema.json rejects them too.
var routingErrors = []struct {
	name, src, want string
}{
	{"routes not a mapping", "routes: []\n", "b.yaml:2: routes: want a mapping, got a list"},
	{"unknown routes key", "routes: {group_wait: 30s}\n", "b.yaml:2: routes.group_wait: unknown key; want one of default, repeatInterval, routes"},
	{"bad repeat interval", "routes: {repeatInterval: 1 day}\n", `b.yaml:2: routes.repeatInterval: bad duration "1 day"`},
	{"negative repeat interval", "routes: {repeatInterval: -1h}\n", `routes.repeatInterval: bad duration "-1h"`},
	{"numeric repeat interval", "routes: {repeatInterval: 3600}\n", `routes.repeatInterval: want a duration such as "24h", got int "3600"`},
	{"route without receivers", "routes: {routes: [{match: {rule: X}}]}\n", "routes.routes[0]: receivers: missing (required)"},
	{"unknown match key", "routes: {routes: [{match: {label: x}, receivers: default}]}\n", "routes.routes[0].match.label: unknown key; want one of resource, rule, severity, vnet"},
	{"bad severity", "routes: {routes: [{match: {severity: critical}, receivers: default}]}\n", `routes.routes[0].match.severity: unknown severity "critical"`},
	{"upper-case severity", "routes: {routes: [{match: {severity: HIGH}, receivers: default}]}\n", `unknown severity "HIGH"`},
	{"resource pattern not an ID", "routes: {routes: [{match: {resource: hub}, receivers: default}]}\n", `routes.routes[0].match.resource: bad pattern "hub"`},
	{"empty resource pattern", "routes: {routes: [{match: {resource: ''}, receivers: default}]}\n", `routes.routes[0].match.resource: bad pattern ""`},
	{"continue not a bool", "routes: {routes: [{receivers: default, continue: yes please}]}\n", `routes.routes[0].continue: want true or false, got str "yes please"`},
	{"empty receiver list", "routes: {default: []}\n", "routes.default: want at least one receiver"},
	{"unknown receiver", "routes: {routes: [{receivers: [netops]}]}\n", `b.yaml:2: routes.routes[0].receivers: unknown receiver "netops"; declared: default`},
	{"unknown default receiver", "routes: {default: nobody}\nreceivers: {ops: {}}\n", `routes.default: unknown receiver "nobody"; declared: default, ops`},
	{"bad receiver name", "receivers: {net/ops: {}}\n", "receivers.net/ops: bad receiver name"},
	{"unknown channel", "receivers: {ops: {slack: []}}\n", "receivers.ops.slack: unknown key; want one of email, teams"},
	{"teams without urlFrom", "receivers: {ops: {teams: [{}]}}\n", "receivers.ops.teams[0]: urlFrom: missing (required)"},
	{"webhook URL in the baseline", "receivers: {ops: {teams: [{urlFrom: 'https://x.logic.azure.com/workflows/1?sig=abc'}]}}\n", "receivers.ops.teams[0].urlFrom: want the name of a setting"},
	{"literal url key", "receivers: {ops: {teams: [{url: 'https://x/'}]}}\n", "receivers.ops.teams[0].url: unknown key; want one of urlFrom"},
	{"email both forms", "receivers: {ops: {email: [{to: [a@example.com], toFrom: X}]}}\n", "receivers.ops.email[0]: want exactly one of to (addresses) and toFrom (a setting)"},
	{"email neither", "receivers: {ops: {email: [{}]}}\n", "want exactly one of to"},
	{"bad address", "receivers: {ops: {email: [{to: [not-an-address]}]}}\n", `receivers.ops.email[0].to[0]: bad email address "not-an-address"`},
	{"named address", "receivers: {ops: {email: [{to: ['Ops <ops@example.com>']}]}}\n", `bad email address "Ops <ops@example.com>"`},
}

func TestParseRoutingErrors(t *testing.T) {
	for _, tt := range routingErrors {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseRouting(t, tt.src)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var be *baseline.Error
			assert.ErrorAs(t, err, &be, "located errors")
		})
	}
}

func TestParseRoutingReportsEveryProblem(t *testing.T) {
	_, err := parseRouting(t, "routes: {repeatInterval: x, routes: [{receivers: [a]}]}\nreceivers: {b: {teams: [{}]}}\n")
	require.Error(t, err)
	assert.Len(t, strings.Split(err.Error(), "\n"), 3, err.Error())
}
