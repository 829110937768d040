package notify

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest/observer"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/notify/testutil"
)

var (
	alice = alert.Attribution{EventID: "e-1", CorrelationID: "c-1", Caller: "alice@example.com"}
	bob   = alert.Attribution{EventID: "e-2", CorrelationID: "c-2", Caller: "bob@example.com"}
	sweep = alert.Attribution{Reconcile: true}
)

// item returns an item of a finding of rule on the hub.
func item(rule string, r alert.Reason, openedBy alert.Attribution) alert.Item {
	return alert.Item{Finding: finding(rule, detector.SeverityHigh, hubID, hubID), Reason: r,
		Resolved: r == alert.ReasonResolved, OpenedBy: openedBy, Token: rule}
}

type setup struct {
	d                                  *Dispatcher
	netopsTeams, netopsEmail, defTeams *fake
	sink                               *fake
	clock                              *clock
	logs                               *observer.ObservedLogs
}

// newSetup routes PEERING_* to netops (Teams and email), the rest to the
// default receiver (Teams), and everything to one sink.
func newSetup(t *testing.T) *setup {
	t.Helper()
	r, err := parseRouting(t, "routes:\n  routes:\n    - match: {rule: PEERING_*}\n      receivers: [netops]\n"+
		"receivers:\n  netops:\n    teams: [{urlFrom: NETOPS_HOOK}]\n    email: [{to: [netops@example.com]}]\n")
	require.NoError(t, err)
	s := &setup{netopsTeams: &fake{name: "teams"}, netopsEmail: &fake{name: "email"}, defTeams: &fake{name: "teams"}, sink: &fake{name: "eventgrid"}}
	log, logs := testutil.Logger()
	s.logs = logs
	s.d = New(Config{Routing: r, Logger: log, Sinks: []alert.Notifier{s.sink}, Receivers: map[string][]Target{
		"netops":  {{Key: "netops/teams/0", Notifier: s.netopsTeams}, {Key: "netops/email/0", Notifier: s.netopsEmail}},
		"default": {{Key: "default/teams/0", Notifier: s.defTeams}},
	}})
	s.clock = withClock(s.d)
	return s
}

func TestSendRoutesAndGroupsByChange(t *testing.T) {
	s := newSetup(t)
	n := alert.Notice{By: alice, Items: []alert.Item{
		item("PEERING_MISSING", alert.ReasonOpened, alice),
		item("ADDRESS_SPACE_DRIFT", alert.ReasonOpened, alice),
		item("GATEWAY_MISSING", alert.ReasonRepeat, bob),
		item("VNET_MISSING", alert.ReasonResolved, bob), // resolved by this change
		item("PEERING_NOT_CONNECTED", alert.ReasonRetry, sweep),
	}}
	got, retry, err := s.d.Send(context.Background(), n)
	require.NoError(t, err)
	assert.False(t, retry)

	assert.Equal(t, [][]string{{"PEERING_MISSING"}, {"PEERING_NOT_CONNECTED"}}, s.netopsTeams.sent(), "one message per change")
	assert.Equal(t, s.netopsTeams.sent(), s.netopsEmail.sent())
	assert.Equal(t, [][]string{{"ADDRESS_SPACE_DRIFT", "VNET_MISSING"}, {"GATEWAY_MISSING"}}, s.defTeams.sent())
	assert.Equal(t, [][]string{{"PEERING_MISSING", "ADDRESS_SPACE_DRIFT", "VNET_MISSING"}, {"GATEWAY_MISSING"}, {"PEERING_NOT_CONNECTED"}}, s.sink.sent())
	for _, ns := range s.defTeams.notices {
		assert.Equal(t, alice, ns.By)
		assert.False(t, ns.Digest)
	}

	require.Len(t, got, 5)
	want := [][]string{
		{"netops/teams/0", "netops/email/0", "sink/eventgrid"},
		{"default/teams/0", "sink/eventgrid"},
		{"default/teams/0", "sink/eventgrid"},
		{"default/teams/0", "sink/eventgrid"},
		{"netops/teams/0", "netops/email/0", "sink/eventgrid"},
	}
	for i, it := range got {
		assert.False(t, it.Partial, it.Finding.Rule)
		assert.ElementsMatch(t, want[i], it.Delivered, it.Finding.Rule)
		assert.Equal(t, n.Items[i].Reason, it.Reason, "the reason goes through")
	}
}

