package state

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// step is one evaluation of a scenario, by instance 0 or 1, followed by
// the delivery report of its items.
type step struct {
	at       time.Duration // after t0
	instance int
	scope    []string // VNet names; nil: every VNet
	found    []detector.Finding
	by       alert.Attribution
	want     []string // describe() of the items, in order
	fail     bool     // no delivery report (every target failed)
	partial  []string // report these targets delivered, others failed
	// late, if set, reports the delivery of step late-1's items now,
	// instead of recording.
	late int
}

var (
	hubDrift    = fnd("hub", "ADDRESS_SPACE_DRIFT")
	hubPeering  = fnd("hub", "PEERING_MISSING")
	spokeDrift  = fnd("spoke", "ADDRESS_SPACE_DRIFT")
	hubExempted = exempt(hubDrift)
)

var scenarios = []struct {
	name   string
	repeat time.Duration
	steps  []step
}{
	{"opened once then repeated after the interval", time.Hour, []step{
		{found: fs(hubDrift, hubPeering), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT", "opened hub PEERING_MISSING"}},
		{at: time.Minute, found: fs(hubDrift, hubPeering), by: bob, want: nil},
		{at: 59 * time.Minute, found: fs(hubDrift, hubPeering), by: timer, want: nil},
		{at: time.Hour, found: fs(hubDrift, hubPeering), by: timer, want: []string{"still open hub ADDRESS_SPACE_DRIFT", "still open hub PEERING_MISSING"}},
		{at: time.Hour + time.Minute, found: fs(hubDrift, hubPeering), by: timer, want: nil},
		{at: 2 * time.Hour, found: fs(hubDrift), by: timer, want: []string{"still open hub ADDRESS_SPACE_DRIFT", "resolved hub PEERING_MISSING"}},
	}},
	{"no repeats when the interval is zero", 0, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}},
		{at: 1000 * time.Hour, found: fs(hubDrift), by: timer, want: nil},
	}},
	{"failed message retried after the lease", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: 30 * time.Second, found: fs(hubDrift), by: alice, want: nil},
		{at: 61 * time.Second, instance: 1, found: fs(hubDrift), by: timer, want: []string{"retry(opened) hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: 3 * time.Minute, found: fs(hubDrift), by: timer, want: []string{"retry(opened) hub ADDRESS_SPACE_DRIFT"}},
		{at: 5 * time.Minute, found: fs(hubDrift), by: timer, want: nil},
	}},
	{"resolved only within the scope", time.Hour, []step{
		{found: fs(hubDrift, spokeDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT", "opened spoke ADDRESS_SPACE_DRIFT"}},
		{at: time.Minute, scope: []string{"hub"}, by: bob, want: []string{"resolved hub ADDRESS_SPACE_DRIFT"}},
		{at: 2 * time.Minute, found: fs(spokeDrift), by: timer, want: nil},
		{at: 3 * time.Minute, by: timer, want: []string{"resolved spoke ADDRESS_SPACE_DRIFT"}},
		{at: 4 * time.Minute, by: timer, want: nil},
	}},
	{"findings outside the scope are left for their own evaluation", time.Hour, []step{
		{scope: []string{"hub"}, found: fs(hubDrift, spokeDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}},
		{at: time.Minute, scope: []string{"spoke"}, found: fs(spokeDrift), by: alice, want: []string{"opened spoke ADDRESS_SPACE_DRIFT"}},
	}},
	{"failed resolution retried", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}},
		{at: time.Minute, by: bob, want: []string{"resolved hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: 90 * time.Second, by: timer, want: nil},
		{at: 3 * time.Minute, scope: []string{"hub"}, by: timer, want: []string{"retry(resolved) hub ADDRESS_SPACE_DRIFT"}},
		{at: 5 * time.Minute, by: timer, want: nil},
	}},
	{"a drift gone before anyone was told resolves silently", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: 10 * time.Second, by: bob, want: nil},
		{at: 5 * time.Minute, by: timer, want: nil},
	}},
	{"exempted findings are silent and an expiry notifies once", time.Hour, []step{
		{found: fs(hubExempted), by: alice, want: nil},
		{at: time.Minute, found: fs(hubExempted), by: timer, want: nil},
		{at: 2 * time.Hour, found: fs(hubDrift), by: timer, want: []string{"exemption expired hub ADDRESS_SPACE_DRIFT"}},
		{at: 2*time.Hour + time.Minute, found: fs(hubDrift), by: timer, want: nil},
		{at: 3 * time.Hour, found: fs(hubDrift), by: timer, want: []string{"still open hub ADDRESS_SPACE_DRIFT"}},
	}},
	{"a failed exemption-expired message is retried saying so", time.Hour, []step{
		{found: fs(hubExempted), by: alice, want: nil},
		{at: time.Minute, found: fs(hubDrift), by: timer, want: []string{"exemption expired hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: 3 * time.Minute, found: fs(hubDrift), by: timer, want: []string{"retry(exemption expired) hub ADDRESS_SPACE_DRIFT"}},
	}},
	{"an exempted drift resolves silently", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}},
		{at: time.Minute, found: fs(hubExempted), by: timer, want: nil},
		{at: 2 * time.Minute, by: timer, want: nil},
		{at: 5 * time.Hour, by: timer, want: nil},
	}},
	{"an exemption drops the message owed", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: 10 * time.Second, found: fs(hubExempted), by: timer, want: nil},
		{at: 5 * time.Minute, found: fs(hubExempted), by: timer, want: nil},
		{at: 5 * time.Hour, found: fs(hubExempted), by: timer, want: nil},
	}},
	{"a partial delivery is retried for the missing targets only", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}, partial: []string{"netops/teams/0"}},
		{at: 30 * time.Second, found: fs(hubDrift), by: timer, want: nil},
		{at: 2 * time.Minute, instance: 1, found: fs(hubDrift), by: timer, want: []string{"retry(opened) hub ADDRESS_SPACE_DRIFT [netops/teams/0]"}, partial: []string{"netops/email/0"}},
		{at: 4 * time.Minute, found: fs(hubDrift), by: timer, want: []string{"retry(opened) hub ADDRESS_SPACE_DRIFT [netops/email/0 netops/teams/0]"}},
		{at: 6 * time.Minute, found: fs(hubDrift), by: timer, want: nil},
		{at: 7 * time.Minute, by: timer, want: []string{"resolved hub ADDRESS_SPACE_DRIFT"}},
	}},
	{"a partly delivered opened message is resolved", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}, partial: []string{"netops/teams/0"}},
		{at: 30 * time.Second, by: bob, want: []string{"resolved hub ADDRESS_SPACE_DRIFT"}},
	}},
	{"a resolved drift that comes back opens again", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}},
		{at: time.Minute, by: bob, want: []string{"resolved hub ADDRESS_SPACE_DRIFT"}},
		{at: 2 * time.Minute, found: fs(hubDrift), by: bob, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}},
	}},
	{"a leased item goes to no other instance", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: time.Second, instance: 1, found: fs(hubDrift), by: alice, want: nil},
	}},
	{"a late report of a delivered opened message makes the silent resolution speak", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: 10 * time.Second, instance: 1, by: bob, want: nil},
		{at: 20 * time.Second, late: 1},
		{at: 30 * time.Second, instance: 1, by: timer, want: []string{"resolved hub ADDRESS_SPACE_DRIFT"}},
		{at: 40 * time.Second, by: timer, want: nil},
	}},
	{"a late report of an outdated message changes nothing else", time.Hour, []step{
		{found: fs(hubDrift), by: alice, want: []string{"opened hub ADDRESS_SPACE_DRIFT"}, fail: true},
		{at: 2 * time.Minute, instance: 1, found: fs(hubDrift), by: timer, want: []string{"retry(opened) hub ADDRESS_SPACE_DRIFT"}},
		{at: 3 * time.Minute, late: 1},
		{at: 4 * time.Minute, found: fs(hubDrift), by: timer, want: nil},
		{at: 61 * time.Minute, found: fs(hubDrift), by: timer, want: nil},
		{at: 62 * time.Minute, found: fs(hubDrift), by: timer, want: []string{"still open hub ADDRESS_SPACE_DRIFT"}},
	}},
}

