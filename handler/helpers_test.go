package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// fakePipeline records what it is given. errs are returned by successive
// Handle (or Reconcile) calls, nil once exhausted; hold makes Handle and
// Reconcile block until it is closed, ignoring ctx.
type fakePipeline struct {
	mu         sync.Mutex
	handled    [][]eventgrid.Change
	reconciles int
	errs       []error
	hold       chan struct{}
	panicWith  any
}

var _ Pipeline = (*fakePipeline)(nil)

func (p *fakePipeline) next() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.errs) == 0 {
		return nil
	}
	err := p.errs[0]
	p.errs = p.errs[1:]
	return err
}

func (p *fakePipeline) wait() {
	if p.hold != nil {
		<-p.hold
	}
	if p.panicWith != nil {
		panic(p.panicWith)
	}
}

func (p *fakePipeline) Handle(_ context.Context, changes []eventgrid.Change) error {
	p.mu.Lock()
	p.handled = append(p.handled, changes)
	p.mu.Unlock()
	p.wait()
	return p.next()
}

func (p *fakePipeline) Reconcile(context.Context) error {
	p.mu.Lock()
	p.reconciles++
	p.mu.Unlock()
	p.wait()
	return p.next()
}

func (p *fakePipeline) calls() [][]eventgrid.Change {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][]eventgrid.Change(nil), p.handled...)
}

func (p *fakePipeline) reconcileCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reconciles
}

// handledIDs returns the event IDs of every Handle call, flattened.
func (p *fakePipeline) handledIDs() []string {
	var ids []string
	for _, call := range p.calls() {
		for _, c := range call {
			ids = append(ids, c.EventID)
		}
	}
	return ids
}

const testKey = "s3cr3t-webhook-key-0123456789"

type rig struct {
	h    http.Handler
	p    *fakePipeline
	logs *observer.ObservedLogs
	m    *Metrics
}

func newRig(t *testing.T, cfg Config) *rig {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	p := &fakePipeline{}
	cfg.Logger = zap.New(core)
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	return &rig{h: New(p, cfg), p: p, logs: logs, m: cfg.Metrics}
}

func (r *rig) do(method, target string, body []byte, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	return rec
}

// invoke posts a Functions invocation as the host does.
func (r *rig) invoke(function string, body []byte) *httptest.ResponseRecorder {
	return r.do(http.MethodPost, "/"+function, body, map[string]string{
		"Content-Type": "application/json", HeaderInvocationID: "inv-0001",
	})
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "eventgrid", "testdata", name))
	require.NoError(t, err)
	return b
}

// batchElement returns element i of a fixture holding a JSON array.
func batchElement(t testing.TB, name string, i int) json.RawMessage {
	t.Helper()
	var raws []json.RawMessage
	require.NoError(t, json.Unmarshal(fixture(t, name), &raws))
	return raws[i]
}

// wrap builds a Functions invocation body around an event.
func wrap(t testing.TB, ev json.RawMessage) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"Data": map[string]any{"event": ev}, "Metadata": map[string]any{}})
	require.NoError(t, err)
	return b
}

// envelope asserts the custom-handler response shape and returns its Logs.
func envelope(t *testing.T, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &raw), rec.Body.String())
	require.Len(t, raw, 3, rec.Body.String())
	assert.JSONEq(t, `{}`, string(raw["Outputs"]))
	assert.JSONEq(t, `null`, string(raw["ReturnValue"]))
	var logs []string
	require.NoError(t, json.Unmarshal(raw["Logs"], &logs))
	require.NotNil(t, logs, "Logs must be an array, not null")
	return logs
}

func joined(lines []string) string {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// zapJSONCore writes JSON log lines to w, as production logging does.
func zapJSONCore(w io.Writer) zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(w), zapcore.DebugLevel)
}

// metricsText returns what GET /metrics serves.
func metricsText(t *testing.T, r *rig) string {
	t.Helper()
	rec := r.do(http.MethodGet, "/metrics", nil, nil)
	require.Equal(t, 200, rec.Code)
	return rec.Body.String()
}
