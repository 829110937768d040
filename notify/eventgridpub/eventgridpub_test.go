package eventgridpub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
	"github.com/vnetdrift/vnetdrift/notify/internal/notifytest"
)

const topicKey = "dG9waWMta2V5LW5ldmVyLWxvZ2dlZC0xMjM0NTY3ODkw"

// topic is a fake Event Grid topic on a loopback TLS server: it checks
// what the publisher client sends and answers with status.
type topic struct {
	t      *testing.T
	srv    *httptest.Server
	status int
	header http.Header // extra response headers
	auth   func(r *http.Request) bool
	mu     sync.Mutex
	events [][]wireEvent
}

// wireEvent is a CloudEvent as it arrives.
type wireEvent struct {
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	SpecVersion     string    `json:"specversion"`
	Type            string    `json:"type"`
	Subject         string    `json:"subject"`
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	Data            DriftData `json:"data"`
}

func newTopic(t *testing.T, auth func(*http.Request) bool) *topic {
	tp := &topic{t: t, status: http.StatusOK, header: http.Header{}, auth: auth}
	tp.srv = httptest.NewTLSServer(http.HandlerFunc(tp.serve))
	t.Cleanup(tp.srv.Close)
	return tp
}

func (tp *topic) serve(w http.ResponseWriter, r *http.Request) {
	t := tp.t
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/api/events", r.URL.Path)
	assert.Equal(t, "2018-01-01", r.URL.Query().Get("api-version"))
	assert.Equal(t, "application/cloudevents-batch+json; charset=utf-8", r.Header.Get("Content-Type"))
	if !tp.auth(r) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	var batch []wireEvent
	require.NoError(t, json.Unmarshal(body, &batch), "a JSON array of CloudEvents: %s", body)
	tp.mu.Lock()
	tp.events = append(tp.events, batch)
	tp.mu.Unlock()
	for k, vs := range tp.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(tp.status)
}

func (tp *topic) endpoint() string { return tp.srv.URL + "/api/events" }

func keyAuth(r *http.Request) bool { return r.Header.Get("aeg-sas-key") == topicKey }

func newKeyNotifier(t *testing.T, tp *topic) *Notifier {
	n, err := New(Config{Endpoint: tp.endpoint(), Key: topicKey, HTTPClient: tp.srv.Client()})
	require.NoError(t, err)
	return n
}

func TestPublishKeyMode(t *testing.T) {
	tp := newTopic(t, keyAuth)
	n := newKeyNotifier(t, tp)
	notice := notifytest.Opened()
	notice.Items = append(notice.Items, notifytest.Resolved().Items[0])
	retry, err := n.Notify(context.Background(), notice)
	require.NoError(t, err)
	assert.False(t, retry)
	require.Len(t, tp.events, 1, "one batch")
	batch := tp.events[0]
	require.Len(t, batch, 4, "one event per item")
	types := map[string]int{}
	for _, e := range batch {
		types[e.Type]++
		assert.Equal(t, "1.0", e.SpecVersion)
		assert.Equal(t, "/vnetdrift/"+notifytest.Sub, e.Source)
		assert.Equal(t, e.Data.ResourceID, e.Subject)
		assert.Equal(t, "application/json", e.DataContentType)
		assert.True(t, notifytest.T0.Equal(e.Time), "the change's time")
		assert.Len(t, e.ID, 32)
		assert.Equal(t, notifytest.Alice.CorrelationID, e.Data.TriggeredBy.CorrelationID)
	}
	assert.Equal(t, map[string]int{TypeDriftOpened: 3, TypeDriftResolved: 1}, types)
	first := batch[0].Data
	assert.Equal(t, DriftData{
		Rule: notifytest.NotInSync.Rule, Severity: "medium", ResourceID: notifytest.NotInSync.ResourceID,
		VNetID: notifytest.NotInSync.VNetID, Message: notifytest.NotInSync.Message, Expected: "FullyInSync",
		Actual: "RemoteNotInSync", Fingerprint: notifytest.NotInSync.Fingerprint, Reason: "opened",
		FirstSeen: notifytest.T0, RuleTitle: "Peering is not in sync",
		HelpURI:     "https://github.com/vnetdrift/vnetdrift/blob/main/docs/rules.md#peering_not_in_sync",
		PortalURL:   "https://portal.azure.com/#@/resource" + notifytest.NotInSync.ResourceID,
		OpenedBy:    &notifytest.Alice,
		TriggeredBy: notifytest.Alice,
	}, normalizeTimes(first))
	assert.True(t, batch[3].Data.Resolved)
}

