package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
	"github.com/vnetdrift/vnetdrift/notify/testutil"
)

// retryAfterErr is a failure carrying the server's Retry-After.
type retryAfterErr struct{ after time.Duration }

func (e retryAfterErr) Error() string             { return "429 Too Many Requests" }
func (e retryAfterErr) RetryAfter() time.Duration { return e.after }

// single returns a dispatcher with one default-receiver target.
func single(f *fake) *Dispatcher {
	return New(Config{Receivers: map[string][]Target{DefaultReceiver: {{Key: "default/teams/0", Notifier: f}}}})
}

func oneItem() alert.Notice {
	return alert.Notice{By: alice, Items: []alert.Item{item("ADDRESS_SPACE_DRIFT", alert.ReasonOpened, alice)}}
}

func TestRetryStage(t *testing.T) {
	transient := errors.New("503 Service Unavailable")
	permanent := errors.New("400 Bad Request")
	s := time.Second
	tests := []struct {
		name      string
		script    []outcome
		wantCalls int
		wantWaits []time.Duration
		wantOK    bool
		wantRetry bool
	}{
		{"success", nil, 1, nil, true, false},
		{"two transient failures", failing(2, true, transient), 3, []time.Duration{s, 2 * s}, true, false},
		{"permanent failure stops at once", failing(1, false, permanent), 1, nil, false, false},
		{"transient then permanent", []outcome{{true, transient}, {false, permanent}}, 2, []time.Duration{s}, false, false},
		{"gives up after Attempts", failing(10, true, transient), DefaultAttempts, []time.Duration{s, 2 * s, 4 * s, 8 * s}, false, true},
		{"Retry-After is honoured", []outcome{{true, retryAfterErr{5 * s}}}, 2, []time.Duration{5 * s}, true, false},
		{"a short Retry-After does not shorten the backoff", []outcome{{true, transient}, {true, retryAfterErr{s / 2}}}, 3, []time.Duration{s, 2 * s}, true, false},
		{"a Retry-After beyond Max is left to a later retry", []outcome{{true, retryAfterErr{time.Minute}}}, 1, nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{name: "teams", script: tt.script}
			d := single(f)
			c := withClock(d)
			got, retry, err := d.Send(context.Background(), oneItem())
			assert.Len(t, f.notices, tt.wantCalls)
			assert.Equal(t, tt.wantWaits, c.waits)
			assert.Equal(t, tt.wantOK, err == nil, "%v", err)
			assert.Equal(t, tt.wantOK, len(got) == 1)
			assert.Equal(t, tt.wantRetry, retry)
			if err != nil {
				assert.Contains(t, err.Error(), fmt.Sprintf("receiver default, target default/teams/0 (teams), attempt %d: ", tt.wantCalls))
			}
		})
	}
}

// TestRetryStageHTTPStatuses drives the stage with the answer an HTTP
// channel gives for each status (channel.HTTPRetrier).
func TestRetryStageHTTPStatuses(t *testing.T) {
	for _, status := range []int{200, 202, 204, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			ok, retry, _ := channel.HTTPRetrier.Check(status)
			var script []outcome
			if !ok {
				script = failing(10, retry, fmt.Errorf("HTTP %d", status))
			}
			f := &fake{name: "teams", script: script}
			d := single(f)
			withClock(d)
			got, gotRetry, err := d.Send(context.Background(), oneItem())
			assert.Equal(t, ok, err == nil)
			assert.Equal(t, ok, len(got) == 1, "delivered")
			assert.Equal(t, !ok && retry, gotRetry)
			switch {
			case ok:
				assert.Len(t, f.notices, 1)
			case retry:
				assert.Len(t, f.notices, DefaultAttempts, "retried")
			default:
				assert.Len(t, f.notices, 1, "not retried")
			}
		})
	}
}

func TestRetryStageStopsAtTheDeadline(t *testing.T) {
	f := &fake{name: "teams", script: failing(10, true, errors.New("503"))}
	d := single(f)
	c := withClock(d)
	ctx, cancel := context.WithDeadline(context.Background(), c.Now().Add(2500*time.Millisecond))
	defer cancel()
	_, retry, err := d.Send(ctx, oneItem())
	require.Error(t, err)
	assert.True(t, retry)
	assert.Equal(t, []time.Duration{time.Second}, c.waits, "the 2 s wait would pass the deadline")
	assert.Len(t, f.notices, 2)
}

func TestRetryStageStopsWhenCancelled(t *testing.T) {
	f := &fake{name: "teams", script: failing(10, true, errors.New("503"))}
	d := single(f)
	withClock(d)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, retry, err := d.Send(ctx, oneItem())
	require.Error(t, err)
	assert.True(t, retry)
	assert.Len(t, f.notices, 1, "the sleep after the first failure ends it")
}

func TestRetryStageLogsOnlyNewErrors(t *testing.T) {
	f := &fake{name: "teams", script: []outcome{{true, errors.New("503")}, {true, errors.New("503")}, {true, errors.New("502")}, {true, errors.New("502")}}}
	log, logs := testutil.Logger()
	d := New(Config{Logger: log, Receivers: map[string][]Target{DefaultReceiver: {{Key: "default/teams/0", Notifier: f}}}})
	withClock(d)
	_, _, err := d.Send(context.Background(), oneItem())
	require.NoError(t, err)
	require.Equal(t, 2, logs.Len())
	assert.Equal(t, "503", logs.All()[0].ContextMap()["error"])
	assert.Equal(t, "502", logs.All()[1].ContextMap()["error"])
	assert.Equal(t, int64(3), logs.All()[1].ContextMap()["attempt"])
}

// TestBuiltDispatcherLeaksNoSecret builds targets from settings holding
// secret URLs and fails every send: neither logs nor errors show them.
func TestBuiltDispatcherLeaksNoSecret(t *testing.T) {
	r, err := parseRouting(t, "receivers:\n  ops:\n    teams: [{urlFrom: OPS_HOOK}]\nroutes: {default: [ops, default]}\n")
	require.NoError(t, err)
	const second = "https://prod-02.logic.azure.com/workflows/x?sig=ANOTHERSIGNATURE"
	targets, err := Build(r, env(map[string]string{"OPS_HOOK": webhook, EnvTeamsWebhookURL: second}), Factories{
		KindTeams: func(c Channel) (alert.Notifier, error) {
			return &fake{name: "teams", script: failing(10, true, fmt.Errorf("teams: posting to %s: 503", c))}, nil
		},
	})
	require.NoError(t, err)
	log, logs := testutil.Logger()
	d := New(Config{Routing: r, Receivers: targets, Logger: log})
	withClock(d)
	_, _, err = d.Send(context.Background(), oneItem())
	require.Error(t, err)
	require.NotZero(t, logs.Len())
	testutil.AssertNoSecret(t, logs, webhook, second, "SECRETSIGNATURE", "ANOTHERSIGNATURE")
	testutil.AssertErrorHasNoSecret(t, err, webhook, second, "SECRETSIGNATURE", "ANOTHERSIGNATURE")
}

func TestRetryStageBackoffSettings(t *testing.T) {
	f := &fake{name: "teams", script: failing(10, true, errors.New("503"))}
	d := New(Config{Backoff: Backoff{Initial: time.Second, Max: 3 * time.Second, Attempts: 6},
		Receivers: map[string][]Target{DefaultReceiver: {{Key: "default/teams/0", Notifier: f}}}})
	c := withClock(d)
	_, retry, err := d.Send(context.Background(), oneItem())
	require.Error(t, err)
	assert.True(t, retry)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}, c.waits)
	assert.Len(t, f.notices, 6)
}