func fs(f ...detector.Finding) []detector.Finding { return f }

func TestStateScenarios(t *testing.T) {
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					a, b := impl.pair(t)
					runScenario(t, [2]alert.State{a, b}, sc.repeat, sc.steps)
				})
			}
		})
	}
}

func runScenario(t *testing.T, st [2]alert.State, repeat time.Duration, steps []step) {
	ctx := context.Background()
	got := make([][]alert.Item, len(steps))
	for i, s := range steps {
		now := t0.Add(s.at)
		if s.late > 0 {
			require.NoError(t, st[s.instance].Notified(ctx, got[s.late-1], now), "step %d", i+1)
			continue
		}
		items, err := st[s.instance].Record(ctx, keys(s.scope...), s.found, s.by, alert.At(now), repeat)
		require.NoError(t, err, "step %d", i+1)
		require.Equal(t, s.want, nilIfEmpty(describeAll(items)), "step %d at %v", i+1, s.at)
		got[i] = items
		if s.fail {
			continue
		}
		for j := range items {
			items[j].Delivered = append(items[j].Delivered, s.partial...)
			items[j].Partial = s.partial != nil
		}
		require.NoError(t, st[s.instance].Notified(ctx, items, now), "step %d", i+1)
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestStateItemFields(t *testing.T) {
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			st, _ := impl.pair(t)
			ctx := context.Background()
			f := hubDrift
			f.Line = 12
			items, err := st.Record(ctx, nil, fs(f), alice, alert.At(t0), time.Hour)
			require.NoError(t, err)
			require.Len(t, items, 1)
			it := items[0]
			assert.Equal(t, f, it.Finding, "the finding, Line included")
			assert.Equal(t, alert.ReasonOpened, it.Reason)
			assert.False(t, it.Resolved)
			assert.True(t, t0.Equal(it.FirstSeen))
			assert.True(t, alice.EventTime.Equal(it.OpenedBy.EventTime))
			it.OpenedBy.EventTime = alice.EventTime
			assert.Equal(t, alice, it.OpenedBy)
			assert.NotEmpty(t, it.Token)
			require.NoError(t, st.Notified(ctx, items, t0))

			later := t0.Add(time.Hour)
			changed := f
			changed.Actual = "10.2.0.0/16"
			items, err = st.Record(ctx, keys("hub"), fs(changed), bob, alert.At(later), time.Hour)
			require.NoError(t, err)
			require.Len(t, items, 1)
			assert.Equal(t, alert.ReasonRepeat, items[0].Reason)
			assert.Equal(t, "10.2.0.0/16", items[0].Finding.Actual, "the latest finding")
			assert.True(t, t0.Equal(items[0].FirstSeen), "first seen stays")
			assert.Equal(t, alice.EventID, items[0].OpenedBy.EventID, "the change that opened it stays")
			require.NoError(t, st.Notified(ctx, items, later))

			items, err = st.Record(ctx, keys("hub"), nil, bob, alert.At(later.Add(time.Minute)), time.Hour)
			require.NoError(t, err)
			require.Len(t, items, 1)
			assert.True(t, items[0].Resolved)
			assert.Equal(t, "10.2.0.0/16", items[0].Finding.Actual, "a resolution carries the last finding")
			require.NoError(t, st.Notified(ctx, items, later))

			items, err = st.Record(ctx, keys("hub"), fs(f), bob, alert.At(later.Add(2*time.Minute)), time.Hour)
			require.NoError(t, err)
			require.Len(t, items, 1)
			assert.Equal(t, bob.EventID, items[0].OpenedBy.EventID, "a new episode has its own opener")
			assert.True(t, later.Add(2*time.Minute).Equal(items[0].FirstSeen))
		})
	}
}