// normalizeTimes makes decoded times comparable with ==.
func normalizeTimes(d DriftData) DriftData {
	d.FirstSeen = d.FirstSeen.UTC()
	d.TriggeredBy.EventTime = d.TriggeredBy.EventTime.UTC()
	if d.OpenedBy != nil {
		o := *d.OpenedBy
		o.EventTime = o.EventTime.UTC()
		d.OpenedBy = &o
	}
	return d
}

// tokenCred is a static Entra credential for tests.
type tokenCred struct{ scopes [][]string }

func (c *tokenCred) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.scopes = append(c.scopes, o.Scopes)
	return azcore.AccessToken{Token: "entra-test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestPublishEntraMode(t *testing.T) {
	tp := newTopic(t, func(r *http.Request) bool {
		return r.Header.Get("Authorization") == "Bearer entra-test-token" && r.Header.Get("aeg-sas-key") == ""
	})
	cred := &tokenCred{}
	n, err := New(Config{Endpoint: tp.endpoint(), Credential: cred, HTTPClient: tp.srv.Client()})
	require.NoError(t, err)
	_, err = n.Notify(context.Background(), notifytest.Resolved())
	require.NoError(t, err)
	require.Len(t, tp.events, 1)
	assert.Equal(t, TypeDriftResolved, tp.events[0][0].Type)
	assert.Equal(t, [][]string{{"https://eventgrid.azure.net/.default"}}, cred.scopes)
}

func TestPublishEveryStatus(t *testing.T) {
	for _, tc := range notifytest.StatusCases {
		t.Run(strconv.Itoa(tc.Status), func(t *testing.T) {
			tp := newTopic(t, keyAuth)
			tp.status = tc.Status
			n := newKeyNotifier(t, tp)
			retry, err := n.Notify(context.Background(), notifytest.Opened())
			assert.Equal(t, tc.OK, err == nil, "error: %v", err)
			assert.Equal(t, tc.Retry, retry)
			assert.Len(t, tp.events, 1, "exactly one attempt: the client does not retry by itself")
			if err != nil {
				var ce *channel.Error
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.Status, ce.StatusCode)
			}
		})
	}
}

func TestPublishRetryAfter(t *testing.T) {
	tp := newTopic(t, keyAuth)
	tp.status = http.StatusTooManyRequests
	tp.header.Set("Retry-After", "12")
	n := newKeyNotifier(t, tp)
	retry, err := n.Notify(context.Background(), notifytest.Opened())
	assert.True(t, retry)
	var ra interface{ RetryAfter() time.Duration }
	require.ErrorAs(t, err, &ra)
	assert.Equal(t, 12*time.Second, ra.RetryAfter())
}

func TestPublishNetworkError(t *testing.T) {
	tp := newTopic(t, keyAuth)
	n := newKeyNotifier(t, tp)
	tp.srv.Close()
	retry, err := n.Notify(context.Background(), notifytest.Opened())
	require.Error(t, err)
	assert.True(t, retry)
	assert.Equal(t, channel.ReasonNetwork, channel.ReasonOf(err))
}

func TestPublishLeaksNoKey(t *testing.T) {
	for name, status := range map[string]int{"401": http.StatusUnauthorized, "500": 500, "200": 200} {
		t.Run(name, func(t *testing.T) {
			tp := newTopic(t, func(r *http.Request) bool { return keyAuth(r) && status != http.StatusUnauthorized })
			tp.status = status
			logger, logs := notifytest.Logger()
			n, err := New(Config{Endpoint: tp.endpoint(), Key: topicKey, HTTPClient: tp.srv.Client(), Logger: logger})
			require.NoError(t, err)
			_, err = n.Notify(context.Background(), notifytest.Digest())
			notifytest.AssertNoSecret(t, err, logs, topicKey)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", n.cfg, n.cfg, n.cfg), topicKey)
		})
	}
}

