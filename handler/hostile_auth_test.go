package handler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// Without the right key, /api/events answers 401 or 403 before it reads
// the body: whatever the body is (a validation handshake, a body over the
// limit, deep nesting), nothing is decoded, counted, remembered or handed
// to the pipeline, and no handshake is answered.
func TestWebhookKeyCheckedFirst(t *testing.T) {
	validation := fixture(t, validationFile)
	bodies := map[string][]byte{
		"network batch": fixture(t, mixedBatch),
		"validation":    validation,
		"over limit":    padTo(t, fixture(t, mixedBatch), 64<<10),
		"deep nesting":  []byte(deepArray(deepDepth)),
	}
	keys := []struct {
		name, target string
		header       map[string]string
		want         int
	}{
		{"no key", WebhookPath, nil, 401},
		{"key in Authorization", WebhookPath, map[string]string{"Authorization": "Bearer " + testKey}, 401},
		{"key in aeg-sas-key", WebhookPath, map[string]string{"aeg-sas-key": testKey}, 401},
		{"empty code", WebhookPath + "?code=", nil, 401},
		{"wrong key", WebhookPath, map[string]string{HeaderKey: "wrong"}, 403},
		{"upper-cased key", WebhookPath, map[string]string{HeaderKey: strings.ToUpper(testKey)}, 403},
		{"key and a space", WebhookPath, map[string]string{HeaderKey: testKey + " "}, 403},
		{"key prefix", WebhookPath, map[string]string{HeaderKey: testKey[:len(testKey)-1]}, 403},
		{"wrong code first", WebhookPath + "?code=wrong&code=" + url.QueryEscape(testKey), nil, 403},
		{"wrong header, right code", WebhookPath + "?code=" + url.QueryEscape(testKey), map[string]string{HeaderKey: "wrong"}, 403},
	}
	for _, k := range keys {
		for name, body := range bodies {
			t.Run(k.name+"/"+name, func(t *testing.T) {
				r := newRig(t, Config{WebhookKey: testKey, MaxBodyBytes: 1024})
				header := map[string]string{"Content-Type": "application/json", "aeg-event-type": "Notification"}
				for h, v := range k.header {
					header[h] = v
				}
				rec := r.do(http.MethodPost, k.target, body, header)
				assert.Equal(t, k.want, rec.Code, rec.Body.String())
				assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
				assert.NotContains(t, rec.Body.String(), "validationResponse")
				assert.Empty(t, r.p.calls(), "nothing processed")
				assert.Contains(t, metricsText(t, r), "vnetdrift_events_received_total 0", "nothing decoded")
				assert.Equal(t, 1, r.logs.FilterMessageSnippet("rejected a webhook request").Len())

				rec = r.do(http.MethodOptions, k.target, nil, mergeHeaders(header, map[string]string{"WebHook-Request-Origin": "eventgrid.azure.net"}))
				assert.Equal(t, k.want, rec.Code)
				assert.Empty(t, rec.Header().Get("WebHook-Allowed-Origin"), "no CloudEvents handshake")
			})
		}
	}
}

// A delivery refused for its key is not remembered: the same events sent
// with the key afterwards are handled.
func TestWebhookRejectedDeliveryNotRemembered(t *testing.T) {
	r := newRig(t, Config{WebhookKey: testKey})
	body := fixture(t, "synthetic_gateway-reset_cloudevents-schema.json")
	assert.Equal(t, 403, r.do(http.MethodPost, WebhookPath, body, map[string]string{HeaderKey: "wrong"}).Code)
	assert.Equal(t, 401, r.do(http.MethodPost, WebhookPath, body, nil).Code)
	assert.Equal(t, 200, r.do(http.MethodPost, WebhookPath, body, keyed(nil)).Code)
	assert.Equal(t, []string{"8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a05"}, r.p.handledIDs())
}

