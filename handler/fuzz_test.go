package handler

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzWebhook posts arbitrary authenticated bodies to /api/events: the
// answer is always a JSON 200/400/413, and only successful network changes
// reach the pipeline.
func FuzzWebhook(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "eventgrid", "testdata", "*.json"))
	require.NoError(f, err)
	for _, name := range files {
		f.Add(fixture(f, filepath.Base(name)))
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
