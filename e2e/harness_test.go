package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/demo"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/examples"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/pipeline"
	"github.com/vnetdrift/vnetdrift/state"
)

// IDs of the example estate.
const (
	subWEU   = "11111111-1111-1111-1111-111111111111"
	subNEU   = "22222222-2222-2222-2222-222222222222"
	spoke1   = "/subscriptions/" + subWEU + "/resourceGroups/rg-app1-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app1-weu"
	spoke3   = "/subscriptions/" + subNEU + "/resourceGroups/rg-app3-neu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app3-neu"
	s3ToHubN = spoke3 + "/virtualNetworkPeerings/peer-spoke-app3-to-hub-neu"
)

// loop is the event loop in this process: the emulator delivers events to
// the handler's /api/events; the pipeline reads the emulator through a
// server that can be made to fail (armDown) while changes go through a
// clean one.
type loop struct {
	emu        *emulator.Server
	armURL     string // clean ARM endpoint, for changes
	armDown    atomic.Bool
	sink       *sink
	state      alert.State
	deliveries *statusLog
}

type loopOptions struct {
	faults            emulator.Faults
	evaluationTimeout time.Duration
}

func startLoop(t *testing.T, o loopOptions) *loop {
	t.Helper()
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	b, err := baseline.Parse(examples.BaselineName, examples.Baseline)
	require.NoError(t, err)
	l := &loop{sink: &sink{}, state: state.NewMemory(), deliveries: &statusLog{}}
	log := zaptest.NewLogger(t)

	serve := httptest.NewUnstartedServer(nil)
	l.emu, err = emulator.New(res, emulator.Options{EventsTo: []string{"http://" + serve.Listener.Addr().String() + handler.WebhookPath},
		Faults: o.faults, PollInterval: 20 * time.Millisecond, Logger: log.Named("emulator")})
	require.NoError(t, err)
	clean := httptest.NewServer(l.emu)
	faulty := httptest.NewServer(l.failWhileDown(l.emu))
	l.armURL = clean.URL

	reader, err := azure.New(azure.Config{Endpoint: faulty.URL, Subscriptions: []string{subWEU, subNEU}})
	require.NoError(t, err)
	p, err := pipeline.New(pipeline.Config{Reader: reader, Baseline: b, State: l.state, Notifiers: []alert.Notifier{l.sink},
		EvaluationTimeout: o.evaluationTimeout, Logger: log.Named("pipeline")})
	require.NoError(t, err)
	h := handler.New(p, handler.Config{Subscriptions: []string{subWEU, subNEU}, AllowUnauthenticated: true, Logger: log.Named("handler")})
	serve.Config.Handler = l.deliveries.wrap(h)
	serve.Start()
	t.Cleanup(func() { // serve first, so that no delivery is half handled
		serve.Close()
		l.emu.Close()
		p.Close()
		clean.Close()
		faulty.Close()
	})
	return l
}

// failWhileDown answers every ARM request 503 ServerBusy while armDown is set.
func (l *loop) failWhileDown(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.armDown.Load() {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-ms-error-code", "ServerBusy")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":{"code":"ServerBusy","message":"The server is currently unable to handle the request."}}`))
	})
}

func (l *loop) actions(caller string) *demo.Actions { return demo.NewActions(l.armURL, caller) }

// settle waits until every event queued so far was delivered and answered.
func (l *loop) settle(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, l.emu.WaitEvents(ctx))
}

// statusLog records the status of each webhook delivery.
type statusLog struct {
	mu       sync.Mutex
	statuses []int
}

func (s *statusLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if r.URL.Path == handler.WebhookPath {
			s.mu.Lock()
			s.statuses = append(s.statuses, rec.status)
			s.mu.Unlock()
		}
	})
}

func (s *statusLog) all() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.statuses...)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// sink records every item delivered.
type sink struct {
	mu    sync.Mutex
	items []alert.Item
	by    []alert.Attribution
}

func (s *sink) Name() string { return "e2e" }

func (s *sink) Notify(_ context.Context, n alert.Notice) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range n.Items {
		s.items = append(s.items, it)
		s.by = append(s.by, n.By)
	}
	return false, nil
}

// count returns how many items with the rule on the VNet (by name) were
// delivered, as openings and as resolutions.
func (s *sink) count(rule, vnet string) (opened, resolved int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range s.items {
		if it.Finding.Rule != rule || !strings.EqualFold(estate.LastSegment(it.Finding.VNetID), vnet) {
			continue
		}
		if it.Resolved {
			resolved++
		} else {
			opened++
		}
	}
	return opened, resolved
}
