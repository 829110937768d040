// Package handler serves vnetdrift's HTTP surfaces: the Azure Functions
// custom-handler invocations (eventGridTrigger and timerTrigger), a direct
// Event Grid webhook, health and metrics. It only validates, decodes,
// filters and deduplicates; the work is done by a Pipeline.
package handler

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"
)

// Routes. The Functions host posts each invocation to /<FunctionName>, so
// the function.json folders must be named FunctionOnResourceChange and
// FunctionReconcile.
const (
	FunctionOnResourceChange = "OnResourceChange"
	FunctionReconcile        = "Reconcile"
	WebhookPath              = "/api/events"
)

// Request headers.
const (
	// HeaderInvocationID is set by the Functions host on every invocation.
	HeaderInvocationID = "X-Azure-Functions-InvocationId"
	// HeaderKey carries the webhook key; the code query parameter may be
	// used instead.
	HeaderKey = "X-Vnetdrift-Key"
)

// webhookFunction is the route label of /api/events in metrics and logs.
const webhookFunction = "api_events"

type server struct {
	p    Pipeline
	cfg  Config
	log  *zap.Logger
	m    *Metrics
	seen *seenIDs
	subs map[string]bool // lower-cased; empty accepts all
}

// New returns the handler of every route:
//
//	GET  /                   200 at once (the Functions host's readiness probe)
//	GET  /healthz            200 {"status":"ok"}
//	GET  /metrics            Prometheus text format
//	POST /OnResourceChange   eventGridTrigger invocation
//	POST /Reconcile          timerTrigger invocation
//	POST, OPTIONS /api/events  direct Event Grid webhook (needs Config.WebhookKey)
//
// New does no I/O, so the server is ready as soon as it listens.
func New(p Pipeline, cfg Config) http.Handler {
	cfg = cfg.withDefaults()
	s := &server{p: p, cfg: cfg, log: cfg.Logger, m: cfg.Metrics, subs: map[string]bool{}}
	s.seen = newSeenIDs(cfg.DedupSize, cfg.DedupWindow, time.Now)
	for _, id := range cfg.Subscriptions {
		if id = strings.TrimSpace(id); id != "" {
			s.subs[strings.ToLower(id)] = true
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.Handle("POST /"+FunctionOnResourceChange, s.instrument(FunctionOnResourceChange, s.onResourceChange))
	mux.Handle("POST /"+FunctionReconcile, s.instrument(FunctionReconcile, s.reconcile))
	switch {
	case cfg.WebhookKey == "" && !cfg.AllowUnauthenticated:
		s.log.Info("no webhook key configured: " + WebhookPath + " is not served")
		return mux
	case cfg.WebhookKey == "":
		s.log.Warn(WebhookPath + " accepts unauthenticated requests (AllowUnauthenticated)")
	}
	mux.Handle("POST "+WebhookPath, s.instrument(webhookFunction, s.authenticate(s.webhook)))
	mux.Handle("OPTIONS "+WebhookPath, s.instrument(webhookFunction, s.authenticate(s.webhookOptions)))
	return mux
}

func (s *server) metrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	if _, err := s.m.WriteTo(w); err != nil {
		s.log.Debug("writing metrics", zap.Error(err))
	}
}

// instrument counts the answers of a route by status.
func (s *server) instrument(function string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.m.Invocation(function, sw.status)
	})
}

// statusWriter records the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeJSON answers with v as JSON; the Content-Type is always set, since
// the Functions host rejects a sniffed text/plain.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do then
}