func mergeHeaders(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// secretRequest is one request of TestSecretNeverInAnyLogPath.
type secretRequest struct {
	name, method, target string
	body                 []byte
	header               map[string]string
	pipelineErr          error // what the fake pipeline returns
	panicWith            any
}

// secretRequests drives every log statement of the handler, each time
// with the key (or a near miss) in the query string and the header.
func secretRequests(t *testing.T) []secretRequest {
	withKey := WebhookPath + "?code=" + url.QueryEscape(testKey)
	fn := "/" + FunctionOnResourceChange + "?code=" + url.QueryEscape(testKey)
	near := map[string]string{HeaderKey: testKey + "x", "aeg-event-type": "Notification", "aeg-subscription-name": "SUB"}
	return []secretRequest{
		{"handled", http.MethodPost, withKey, fixture(t, mixedBatch), keyed(nil), nil, nil},
		{"validation handshake", http.MethodPost, withKey, fixture(t, validationFile), keyed(nil), nil, nil},
		{"options handshake", http.MethodOptions, withKey, nil, map[string]string{"WebHook-Request-Origin": "eventgrid.azure.net"}, nil, nil},
		{"wrong key", http.MethodPost, WebhookPath + "?code=" + url.QueryEscape(testKey+"x"), fixture(t, mixedBatch), nil, nil, nil},
		{"near-miss header", http.MethodPost, WebhookPath, fixture(t, mixedBatch), near, nil, nil},
		{"no key", http.MethodOptions, WebhookPath, nil, nil, nil, nil},
		{"unsupported type", http.MethodPost, withKey, fixture(t, mixedBatch), keyed(map[string]string{"Content-Type": "text/plain"}), nil, nil},
		{"over limit", http.MethodPost, withKey, padTo(t, nil, 1<<20+1), keyed(nil), nil, nil},
		{"malformed", http.MethodPost, withKey, []byte(`[{"id":"x","type":"T","time":"never"}]`), keyed(nil), nil, nil},
		{"transient", http.MethodPost, withKey, fixture(t, connBatch), keyed(nil), Transient(errors.New("throttled")), nil},
		{"permanent", http.MethodPost, withKey, fixture(t, "synthetic_gateway-reset_cloudevents-schema.json"), keyed(nil), errors.New("bad"), nil},
		{"panic", http.MethodPost, fn, fixture(t, vnetWriteFile), keyed(nil), nil, "boom"},
		{"functions ignored", http.MethodPost, fn, fixture(t, "synthetic_functions-invocation_forged-subscription-validation.json"), keyed(nil), nil, nil},
		{"functions malformed", http.MethodPost, fn, []byte("{"), keyed(nil), nil, nil},
		{"functions over limit", http.MethodPost, fn, padTo(t, nil, 3<<20+1), keyed(nil), nil, nil},
		{"functions deadline", http.MethodPost, fn, fixture(t, vnetWriteFile), keyed(nil), context.DeadlineExceeded, nil},
		{"reconcile", http.MethodPost, "/" + FunctionReconcile + "?code=" + url.QueryEscape(testKey), []byte("{"), keyed(nil), nil, nil},
	}
}

// The webhook key never appears in a log line (production JSON encoding,
// every field), in an answer's body or headers, or in the Logs returned to
// the Functions host, whatever the request and however it ends; also not
// when New logs its configuration.
func TestSecretNeverInAnyLogPath(t *testing.T) {
	var out bytes.Buffer
	core, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(zapcore.NewTee(core, zapJSONCore(&out)))
	configs := []Config{
		{WebhookKey: testKey, Logger: log},
		{WebhookKey: testKey, AllowUnauthenticated: true, Logger: log},
		{AllowUnauthenticated: true, Logger: log},
		{Logger: log},
	}
	p := &fakePipeline{}
	var served http.Handler
	for i, cfg := range configs {
		if h := New(p, cfg); i == 0 {
			served = h
		}
	}
	runSecretRequests(t, served, p)
	require.NoError(t, log.Sync())
	require.NotZero(t, logs.Len())
	for _, e := range logs.All() {
		assert.NotContains(t, e.Message+fmt.Sprint(e.ContextMap()), testKey)
	}
	assert.NotContains(t, out.String(), testKey, "JSON log output")
	for _, msg := range []string{"rejected a webhook request", "handled event", "failed, to be retried", "panic: boom",
		"failed permanently", "dropped malformed events", "ignored event", "reconcile triggered", "granted CloudEvents",
		"over the body limit", "larger than", "dropped a malformed event", "answered subscription validation",
		"is not served", "accepts unauthenticated requests"} {
		assert.Contains(t, out.String(), msg, "the log path was exercised")
	}
}

func runSecretRequests(t *testing.T, h http.Handler, p *fakePipeline) {
	r := &rig{h: h, p: p}
	for _, q := range secretRequests(t) {
		p.mu.Lock()
		p.errs, p.panicWith = []error{q.pipelineErr}, q.panicWith
		p.mu.Unlock()
		rec := r.do(q.method, q.target, q.body, q.header)
		assert.NotContains(t, rec.Body.String(), testKey, q.name)
		for name, values := range rec.Header() {
			assert.NotContains(t, name+strings.Join(values, ","), testKey, q.name)
		}
		p.mu.Lock()
		p.panicWith = nil
		p.mu.Unlock()
	}
}