func TestStateOpen(t *testing.T) {
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			st, other := impl.pair(t)
			ctx := context.Background()
			_, err := st.Record(ctx, nil, fs(spokeDrift, hubPeering, hubExempted), alice, alert.At(t0), time.Hour)
			require.NoError(t, err)
			open, err := other.Open(ctx)
			require.NoError(t, err)
			assert.Equal(t, fs(hubExempted, hubPeering, spokeDrift), open, "exempted findings are open too; sorted by VNet, rule")
			_, err = st.Record(ctx, keys("hub"), nil, bob, alert.At(t0.Add(time.Minute)), time.Hour)
			require.NoError(t, err)
			open, err = other.Open(ctx)
			require.NoError(t, err)
			assert.Equal(t, fs(spokeDrift), open)
		})
	}
}

func TestStateClaimEvent(t *testing.T) {
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			a, b := impl.pair(t)
			ctx := context.Background()
			tests := []struct {
				st   alert.State
				id   string
				at   time.Duration
				want bool
			}{
				{a, "8f3c2a1e-0000-4000-8000-000000000001", 0, true},
				{b, "8f3c2a1e-0000-4000-8000-000000000001", time.Second, false},
				{a, "8f3c2a1e-0000-4000-8000-000000000001", 9 * time.Minute, false},
				{b, "8F3C2A1E-0000-4000-8000-000000000001", time.Second, true}, // IDs are compared exactly
				{a, "weird/id#with?chars\\", 0, true},
				{b, "weird/id#with?chars\\", 0, false},
				{b, "8f3c2a1e-0000-4000-8000-000000000001", 10 * time.Minute, true}, // expired: claimable again
				{a, "8f3c2a1e-0000-4000-8000-000000000001", 11 * time.Minute, false},
			}
			for i, tt := range tests {
				got, err := tt.st.ClaimEvent(ctx, tt.id, t0.Add(tt.at), 10*time.Minute)
				require.NoError(t, err)
				assert.Equal(t, tt.want, got, "claim %d", i+1)
			}
		})
	}
}

func TestStateNotifiedRejectsBadTokens(t *testing.T) {
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			st, _ := impl.pair(t)
			err := st.Notified(context.Background(), []alert.Item{{Token: "nope"}}, t0)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `bad item token "nope"`)
			gone := []alert.Item{{Token: token(findingPartition("x"), "abc", 1)}}
			assert.NoError(t, st.Notified(context.Background(), gone, t0), "a deleted record is not an error")
		})
	}
}
