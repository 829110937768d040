package handler

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedEvents holds the real Event Grid and Functions payloads in
// shared/data beside the repository (CI checks it out at ../shared).
const sharedEvents = "../../shared/data/events"

// seedBodies returns every eventgrid fixture, every payload in
// shared/data/events when it is there, and a few hostile bodies.
func seedBodies(f *testing.F) [][]byte {
	files, err := filepath.Glob(filepath.Join("..", "eventgrid", "testdata", "*.json"))
	require.NoError(f, err)
	shared, err := filepath.Glob(filepath.Join(sharedEvents, "*.json"))
	require.NoError(f, err)
	if len(shared) == 0 {
		f.Logf("no seeds from %s: shared/data not beside the repository", sharedEvents)
	}
	var bodies [][]byte
	for _, name := range append(files, shared...) {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		bodies = append(bodies, b)
	}
	return append(bodies, []byte(deepArray(10_001)), []byte(`[`+otherSubEvent(sub2, sub2)+`]`))
}

// FuzzWebhook posts arbitrary authenticated bodies to /api/events: the
// answer is always a JSON 200/400/413, and only successful network changes
// reach the pipeline.
func FuzzWebhook(f *testing.F) {
	for _, body := range seedBodies(f) {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := newRig(t, Config{WebhookKey: testKey, MaxBodyBytes: 64 << 10})
		rec := r.do(http.MethodPost, WebhookPath, body, keyed(nil))
		assert.Contains(t, []int{200, 400, 413}, rec.Code)
		assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
		assert.True(t, json.Valid(rec.Body.Bytes()), rec.Body.String())
		for _, call := range r.p.calls() {
			for _, c := range call {
				assert.True(t, c.IsNetwork() && c.Succeeded() && !c.IsValidation(), "%+v", c)
			}
		}
		if rec.Code != 200 {
			assert.Empty(t, r.p.calls())
		}
	})
}

// FuzzOnResourceChange posts arbitrary invocation bodies to
// /OnResourceChange: the answer is always the custom-handler envelope with
// 200 (bad input is acknowledged, never retried), never a validation
// handshake, and only successful network changes reach the pipeline, one
// at a time.
func FuzzOnResourceChange(f *testing.F) {
	for _, body := range seedBodies(f) {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := newRig(t, Config{MaxBodyBytes: 64 << 10})
		rec := r.invoke(FunctionOnResourceChange, body)
		assert.Equal(t, 200, rec.Code)
		envelope(t, rec)
		assert.NotContains(t, rec.Body.String(), "validationResponse")
		calls := r.p.calls()
		assert.LessOrEqual(t, len(calls), 1)
		for _, call := range calls {
			require.Len(t, call, 1)
			c := call[0]
			assert.True(t, c.IsNetwork() && c.Succeeded() && !c.IsValidation(), "%+v", c)
		}
	})
}

// FuzzReconcile posts arbitrary timer bodies to /Reconcile: whatever the
// body, the reconcile runs exactly once and the answer is the envelope.
func FuzzReconcile(f *testing.F) {
	for _, body := range seedBodies(f) {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := newRig(t, Config{MaxBodyBytes: 64 << 10})
		rec := r.invoke(FunctionReconcile, body)
		assert.Equal(t, 200, rec.Code)
		envelope(t, rec)
		assert.Equal(t, 1, r.p.reconcileCount())
		assert.Empty(t, r.p.calls())
	})
}
