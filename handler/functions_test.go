package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

const (
	vnetWriteID   = "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a01"
	peeringWrite  = "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a08"
	sub1          = "00000000-0000-0000-0000-000000000001"
	vnetWriteFile = "synthetic_functions-invocation_vnet-write_object.json"
	mixedBatch    = "synthetic_mixed-batch_eventgrid-schema_array.json"
	connBatch     = "synthetic_connection-write-and-failure_cloudevents-batch_string-claims.json"
)

func TestReadinessHealthAndUnknownRoutes(t *testing.T) {
	r := newRig(t, Config{})
	tests := []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/", 200},
		{http.MethodHead, "/", 200},
		{http.MethodGet, "/healthz", 200},
		{http.MethodGet, "/metrics", 200},
		{http.MethodGet, "/nope", 404},
		{http.MethodGet, "/OnResourceChange", 405},
		{http.MethodPost, "/onresourcechange", 404},
		{http.MethodPost, WebhookPath, 404}, // no key configured
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			assert.Equal(t, tt.want, r.do(tt.method, tt.path, nil, nil).Code)
		})
	}
	rec := r.do(http.MethodGet, "/healthz", nil, nil)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
}

func TestOnResourceChangeHandlesNetworkEvents(t *testing.T) {
	tests := []struct {
		file, id string
	}{
		{vnetWriteFile, vnetWriteID},
		{"synthetic_functions-invocation_peering-write_string-event.json", peeringWrite},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := newRig(t, Config{Subscriptions: []string{strings.ToUpper(sub1)}})
			rec := r.invoke(FunctionOnResourceChange, fixture(t, tt.file))
			assert.Equal(t, 200, rec.Code)
			assert.Empty(t, envelope(t, rec))
			assert.Equal(t, []string{tt.id}, r.p.handledIDs())
			entries := r.logs.FilterField(zap.String("invocation_id", "inv-0001")).All()
			assert.NotEmpty(t, entries, "logs carry the host's invocation id")
		})
	}
}

func TestOnResourceChangeIgnores(t *testing.T) {
	tests := []struct {
		name, reason string
		body         func(t *testing.T) []byte
		id           string
	}{
		{"non-network", ReasonNonNetwork, func(t *testing.T) []byte {
			return fixture(t, "customhandler-request_eventGridTrigger_eventgrid-schema_azfunc-test.json")
		}, "4e773554-f6b7-4ea2-b07d-4c5fd5aba741"},
		{"non-network cloudevent", ReasonNonNetwork, func(t *testing.T) []byte {
			return fixture(t, "customhandler-request_eventGridTrigger_cloudevents-schema_azfunc-test.json")
		}, "4e773554-f6b7-4ea2-b07d-4c5fd5aba741"},
		{"subnet write", ReasonNonNetwork, func(t *testing.T) []byte {
			return wrap(t, batchElement(t, mixedBatch, 1))
		}, "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a03"},
		{"other subscription", ReasonOtherSubscription, func(t *testing.T) []byte {
			return wrap(t, batchElement(t, mixedBatch, 2))
		}, "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a04"},
		{"failed write", ReasonFailed, func(t *testing.T) []byte {
			return wrap(t, batchElement(t, connBatch, 1))
		}, "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a07"},
		{"forged validation", ReasonValidation, func(t *testing.T) []byte {
			return fixture(t, "synthetic_functions-invocation_forged-subscription-validation.json")
		}, "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{Subscriptions: []string{sub1}})
			rec := r.invoke(FunctionOnResourceChange, tt.body(t))
			assert.Equal(t, 200, rec.Code)
			logs := envelope(t, rec)
			require.Len(t, logs, 1)
			assert.Contains(t, logs[0], "ignored event "+tt.id)
			assert.Empty(t, r.p.calls())
			warn := r.logs.FilterMessageSnippet("ignored event " + tt.id).FilterField(zap.String("event_id", tt.id))
			assert.Equal(t, 1, warn.Len())
			assert.Contains(t, metricsText(t, r), `vnetdrift_events_ignored_total{reason="`+tt.reason+`"} 1`)
		})
	}
}

func TestOnResourceChangeMalformedIsNotRetried(t *testing.T) {
	bodies := map[string][]byte{
		"not json":        []byte("{"),
		"empty":           nil,
		"bare event":      fixture(t, "synthetic_vnet-write_eventgrid-schema_pascalcase-authorization.json"),
		"queue item":      fixture(t, "customhandler-request_queueTrigger_functions-custom-handlers-doc.json"),
		"timer":           fixture(t, "customhandler-request_timerTrigger_azfunc-test.json"),
		"bad status type": wrap(t, json.RawMessage(`{"id":"x","eventType":"T","data":{"status":1}}`)),
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, Config{})
			rec := r.invoke(FunctionOnResourceChange, body)
			assert.Equal(t, 200, rec.Code)
			logs := envelope(t, rec)
			require.Len(t, logs, 1)
			assert.Contains(t, logs[0], "dropped a malformed event (not retried)")
			assert.Empty(t, r.p.calls())
			assert.Contains(t, metricsText(t, r), `vnetdrift_events_failed_total{reason="malformed"} 1`)
		})
	}
}

