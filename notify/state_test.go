package notify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/state"
)

// evaluate is what the pipeline does with an evaluation: Record, Send,
// Notified.
func evaluate(t *testing.T, st alert.State, d *Dispatcher, found []detector.Finding, by alert.Attribution, now time.Time) error {
	t.Helper()
	ctx := context.Background()
	items, err := st.Record(ctx, []estate.Key{estate.KeyOf(hubID)}, found, by, alert.At(now), d.RepeatInterval())
	require.NoError(t, err)
	delivered, _, sendErr := d.Send(ctx, alert.Notice{By: by, Items: items})
	require.NoError(t, st.Notified(ctx, delivered, now))
	return sendErr
}

func TestPartialReceiverFailureSendsNoDuplicate(t *testing.T) {
	s := newSetup(t)
	st := state.NewMemory()
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	drift := finding("PEERING_MISSING", detector.SeverityHigh, hubID, hubID)

	s.netopsEmail.script = failing(DefaultAttempts, true, errors.New("421 try again later"))
	require.Error(t, evaluate(t, st, s.d, []detector.Finding{drift}, alice, t0))
	assert.Len(t, s.netopsTeams.notices, 1)
	assert.Len(t, s.netopsEmail.notices, DefaultAttempts)

	require.NoError(t, evaluate(t, st, s.d, []detector.Finding{drift}, sweep, t0.Add(30*time.Second)))
	assert.Len(t, s.netopsEmail.notices, DefaultAttempts, "leased: not yet")

	require.NoError(t, evaluate(t, st, s.d, []detector.Finding{drift}, sweep, t0.Add(2*time.Minute)))
	assert.Len(t, s.netopsTeams.notices, 1, "Teams got it once")
	assert.Len(t, s.sink.notices, 1, "the sink got it once")
	require.Len(t, s.netopsEmail.notices, DefaultAttempts+1, "email got the retry")
	last := s.netopsEmail.notices[DefaultAttempts].Items[0]
	assert.Equal(t, alert.ReasonRetry, last.Reason)
	assert.Equal(t, alert.ReasonOpened, last.Original)

	require.NoError(t, evaluate(t, st, s.d, []detector.Finding{drift}, sweep, t0.Add(4*time.Minute)))
	require.NoError(t, evaluate(t, st, s.d, nil, bob, t0.Add(5*time.Minute)))
	for _, f := range []*fake{s.netopsTeams, s.netopsEmail, s.sink} {
		last := f.notices[len(f.notices)-1]
		assert.True(t, last.Items[0].Resolved, "%s got the resolution", f.name)
	}
	assert.Len(t, s.netopsTeams.notices, 2, "opened, resolved")
}

func TestTwoInstancesSendOnce(t *testing.T) {
	s := newSetup(t)
	st := state.NewMemory()
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	found := []detector.Finding{finding("PEERING_MISSING", detector.SeverityHigh, hubID, hubID), finding("ADDRESS_SPACE_DRIFT", detector.SeverityLow, hubID, hubID)}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { assert.NoError(t, evaluate(t, st, s.d, found, alice, t0)) })
	}
	wg.Wait()
	assert.Len(t, s.netopsTeams.notices, 1)
	assert.Len(t, s.defTeams.notices, 1)
	// Racing instances may each win part of a change: one message each,
	// but every finding in exactly one of them.
	assert.ElementsMatch(t, []string{"PEERING_MISSING", "ADDRESS_SPACE_DRIFT"}, flatten(s.sink.sent()))
	for range 4 {
		wg.Go(func() { assert.NoError(t, evaluate(t, st, s.d, nil, bob, t0.Add(time.Minute))) })
	}
	wg.Wait()
	assert.Len(t, s.netopsTeams.notices, 2)
	assert.Len(t, s.defTeams.notices, 2)
	assert.ElementsMatch(t, []string{"PEERING_MISSING", "ADDRESS_SPACE_DRIFT", "PEERING_MISSING", "ADDRESS_SPACE_DRIFT"}, flatten(s.sink.sent()))
}

func flatten(groups [][]string) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
