package handler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

const validationFile = "eventgrid-schema_subscription-validation-event.json"

func keyed(extra map[string]string) map[string]string {
	h := map[string]string{"Content-Type": "application/json; charset=utf-8", HeaderKey: testKey}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

func TestWebhookAuthentication(t *testing.T) {
	body := fixture(t, mixedBatch)
	tests := []struct {
		name   string
		method string
		target string
		header map[string]string
		want   int
	}{
		{"no key", http.MethodPost, WebhookPath, map[string]string{"Content-Type": "application/json"}, 401},
		{"empty header", http.MethodPost, WebhookPath, map[string]string{HeaderKey: ""}, 401},
		{"wrong header", http.MethodPost, WebhookPath, map[string]string{HeaderKey: "nope"}, 403},
		{"wrong query", http.MethodPost, WebhookPath + "?code=nope", nil, 403},
		{"prefix of key", http.MethodPost, WebhookPath + "?code=" + testKey[:5], nil, 403},
		{"header wins over query", http.MethodPost, WebhookPath + "?code=" + testKey, map[string]string{HeaderKey: "nope"}, 403},
		{"right header", http.MethodPost, WebhookPath, map[string]string{HeaderKey: testKey}, 200},
		{"right query", http.MethodPost, WebhookPath + "?code=" + url.QueryEscape(testKey), nil, 200},
		{"options without key", http.MethodOptions, WebhookPath, map[string]string{"WebHook-Request-Origin": "eventgrid.azure.net"}, 401},
		{"options wrong key", http.MethodOptions, WebhookPath + "?code=x", map[string]string{"WebHook-Request-Origin": "eventgrid.azure.net"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{WebhookKey: testKey})
			rec := r.do(tt.method, tt.target, body, tt.header)
			assert.Equal(t, tt.want, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			if tt.want != 200 {
				assert.Empty(t, r.p.calls(), "nothing processed")
				assert.Empty(t, rec.Header().Get("WebHook-Allowed-Origin"))
				assert.NotContains(t, metricsText(t, r), "vnetdrift_events_received_total 1")
			} else {
				assert.Len(t, r.p.calls(), 1)
			}
			assert.Contains(t, metricsText(t, r), fmt.Sprintf(`vnetdrift_invocations_total{function="api_events",status="%d"} 1`, tt.want))
		})
	}
}

func TestWebhookWithoutKey(t *testing.T) {
	r := newRig(t, Config{})
	assert.Equal(t, 404, r.do(http.MethodPost, WebhookPath, fixture(t, mixedBatch), nil).Code)
	assert.Equal(t, 1, r.logs.FilterMessageSnippet("is not served").Len())

	r = newRig(t, Config{AllowUnauthenticated: true})
	assert.Equal(t, 200, r.do(http.MethodPost, WebhookPath, fixture(t, mixedBatch), nil).Code)
	assert.Equal(t, 1, r.logs.FilterMessageSnippet("accepts unauthenticated requests").Len())

	// A configured key is required even with AllowUnauthenticated.
	r = newRig(t, Config{WebhookKey: testKey, AllowUnauthenticated: true})
	assert.Equal(t, 401, r.do(http.MethodPost, WebhookPath, fixture(t, mixedBatch), nil).Code)
}

func TestWebhookValidationHandshake(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "eventgrid", "testdata", "eventgrid-schema_subscription-validation-response.json"))
	require.NoError(t, err)
	r := newRig(t, Config{WebhookKey: testKey})
	rec := r.do(http.MethodPost, WebhookPath, fixture(t, validationFile), keyed(map[string]string{"aeg-event-type": "SubscriptionValidation"}))
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.JSONEq(t, string(want), rec.Body.String())
	assert.Empty(t, r.p.calls())
}

func TestWebhookOptionsHandshake(t *testing.T) {
	r := newRig(t, Config{WebhookKey: testKey})
	rec := r.do(http.MethodOptions, WebhookPath+"?code="+testKey, nil, map[string]string{"WebHook-Request-Origin": "eventgrid.azure.net"})
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, "eventgrid.azure.net", rec.Header().Get("WebHook-Allowed-Origin"))
	assert.Equal(t, "*", rec.Header().Get("WebHook-Allowed-Rate"))
	assert.Contains(t, rec.Header().Get("Allow"), "POST")

	rec = r.do(http.MethodOptions, WebhookPath+"?code="+testKey, nil, nil)
	assert.Equal(t, 400, rec.Code)
	assert.Empty(t, rec.Header().Get("WebHook-Allowed-Origin"))
	assert.Empty(t, r.p.calls())
}

