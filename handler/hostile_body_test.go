package handler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deepDepth is far beyond encoding/json's nesting limit (10000).
const deepDepth = 100_000

// deepArray and deepObject nest 1 in depth levels of [ or {"a":.
func deepArray(depth int) string {
	return strings.Repeat("[", depth) + "1" + strings.Repeat("]", depth)
}

func deepObject(depth int) string {
	return strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
}

// padTo returns body followed by spaces up to n bytes: still the same JSON.
func padTo(t *testing.T, body []byte, n int64) []byte {
	t.Helper()
	require.LessOrEqual(t, int64(len(body)), n)
	return append(bytes.Clone(body), bytes.Repeat([]byte(" "), int(n)-len(body))...)
}

// send posts body to target as the host or Event Grid would; without a
// length, the body's size is unknown to the server until it reads it
// (chunked transfer encoding).
func (r *rig) send(target string, body []byte, header map[string]string, withLength bool) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if !withLength {
		req.ContentLength = -1
		req.TransferEncoding = []string{"chunked"}
	}
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	return rec
}

// A body over the limit is refused before any decoding, with or without a
// Content-Length, on both event routes, and nothing reaches the pipeline.
// The webhook answers 413, which Event Grid does not retry. The Functions
// route acknowledges with 200 and a warning instead: the host turns any
// non-2xx into a failed invocation and Event Grid into a redelivery, for
// 24 hours, of a body that can never fit. A body exactly at the limit is
// handled.
func TestOversizedBody(t *testing.T) {
	tests := []struct {
		name       string
		limit      int64 // Config.MaxBodyBytes; 0 = DefaultMaxBodyBytes
		functions  bool
		over       int64 // bytes beyond the route's limit; 0 = exactly at it
		withLength bool
	}{
		{"webhook default limit, +1", 0, false, 1, true},
		{"webhook default limit, +1, chunked", 0, false, 1, false},
		{"webhook default limit, 8 MiB over, chunked", 0, false, 8 << 20, false},
		{"webhook default limit, at limit", 0, false, 0, true},
		{"webhook small limit, +1", 4096, false, 1, true},
		{"webhook small limit, at limit, chunked", 4096, false, 0, false},
		{"functions default limit, +1", 0, true, 1, true},
		{"functions default limit, +1, chunked", 0, true, 1, false},
		{"functions default limit, at limit", 0, true, 0, true},
		{"functions small limit, +1, chunked", 4096, true, 1, false},
		{"functions small limit, at limit", 4096, true, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{WebhookKey: testKey, MaxBodyBytes: tt.limit})
			limit := tt.limit
			if limit == 0 {
				limit = DefaultMaxBodyBytes
			}
			target, body, header, route := WebhookPath, fixture(t, "synthetic_gateway-reset_cloudevents-schema.json"), keyed(nil), webhookFunction
			if tt.functions {
				target, body, route = "/"+FunctionOnResourceChange, fixture(t, vnetWriteFile), FunctionOnResourceChange
				limit *= 3 // an invocation carries the event twice
			}
			rec := r.send(target, padTo(t, body, limit+tt.over), header, tt.withLength)
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			m := metricsText(t, r)
			switch {
			case tt.over == 0:
				assert.Equal(t, 200, rec.Code, rec.Body.String())
				assert.Len(t, r.p.calls(), 1, "a body at the limit is handled")
				return
			case tt.functions:
				assert.Equal(t, 200, rec.Code)
				assert.Contains(t, joined(envelope(t, rec)), "larger than")
				assert.Contains(t, m, `vnetdrift_events_failed_total{reason="malformed"} 1`)
			default:
				assert.Equal(t, 413, rec.Code)
				var e map[string]string
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
				assert.Contains(t, e["error"], "body exceeds")
				assert.Contains(t, m, "vnetdrift_events_received_total 0", "nothing decoded")
			}
			assert.Empty(t, r.p.calls(), "nothing processed")
			assert.Contains(t, m, fmt.Sprintf(`vnetdrift_invocations_total{function=%q,status="%d"} 1`, route, rec.Code))
			assert.Less(t, rec.Body.Len(), 1024, "the answer does not echo the body")
		})
	}
}

// Nesting deeper than encoding/json allows is a clear answer, not a stack
// overflow: 400 on the webhook (not retried by Event Grid), 200 with a
// "malformed" warning on the Functions route (see TestOversizedBody for
// why not 4xx there), and the timer body of /Reconcile is ignored.
// Nothing reaches the pipeline; the answer does not echo the input.
func TestDeeplyNestedBody(t *testing.T) {
	event := func(x string) string {
		return `{"id":"deep","subject":"/subscriptions/` + sub1 + `/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",` +
			`"eventType":"Microsoft.Resources.ResourceWriteSuccess","eventTime":"2025-01-02T03:04:05Z","data":{` +
			`"operationName":"Microsoft.Network/virtualNetworks/write","status":"Succeeded","x":` + x + `}}`
	}
	tests := []struct{ name, webhook, invocation string }{
		{"arrays", deepArray(deepDepth), `{"Data":{"event":` + deepArray(deepDepth) + `}}`},
		{"objects", deepObject(deepDepth), `{"Data":` + deepObject(deepDepth) + `}`},
		{"unclosed", strings.Repeat("[", deepDepth), `{"Data":{"event":` + strings.Repeat(`{"a":`, deepDepth)},
		{"inside event data", `[` + event(deepArray(deepDepth)) + `]`, `{"Data":{"event":` + event(deepObject(deepDepth)) + `}}`},
		{"inside metadata", `[` + event("1") + `,` + deepArray(deepDepth) + `]`,
			`{"Data":{"event":` + event("1") + `},"Metadata":` + deepObject(deepDepth) + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{WebhookKey: testKey})
			rec := r.do(http.MethodPost, WebhookPath, []byte(tt.webhook), keyed(nil))
			assert.Equal(t, 400, rec.Code)
			var e map[string]string
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
			assert.NotEmpty(t, e["error"])
			assert.Less(t, rec.Body.Len(), 1024, "the answer does not echo the body")

			rec = r.invoke(FunctionOnResourceChange, []byte(tt.invocation))
			assert.Equal(t, 200, rec.Code)
			logs := envelope(t, rec)
			require.Len(t, logs, 1)
			assert.Contains(t, logs[0], "dropped a malformed event")
			assert.Less(t, len(logs[0]), 1024, "the log does not echo the body")

			rec = r.invoke(FunctionReconcile, []byte(tt.invocation))
			assert.Equal(t, 200, rec.Code)
			assert.Contains(t, joined(envelope(t, rec)), "ignoring the timer data")
			assert.Equal(t, 1, r.p.reconcileCount(), "the timer still reconciles")

			assert.Empty(t, r.p.calls(), "nothing processed")
			assert.Contains(t, metricsText(t, r), `vnetdrift_events_failed_total{reason="malformed"} 2`)
		})
	}
}