func TestSendDigestIsOneMessagePerTarget(t *testing.T) {
	s := newSetup(t)
	n := alert.Notice{By: sweep, Digest: true, Items: []alert.Item{
		item("PEERING_MISSING", alert.ReasonOpened, alice),
		item("ADDRESS_SPACE_DRIFT", alert.ReasonRepeat, bob),
		item("GATEWAY_MISSING", alert.ReasonResolved, alice),
		item("PEERING_NOT_CONNECTED", alert.ReasonOpened, sweep),
	}}
	got, _, err := s.d.Send(context.Background(), n)
	require.NoError(t, err)
	assert.Len(t, got, 4)
	assert.Equal(t, [][]string{{"PEERING_MISSING", "PEERING_NOT_CONNECTED"}}, s.netopsTeams.sent())
	assert.Equal(t, [][]string{{"PEERING_MISSING", "PEERING_NOT_CONNECTED"}}, s.netopsEmail.sent())
	assert.Equal(t, [][]string{{"ADDRESS_SPACE_DRIFT", "GATEWAY_MISSING"}}, s.defTeams.sent())
	assert.Equal(t, [][]string{{"PEERING_MISSING", "ADDRESS_SPACE_DRIFT", "GATEWAY_MISSING", "PEERING_NOT_CONNECTED"}}, s.sink.sent())
	assert.True(t, s.sink.notices[0].Digest)
}

func TestSendNeverNotifiesExemptedFindings(t *testing.T) {
	s := newSetup(t)
	exempted := item("PEERING_MISSING", alert.ReasonOpened, alice)
	exempted.Finding.Exemption = &detector.ExemptionRef{Reason: "migration", Owner: "netops"}
	expired := item("PEERING_SETTINGS_DRIFT", alert.ReasonExemptionExpired, alice)
	got, _, err := s.d.Send(context.Background(), alert.Notice{By: alice, Items: []alert.Item{exempted, expired}})
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"PEERING_SETTINGS_DRIFT"}}, s.netopsTeams.sent())
	assert.Equal(t, [][]string{{"PEERING_SETTINGS_DRIFT"}}, s.sink.sent())
	assert.Equal(t, alert.ReasonExemptionExpired, s.netopsTeams.notices[0].Items[0].Reason, "the message says why")
	require.Len(t, got, 2)
	assert.False(t, got[0].Partial, "an exempted item is complete: nothing owes it")
	assert.Empty(t, got[0].Delivered)
}

func TestSendPartialFailure(t *testing.T) {
	s := newSetup(t)
	s.netopsEmail.script = failing(1, false, errors.New("email: 550 mailbox unavailable"))
	it := item("PEERING_MISSING", alert.ReasonOpened, alice)
	got, retry, err := s.d.Send(context.Background(), alert.Notice{By: alice, Items: []alert.Item{it}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "receiver netops, target netops/email/0 (email), attempt 1: email: 550 mailbox unavailable")
	assert.False(t, retry, "a permanent failure")
	require.Len(t, got, 1)
	assert.True(t, got[0].Partial)
	assert.ElementsMatch(t, []string{"netops/teams/0", "sink/eventgrid"}, got[0].Delivered)

	// The state hands it out again with Delivered: only email gets it.
	again, _, err := s.d.Send(context.Background(), alert.Notice{By: sweep, Items: got})
	require.NoError(t, err)
	assert.Len(t, s.netopsTeams.notices, 1, "no duplicate on Teams")
	assert.Len(t, s.sink.notices, 1, "no duplicate on the sink")
	assert.Len(t, s.netopsEmail.notices, 2)
	require.Len(t, again, 1)
	assert.False(t, again[0].Partial)
	assert.ElementsMatch(t, []string{"netops/teams/0", "sink/eventgrid", "netops/email/0"}, again[0].Delivered)
}

func TestSendLeavesOutItemsNobodyDelivered(t *testing.T) {
	s := newSetup(t)
	down := errors.New("teams: posting to prod.logic.azure.com: 503 Service Unavailable")
	s.defTeams.script = failing(10, true, down)
	s.sink.script = failing(10, true, down)
	got, retry, err := s.d.Send(context.Background(), alert.Notice{By: alice, Items: []alert.Item{item("ADDRESS_SPACE_DRIFT", alert.ReasonOpened, alice)}})
	require.Error(t, err)
	assert.True(t, retry)
	assert.Empty(t, got, "nothing to report: the lease runs out and the state retries")
}

func TestSendWithoutItemsSendsNothing(t *testing.T) {
	s := newSetup(t)
	got, retry, err := s.d.Send(context.Background(), alert.Notice{By: sweep, Digest: true})
	assert.NoError(t, err)
	assert.False(t, retry)
	assert.Nil(t, got)
	assert.Empty(t, s.sink.notices)
}

func TestSendWithoutTargetsCompletesItems(t *testing.T) {
	d := New(Config{})
	got, _, err := d.Send(context.Background(), alert.Notice{Items: []alert.Item{item("VNET_MISSING", alert.ReasonOpened, alice)}})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.False(t, got[0].Partial, "routed to a receiver without channels: nothing owes it")
	assert.Equal(t, DefaultRepeatInterval, d.RepeatInterval())
}