func TestWebhookDeliveries(t *testing.T) {
	tests := []struct {
		name        string
		file        string
		contentType string
		wantIDs     []string
		wantBody    string
	}{
		{"EventGridSchema batch, filtered", mixedBatch, "application/json; charset=utf-8",
			[]string{"8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a02"}, `{"accepted":1,"ignored":2}`},
		{"EventGridSchema single object", "synthetic_vnet-write_eventgrid-schema_pascalcase-authorization.json", "application/json",
			[]string{vnetWriteID}, `{"accepted":1,"ignored":0}`},
		{"CloudEvents single", "synthetic_gateway-reset_cloudevents-schema.json", "application/cloudevents+json; charset=utf-8",
			[]string{"8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a05"}, `{"accepted":1,"ignored":0}`},
		{"CloudEvents batch, failure dropped", connBatch, "application/cloudevents-batch+json; charset=utf-8",
			[]string{"8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a06"}, `{"accepted":1,"ignored":1}`},
		{"no content type", connBatch, "", []string{"8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a06"}, `{"accepted":1,"ignored":1}`},
		{"storage events only", "arm_ResourceWriteSuccess_eventgrid-schema_array_azsystemevents-v1.0.0-test.json", "application/json",
			nil, `{"accepted":0,"ignored":1}`},
		{"empty batch", "", "application/json", nil, `{"accepted":0,"ignored":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{WebhookKey: testKey, Subscriptions: []string{sub1}})
			body := []byte("[]")
			if tt.file != "" {
				body = fixture(t, tt.file)
			}
			rec := r.do(http.MethodPost, WebhookPath, body, keyed(map[string]string{"Content-Type": tt.contentType}))
			assert.Equal(t, 200, rec.Code)
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.JSONEq(t, tt.wantBody, rec.Body.String())
			assert.Equal(t, tt.wantIDs, r.p.handledIDs())
			if tt.wantIDs != nil {
				assert.Len(t, r.p.calls(), 1, "one Handle per delivery")
			}
		})
	}
}

func TestWebhookDedupAndRedelivery(t *testing.T) {
	r := newRig(t, Config{WebhookKey: testKey})
	r.p.errs = []error{Transient(errors.New("throttled"))}
	body := fixture(t, "synthetic_gateway-reset_cloudevents-schema.json")
	rec := r.do(http.MethodPost, WebhookPath, body, keyed(nil))
	assert.Equal(t, 500, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.NotContains(t, rec.Body.String(), "throttled", "internal errors stay in the logs")
	assert.Equal(t, 200, r.do(http.MethodPost, WebhookPath, body, keyed(nil)).Code)
	assert.Equal(t, 200, r.do(http.MethodPost, WebhookPath, body, keyed(nil)).Code)
	assert.Len(t, r.p.calls(), 2, "failed once, handled once, then a duplicate")

	// A permanent error is acknowledged.
	r = newRig(t, Config{WebhookKey: testKey})
	r.p.errs = []error{errors.New("bad baseline")}
	assert.Equal(t, 200, r.do(http.MethodPost, WebhookPath, body, keyed(nil)).Code)
	assert.Equal(t, 1, r.logs.FilterMessage("failed permanently, not retried").Len())
}

func TestWebhookRepeatedIDInOneDelivery(t *testing.T) {
	r := newRig(t, Config{WebhookKey: testKey})
	ev := fixture(t, "synthetic_gateway-reset_cloudevents-schema.json")
	body := []byte("[" + string(ev) + "," + string(ev) + "]")
	rec := r.do(http.MethodPost, WebhookPath, body, keyed(nil))
	assert.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"accepted":1,"ignored":1}`, rec.Body.String())
	assert.Len(t, r.p.handledIDs(), 1)
}

func TestWebhookRejects(t *testing.T) {
	big := bytes.Repeat([]byte(" "), 2048)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        int
	}{
		{"not json", []byte("hello"), "application/json", 400},
		{"truncated", []byte(`[{"id":"x"`), "application/json", 400},
		{"only bad events", []byte(`[{"id":"x"},{"id":1}]`), "application/json", 400},
		{"empty body", nil, "application/json", 400},
		{"too large", append(big, fixture(t, mixedBatch)...), "application/json", 413},
		{"text/plain", fixture(t, mixedBatch), "text/plain", 415},
		{"form", fixture(t, mixedBatch), "application/x-www-form-urlencoded", 415},
		{"garbage content type", fixture(t, mixedBatch), ";;", 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{WebhookKey: testKey, MaxBodyBytes: 1024})
			rec := r.do(http.MethodPost, WebhookPath, tt.body, keyed(map[string]string{"Content-Type": tt.contentType}))
			assert.Equal(t, tt.want, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			var e map[string]string
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
			assert.NotEmpty(t, e["error"])
			assert.Empty(t, r.p.calls())
		})
	}
}