func TestBatchesStayUnderLimit(t *testing.T) {
	notice := notifytest.Many(3)
	big := strings.Repeat("x", 300<<10) // three 300 KB messages: two batches
	for i := range notice.Items {
		notice.Items[i].Finding.Message = big
	}
	events := Events(notice, "", "", notifytest.T0)
	batches, err := batch(events)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 1}, []int{len(batches[0]), len(batches[1])})
	tp := newTopic(t, keyAuth)
	n := newKeyNotifier(t, tp)
	_, err = n.Notify(context.Background(), notice)
	require.NoError(t, err)
	assert.Len(t, tp.events, 2)
}

func TestEventIDsRepeatOnRetry(t *testing.T) {
	a := Events(notifytest.Opened(), "", "", notifytest.T0)
	retried := notifytest.Opened()
	retried.By = notifytest.Timer // a later sweep re-sends the failed message
	for i := range retried.Items {
		retried.Items[i].Reason, retried.Items[i].Original = alert.ReasonRetry, alert.ReasonOpened
	}
	b := Events(retried, "", "", notifytest.T0.Add(time.Hour))
	for i := range a {
		assert.Equal(t, a[i].ID, b[i].ID, "a retry repeats the ID, so consumers can drop the copy")
		assert.Equal(t, "opened", b[i].Data.(DriftData).Reason)
	}
	c := Events(notifytest.Resolved(), "", "", notifytest.T0)
	assert.NotEqual(t, a[1].ID, c[0].ID, "the resolution of a drift is another event")
	ids := map[string]bool{}
	for _, e := range append(a, Events(notifytest.Digest(), "", "", notifytest.T0)...) {
		ids[e.ID] = true
	}
	assert.Len(t, ids, len(a)+len(notifytest.Digest().Items), "unique across messages")
	r1 := Events(notifytest.Digest(), "", "", notifytest.T0)
	later := notifytest.Digest()
	later.By.EventTime = later.By.EventTime.Add(24 * time.Hour)
	r2 := Events(later, "", "", notifytest.T0)
	assert.NotEqual(t, r1[1].ID, r2[1].ID, "each daily reminder of a still-open drift is a new event")
}

func TestSource(t *testing.T) {
	assert.Equal(t, "/vnetdrift/"+notifytest.Sub, source(notifytest.VNetID("v"), "tenant-1"))
	assert.Equal(t, "/vnetdrift/tenant-1", source("", "tenant-1"))
	assert.Equal(t, "/vnetdrift", source("", ""))
}

func TestNewAndConfigFromEnv(t *testing.T) {
	_, err := New(Config{Endpoint: "http://topic.westeurope-1.eventgrid.azure.net/api/events", Key: topicKey})
	require.ErrorContains(t, err, "want https")
	_, err = New(Config{Endpoint: "https://topic.westeurope-1.eventgrid.azure.net/api/events"})
	require.ErrorContains(t, err, "need a topic key or a token credential")

	cred := &tokenCred{}
	env := map[string]string{EnvTopicEndpoint: "https://topic.westeurope-1.eventgrid.azure.net/api/events", EnvTopicKey: topicKey}
	cfg, ok := ConfigFromEnv(func(k string) string { return env[k] }, cred)
	require.True(t, ok)
	assert.Equal(t, Secret(topicKey), cfg.Key)
	assert.Nil(t, cfg.Credential, "the key wins")
	delete(env, EnvTopicKey)
	cfg, _ = ConfigFromEnv(func(k string) string { return env[k] }, cred)
	assert.Equal(t, cred, cfg.Credential)
	_, ok = ConfigFromEnv(func(string) string { return "" }, cred)
	assert.False(t, ok)
}
