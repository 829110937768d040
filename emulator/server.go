// Package emulator serves the slice of Azure Resource Manager that vnetdrift
// uses — virtual networks with their peerings, virtual network gateways,
// connections, local network gateways, public IP addresses and the Resource
// Graph query — over plain HTTP in ARM's REST shape, so the real Azure SDK
// clients (with their retry, long-running-operation and paging pipeline) run
// against it. After every successful write or delete it delivers an Event
// Grid event shaped like a subscription system topic's. Faults (throttling,
// 5xx, latency, duplicated and reordered events) can be injected,
// deterministically by seed. docs/EMULATOR.md lists what is emulated and how
// faithfully.
//
// # Concurrency
//
// A Server is safe for concurrent use. All state sits behind one mutex;
// event deliveries run on their own goroutines.
package emulator

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Event schemas accepted in Options.EventSchema.
const (
	SchemaEventGrid   = "eventgrid"
	SchemaCloudEvents = "cloudevents"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	EventsTo     []string      // webhook URLs to deliver events to (POST)
	EventSchema  string        // SchemaEventGrid (default: JSON array, EventGridSchema) or SchemaCloudEvents (CloudEvents 1.0 batch, content-type application/cloudevents-batch+json)
	Faults       Faults        // zero: none
	Logger       *zap.Logger   // nil: no logging
	PollInterval time.Duration // Retry-After for LRO status polling; default 1s. Values under 1s are sent as retry-after-ms.
	LROSteps     int           // how many status polls answer InProgress before Succeeded (default 1)
	PageSize     int           // items per page of a list response (default 100)
}

const (
	defaultPollInterval = time.Second
	defaultPageSize     = 100
)

// Server is the emulator: an http.Handler plus the event deliverer.
type Server struct {
	opts   Options
	log    *zap.Logger
	mux    *http.ServeMux
	faults *faultInjector
	events *deliverer

	mu     sync.Mutex
	st     *store
	ops    map[string]*operation     // by operation ID
	locks  map[estate.Key]*operation // resources held by a running operation
	counts map[string]int
	closed bool
}

// New returns an emulator serving a copy of res (nil: an empty estate).
// Loading never rejects a state, even one ARM would refuse to create
// (overlapping peered VNets, useRemoteGateways without a remote gateway…).
func New(res *estate.Resources, opts Options) (*Server, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	s := &Server{
		opts:   opts,
		log:    opts.Logger,
		mux:    http.NewServeMux(),
		faults: newFaultInjector(opts.Faults),
		ops:    map[string]*operation{},
		locks:  map[estate.Key]*operation{},
		counts: map[string]int{},
	}
	s.events = newDeliverer(opts, s.log)
	s.st = load(res)
	s.routes()
	return s, nil
}

func (o Options) validate() error {
	switch strings.ToLower(o.EventSchema) {
	case "", SchemaEventGrid, SchemaCloudEvents:
	default:
		return fmt.Errorf("emulator options: EventSchema %q: want %q or %q", o.EventSchema, SchemaEventGrid, SchemaCloudEvents)
	}
	for _, raw := range o.EventsTo {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("emulator options: EventsTo %q: want an absolute http(s) URL", redactURL(raw))
		}
	}
	if o.PollInterval < 0 || o.LROSteps < 0 || o.PageSize < 0 {
		return errors.New("emulator options: PollInterval, LROSteps and PageSize must not be negative")
	}
	return o.Faults.validate()
}

func (o Options) withDefaults() Options {
	o.EventSchema = strings.ToLower(o.EventSchema)
	if o.EventSchema == "" {
		o.EventSchema = SchemaEventGrid
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	if o.PollInterval == 0 {
		o.PollInterval = defaultPollInterval
	}
	if o.LROSteps == 0 {
		o.LROSteps = 1
	}
	if o.PageSize == 0 {
		o.PageSize = defaultPageSize
	}
	return o
}

// ServeHTTP answers one ARM or /_emulator request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isAdminPath(r.URL.Path) {
		s.serveAdmin(w, r)
		return
	}
	sw := &statusWriter{ResponseWriter: w}
	defer s.logRequest(r, sw, time.Now())
	w = sw
	stampHeaders(w, r)
	faulted := r.Header.Get(NoFaultsHeader) == ""
	if faulted {
		if err := s.faults.sleep(r.Context()); err != nil {
			return // client went away
		}
	}
	if e := authenticate(r); e != nil {
		writeError(w, e)
		return
	}
	if faulted {
		if e := s.faults.inject(w); e != nil {
			s.count("Faults." + fmt.Sprint(e.status))
			writeError(w, e)
			return
		}
	}
	if r.URL.Query().Get("api-version") == "" {
		writeError(w, badRequest("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."))
		return
	}
	s.dispatch(w, r)
}

// logRequest logs a served ARM request at debug level.
func (s *Server) logRequest(r *http.Request, sw *statusWriter, start time.Time) {
	if ce := s.log.Check(zap.DebugLevel, "arm request"); ce != nil {
		ce.Write(zap.String("method", r.Method), zap.String("path", r.URL.Path),
			zap.Int("status", sw.status), zap.Duration("took", time.Since(start)))
	}
}

// statusWriter records the status of a response for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (sw *statusWriter) WriteHeader(code int) {
	if sw.status == 0 {
		sw.status = code
	}
	sw.ResponseWriter.WriteHeader(code)
}

func (sw *statusWriter) Write(b []byte) (int, error) {
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	return sw.ResponseWriter.Write(b)
}

// stampHeaders sets the headers ARM puts on every response.
func stampHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("x-ms-request-id", newID())
	corr := r.Header.Get("x-ms-correlation-request-id")
	if corr == "" {
		corr = newID()
	}
	h.Set("x-ms-correlation-request-id", corr)
	h.Set("Cache-Control", "no-cache")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.Set("x-ms-ratelimit-remaining-subscription-reads", "249")
	case http.MethodDelete:
		h.Set("x-ms-ratelimit-remaining-subscription-deletes", "199")
	default:
		h.Set("x-ms-ratelimit-remaining-subscription-writes", "199")
	}
}

// authenticate requires a bearer token, as ARM does; it never validates it.
func authenticate(r *http.Request) *armError {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return errf(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
	}
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errf(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is not in the expected 'Bearer <token>' format.")
	}
	return nil
}

// Close stops the operation timers and event delivery: deliveries still
// waiting for their (fault) delay or retry are dropped, in-flight POSTs are
// waited for. Events of later writes are not delivered.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for _, op := range s.ops {
		op.stopTimer()
	}
	s.mu.Unlock()
	s.events.close()
}

// Snapshot returns a deep copy of the current state. Peerings sit inline in
// their VNets; Peerings holds only those whose VNet is not in the estate.
func (s *Server) Snapshot() *estate.Resources {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.snapshot()
}

// Requests returns how many requests were served, by operation name (the
// SDK client without "Client" and the method, e.g. "VirtualNetworks.Get",
// "VirtualNetworkPeerings.CreateOrUpdate", "ResourceGraph.Resources",
// "AsyncOperations.Get"), plus injected faults as "Faults.429",
// "Faults.500" and "Faults.503".
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.counts)
}

// WaitEvents blocks until every event queued so far was delivered or
// dropped, or ctx ends. An event is queued when its operation succeeds.
func (s *Server) WaitEvents(ctx context.Context) error {
	return s.events.wait(ctx)
}

func (s *Server) count(op string) {
	s.mu.Lock()
	s.counts[op]++
	s.mu.Unlock()
}

func newID() string { return uuid.NewString() }

func newEtag() string { return `W/"` + newID() + `"` }