func TestOnResourceChangeTooLargeIsNotRetried(t *testing.T) {
	r := newRig(t, Config{MaxBodyBytes: 100})
	rec := r.invoke(FunctionOnResourceChange, fixture(t, vnetWriteFile))
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, joined(envelope(t, rec)), "larger than 300 bytes")
	assert.Empty(t, r.p.calls())
}

func TestOnResourceChangeDedup(t *testing.T) {
	r := newRig(t, Config{})
	body := fixture(t, vnetWriteFile)
	assert.Equal(t, 200, r.invoke(FunctionOnResourceChange, body).Code)
	rec := r.invoke(FunctionOnResourceChange, body)
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, joined(envelope(t, rec)), "ignored event "+vnetWriteID+": already handled recently")
	assert.Equal(t, []string{vnetWriteID}, r.p.handledIDs(), "Handle once")
}

func TestOnResourceChangeFailuresAreRedelivered(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		log    string
	}{
		{"transient", Transient(errors.New("ARM throttled")), 500, "error: failed, to be retried: ARM throttled"},
		{"wrapped transient", errors.Join(errors.New("ctx"), Transient(errors.New("busy"))), 500, "to be retried"},
		{"pipeline deadline", fmt.Errorf("reading VNet: %w", context.DeadlineExceeded), 500, "to be retried: reading VNet: context deadline exceeded"},
		{"pipeline cancelled", fmt.Errorf("reading VNet: %w", context.Canceled), 500, "to be retried"},
		{"permanent", errors.New("bad baseline"), 200, "error: failed permanently, not retried: bad baseline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{})
			r.p.errs = []error{tt.err}
			body := fixture(t, vnetWriteFile)
			rec := r.invoke(FunctionOnResourceChange, body)
			assert.Equal(t, tt.status, rec.Code)
			assert.Contains(t, joined(envelope(t, rec)), tt.log)
			// A failed event is not remembered: the redelivery is handled again.
			rec = r.invoke(FunctionOnResourceChange, body)
			assert.Equal(t, 200, rec.Code)
			assert.Empty(t, envelope(t, rec))
			assert.Equal(t, []string{vnetWriteID, vnetWriteID}, r.p.handledIDs())
			// Now it succeeded, a third delivery is a duplicate.
			assert.Equal(t, 200, r.invoke(FunctionOnResourceChange, body).Code)
			assert.Len(t, r.p.calls(), 2)
		})
	}
}

func TestOnResourceChangeDeadline(t *testing.T) {
	r := newRig(t, Config{Deadline: time.Millisecond})
	r.p.hold = make(chan struct{}) // Handle ignores ctx and never returns in time
	defer close(r.p.hold)
	rec := r.invoke(FunctionOnResourceChange, fixture(t, vnetWriteFile))
	assert.Equal(t, 500, rec.Code)
	assert.Contains(t, joined(envelope(t, rec)), "context deadline exceeded")
	assert.Contains(t, metricsText(t, r), `vnetdrift_events_failed_total{reason="transient"} 1`)
}

func TestOnResourceChangePipelinePanicIsPermanent(t *testing.T) {
	r := newRig(t, Config{})
	r.p.panicWith = "boom"
	rec := r.invoke(FunctionOnResourceChange, fixture(t, vnetWriteFile))
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, joined(envelope(t, rec)), "panic: boom")
}

func TestReconcile(t *testing.T) {
	tests := []struct {
		name   string
		body   []byte
		warned bool
	}{
		{"host timer", fixture(t, "customhandler-request_timerTrigger_azfunc-test.json"), false},
		{"null schedule status", fixture(t, "synthetic_functions-invocation_timer_null-schedule-status.json"), false},
		{"empty body", nil, false},
		{"no data", []byte(`{"Metadata":{}}`), false},
		{"malformed", []byte("{"), true},
		{"odd timer", []byte(`{"Data":{"timer":{"IsPastDue":"yes"}}}`), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{})
			rec := r.invoke(FunctionReconcile, tt.body)
			assert.Equal(t, 200, rec.Code)
			logs := envelope(t, rec)
			assert.Equal(t, tt.warned, strings.Contains(joined(logs), "ignoring the timer data"), logs)
			assert.Equal(t, 1, r.p.reconcileCount())
		})
	}
}

func TestReconcileTimerFieldsAreLogged(t *testing.T) {
	r := newRig(t, Config{})
	r.invoke(FunctionReconcile, fixture(t, "customhandler-request_timerTrigger_azfunc-test.json"))
	entries := r.logs.FilterMessage("reconcile triggered").All()
	require.Len(t, entries, 1)
	assert.Equal(t, "2023-10-12T20:13:49.640002Z", entries[0].ContextMap()["next"])
	assert.Equal(t, false, entries[0].ContextMap()["past_due"])
}

func TestReconcileFailures(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		deadline time.Duration
		status   int
	}{
		{"transient", Transient(errors.New("throttled")), 0, 500},
		{"permanent", errors.New("no baseline"), 0, 200},
		{"deadline", nil, time.Millisecond, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{ReconcileDeadline: tt.deadline})
			r.p.errs = []error{tt.err}
			if tt.deadline > 0 {
				r.p.hold = make(chan struct{})
				defer close(r.p.hold)
			}
			rec := r.invoke(FunctionReconcile, nil)
			assert.Equal(t, tt.status, rec.Code)
			assert.Contains(t, joined(envelope(t, rec)), "error: failed")
		})
	}
}