func TestWebhookPartialBatch(t *testing.T) {
	r := newRig(t, Config{WebhookKey: testKey})
	good := fixture(t, "synthetic_gateway-reset_cloudevents-schema.json")
	body := []byte(`[{"id":"bad","type":"T","time":"never"},` + string(good) + `]`)
	rec := r.do(http.MethodPost, WebhookPath, body, keyed(nil))
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, []string{"8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a05"}, r.p.handledIDs())
	warn := r.logs.FilterMessage("dropped malformed events (not retried)").All()
	require.Len(t, warn, 1)
	assert.Contains(t, warn[0].ContextMap()["error"], `event 0 (id "bad"): field "time"`)
	m := metricsText(t, r)
	assert.Contains(t, m, "vnetdrift_events_received_total 2")
	assert.Contains(t, m, `vnetdrift_events_failed_total{reason="malformed"} 1`)
}

func TestWebhookWrongMethod(t *testing.T) {
	r := newRig(t, Config{WebhookKey: testKey})
	assert.Equal(t, 405, r.do(http.MethodGet, WebhookPath, nil, keyed(nil)).Code)
	assert.Equal(t, 405, r.do(http.MethodPut, WebhookPath, nil, keyed(nil)).Code)
}

// The key never reaches a log line, whichever way it is sent and whatever
// happens to the request.
func TestSecretNeverLogged(t *testing.T) {
	r := newRig(t, Config{WebhookKey: testKey})
	requests := []struct {
		method, target string
		body           []byte
		header         map[string]string
	}{
		{http.MethodPost, WebhookPath + "?code=" + testKey, fixture(t, mixedBatch), nil},
		{http.MethodPost, WebhookPath, fixture(t, validationFile), keyed(nil)},
		{http.MethodPost, WebhookPath + "?code=" + testKey + "x", fixture(t, mixedBatch), nil},
		{http.MethodPost, WebhookPath, []byte("garbage"), keyed(nil)},
		{http.MethodPost, WebhookPath, []byte(`[{"id":"` + testKey + `x"}]`), map[string]string{HeaderKey: "wrong"}},
		{http.MethodOptions, WebhookPath + "?code=" + testKey, nil, map[string]string{"WebHook-Request-Origin": "eventgrid.azure.net"}},
		{http.MethodPost, "/" + FunctionOnResourceChange + "?code=" + testKey, fixture(t, vnetWriteFile), keyed(nil)},
	}
	for _, q := range requests {
		r.do(q.method, q.target, q.body, q.header)
	}
	require.NotZero(t, r.logs.Len())
	for _, e := range r.logs.All() {
		line := e.Message + fmt.Sprint(e.ContextMap())
		assert.NotContains(t, line, testKey, "log line %q", line)
	}
}

func TestSecretRedacted(t *testing.T) {
	cfg := Config{WebhookKey: testKey}
	for _, s := range []string{
		fmt.Sprint(cfg.WebhookKey), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg.WebhookKey),
		mustMarshal(t, cfg), zapRendered(t, zap.Any("cfg", cfg), zap.Stringer("key", cfg.WebhookKey)),
	} {
		assert.NotContains(t, s, testKey)
		assert.Contains(t, s, "redacted")
	}
	assert.True(t, cfg.WebhookKey.Equal(testKey))
	assert.False(t, cfg.WebhookKey.Equal(testKey+"x"))
	assert.False(t, cfg.WebhookKey.Equal(""))
	assert.False(t, Secret("").Equal("x"))
}

func mustMarshal(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// zapRendered renders fields with zap's JSON encoder, as production logs do.
func zapRendered(t *testing.T, fields ...zap.Field) string {
	var buf strings.Builder
	log := zap.New(zapJSONCore(&buf))
	log.Info("cfg", fields...)
	require.NoError(t, log.Sync())
	return buf.String()
}
