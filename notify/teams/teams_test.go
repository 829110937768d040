package teams

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
	"github.com/vnetdrift/vnetdrift/notify/internal/notifytest"
)

// sig is the signature in every test webhook URL; it must never leak.
const sig = "Zm9vYmFyU2VjcmV0U2lnbmF0dXJlMTIzNDU2Nzg"

// webhookPath is the shape of a Workflows trigger URL.
const webhookPath = "/workflows/0c4ad3b2e1f04a6b9d8e7f6a5b4c3d2e/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + sig

// hook is a fake Workflows endpoint that answers every post with handle.
type hook struct {
	mu     sync.Mutex
	bodies [][]byte
	ctypes []string
	srv    *httptest.Server
}

func newHook(t *testing.T, handle func(w http.ResponseWriter, r *http.Request)) *hook {
	h := &hook{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, b)
		h.ctypes = append(h.ctypes, r.Header.Get("Content-Type"))
		h.mu.Unlock()
		assert.Equal(t, sig, r.URL.Query().Get("sig"), "the signature arrives unchanged")
		handle(w, r)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) url() Secret { return Secret(h.srv.URL + webhookPath) }

func status(code int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

func TestNotifyEveryStatus(t *testing.T) {
	for _, tc := range notifytest.StatusCases {
		t.Run(strconv.Itoa(tc.Status), func(t *testing.T) {
			h := newHook(t, status(tc.Status))
			n, err := New(Config{URL: h.url()})
			require.NoError(t, err)
			retry, err := n.Notify(context.Background(), notifytest.Opened())
			assert.Equal(t, tc.OK, err == nil, "error: %v", err)
			assert.Equal(t, tc.Retry, retry)
			require.Len(t, h.bodies, 1)
			assert.Equal(t, "application/json", h.ctypes[0])
			want, err2 := Payload(notifytest.Opened(), "")
			require.NoError(t, err2)
			assert.JSONEq(t, string(want), string(h.bodies[0]))
			if err != nil {
				var ce *channel.Error
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.Status, ce.StatusCode)
				assert.Contains(t, err.Error(), strconv.Itoa(tc.Status))
			}
		})
	}
}

func TestNotifyNetworkError(t *testing.T) {
	h := newHook(t, status(http.StatusAccepted))
	u := h.url()
	h.srv.Close() // nothing listens any more
	logger, logs := notifytest.Logger()
	n, err := New(Config{URL: u, Logger: logger})
	require.NoError(t, err)
	retry, err := n.Notify(context.Background(), notifytest.Opened())
	require.Error(t, err)
	assert.True(t, retry)
	assert.Equal(t, channel.ReasonNetwork, channel.ReasonOf(err))
	assert.Contains(t, err.Error(), h.srv.Listener.Addr().String(), "names the host")
	notifytest.AssertNoSecret(t, err, logs, sig, webhookPath, string(u))
}

func TestNotifyRetryAfter(t *testing.T) {
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"7", 7 * time.Second},
		{"", 0},
		{"soon", 0},
		{time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			h := newHook(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(http.StatusTooManyRequests)
			})
			n, err := New(Config{URL: h.url(), MinInterval: -1})
			require.NoError(t, err)
			retry, err := n.Notify(context.Background(), notifytest.Opened())
			assert.True(t, retry)
			var ra RetryAfterError
			require.ErrorAs(t, err, &ra)
			assert.InDelta(t, tt.want.Seconds(), ra.RetryAfter().Seconds(), 2)
			assert.Equal(t, channel.ReasonRateLimited, channel.ReasonOf(err))
		})
	}
}

func TestNotifyLeaksNoSecret(t *testing.T) {
	echo := func(w http.ResponseWriter, r *http.Request) { // a server that quotes the request back
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":{"message":"bad signature %s in %s"}}`, r.URL.Query().Get("sig"), r.URL.String())
	}
	for name, handle := range map[string]http.HandlerFunc{"401 echo": echo, "500": status(500), "202": status(202)} {
		t.Run(name, func(t *testing.T) {
			h := newHook(t, handle)
			logger, logs := notifytest.Logger()
			n, err := New(Config{URL: h.url(), Logger: logger})
			require.NoError(t, err)
			_, err = n.Notify(context.Background(), notifytest.Opened())
			workflowPath, _, _ := strings.Cut(webhookPath, "?")
			notifytest.AssertNoSecret(t, err, logs, sig, webhookPath, workflowPath)
			assert.NotContains(t, fmt.Sprintf("%+v %#v", n.cfg, n.cfg), sig)
		})
	}
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://example.com/x?sig=" + sig, "http://prod-12.westeurope.logic.azure.com/x?sig=" + sig,
		"https://%zz/?sig=" + sig, "https:///path?sig=" + sig} {
		_, err := New(Config{URL: Secret(u)})
		require.Error(t, err, u)
		assert.NotContains(t, err.Error(), sig)
	}
	_, err := New(Config{URL: Secret("https://prod-12.westeurope.logic.azure.com/x?sig=" + sig), PortalBaseURL: "portal.azure.com"})
	assert.ErrorContains(t, err, "portal base URL")
}

func TestNotifyEmptyNoticeSendsNothing(t *testing.T) {
	h := newHook(t, status(http.StatusAccepted))
	n, err := New(Config{URL: h.url()})
	require.NoError(t, err)
	retry, err := n.Notify(context.Background(), alert.Notice{By: notifytest.Alice})
	require.NoError(t, err)
	assert.False(t, retry)
	assert.Empty(t, h.bodies)
	_, err = n.Notify(context.Background(), alert.Notice{By: notifytest.Timer, Digest: true})
	require.NoError(t, err)
	assert.Len(t, h.bodies, 1, "an empty digest still says the sweep found nothing")
}

// fakeClock records the waits the limiter asks for instead of sleeping.
type fakeClock struct {
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func TestNotifySpacesPostsPerWebhook(t *testing.T) {
	var code = http.StatusAccepted
	h := newHook(t, func(w http.ResponseWriter, _ *http.Request) {
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "5")
		}
		w.WriteHeader(code)
	})
	clock := &fakeClock{now: notifytest.T0}
	newN := func() *Notifier {
		n, err := New(Config{URL: h.url()})
		require.NoError(t, err)
		n.now, n.sleep = func() time.Time { return clock.now }, clock.sleep
		return n
	}
	a, b := newN(), newN() // two routes to one webhook share its limiter
	for _, n := range []*Notifier{a, b, a} {
		_, err := n.Notify(context.Background(), notifytest.Opened())
		require.NoError(t, err)
	}
	code = http.StatusTooManyRequests
	_, err := a.Notify(context.Background(), notifytest.Opened())
	require.Error(t, err)
	code = http.StatusAccepted
	_, err = b.Notify(context.Background(), notifytest.Opened())
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{0, time.Second, time.Second, time.Second, 5 * time.Second}, clock.waits)
}

func TestNotifyCancelledWhileWaiting(t *testing.T) {
	h := newHook(t, status(http.StatusAccepted))
	n, err := New(Config{URL: h.url(), MinInterval: time.Hour})
	require.NoError(t, err)
	_, err = n.Notify(context.Background(), notifytest.Opened())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	retry, err := n.Notify(ctx, notifytest.Opened())
	assert.True(t, retry)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Len(t, h.bodies, 1)
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{EnvWebhookURL: " https://prod-12.westeurope.logic.azure.com/x?sig=" + sig + " "}
	cfg, ok := ConfigFromEnv(func(k string) string { return env[k] })
	assert.True(t, ok)
	assert.Equal(t, "https://prod-12.westeurope.logic.azure.com/x?sig="+sig, cfg.URL.Reveal())
	assert.Equal(t, channel.Redacted, fmt.Sprint(cfg.URL))
	_, ok = ConfigFromEnv(func(string) string { return "" })
	assert.False(t, ok)
}
