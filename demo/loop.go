package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/examples"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/notify/jsonl"
	"github.com/vnetdrift/vnetdrift/notify/logsink"
	"github.com/vnetdrift/vnetdrift/pipeline"
	"github.com/vnetdrift/vnetdrift/remediate"
	"github.com/vnetdrift/vnetdrift/state"
)

// Subscriptions of the example estate.
const (
	SubWEU = "11111111-1111-1111-1111-111111111111"
	SubNEU = "22222222-2222-2222-2222-222222222222"
)

// Options configure a Loop. The zero value runs on free loopback ports
// with no logging and no findings file.
type Options struct {
	Logger       *zap.Logger      // emulator and serve logs; nil: none
	EmulatorAddr string           // loopback address; "" picks a free port
	ServeAddr    string           // loopback address; "" picks a free port
	FindingsFile string           // also append findings to this JSON Lines file
	Notifiers    []alert.Notifier // more sinks, after the log sink
	Faults       emulator.Faults  // injected into the emulator
	// Remediation, when set, lets serve remediate under this policy
	// (writable subscriptions and our own identity are filled in).
	Remediation *remediate.Policy
}

// Loop is the whole event loop on loopback, in this process: the ARM +
// Event Grid emulator serving the example estate, delivering every write's
// event to serve's /api/events, and the serve stack (handler, pipeline,
// in-memory state, sinks) reading the emulator with the Azure SDK.
type Loop struct {
	EmulatorURL string // the ARM endpoint (VNETDRIFT_ARM_ENDPOINT)
	ServeURL    string // vnetdrift serve

	Emulator *emulator.Server
	Reader   *azure.Reader // serve's reader
	State    alert.State
	Metrics  *handler.Metrics
	Baseline *baseline.Baseline

	log      *zap.Logger
	pipeline *pipeline.Pipeline
	servers  []*http.Server
	closers  []func()
}

// Start starts the loop; Close stops everything it started.
func Start(ctx context.Context, o Options) (*Loop, error) {
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	l := &Loop{log: o.Logger, Metrics: handler.NewMetrics(), State: state.NewMemory()}
	if err := l.start(ctx, o); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func (l *Loop) start(ctx context.Context, o Options) error {
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	if err != nil {
		return err
	}
	if l.Baseline, err = baseline.Parse(examples.BaselineName, examples.Baseline); err != nil {
		return err
	}
	serveLn, err := listen(o.ServeAddr)
	if err != nil {
		return err
	}
	emuLn, err := listen(o.EmulatorAddr)
	if err != nil {
		_ = serveLn.Close()
		return err
	}
	l.ServeURL, l.EmulatorURL = "http://"+serveLn.Addr().String(), "http://"+emuLn.Addr().String()
	l.Emulator, err = emulator.New(res, emulator.Options{
		EventsTo: []string{l.ServeURL + handler.WebhookPath}, Faults: o.Faults,
		PollInterval: 50 * time.Millisecond, Logger: o.Logger.Named("emulator"),
	})
	if err != nil {
		_, _ = serveLn.Close(), emuLn.Close()
		return fmt.Errorf("starting the emulator: %w", err)
	}
	l.closers = append(l.closers, l.Emulator.Close)
	l.serve(emuLn, l.Emulator)
	h, err := l.serveStack(ctx, o)
	if err != nil {
		_ = serveLn.Close()
		return err
	}
	l.serve(serveLn, h)
	return nil
}

// serveStack builds what `vnetdrift serve` builds, pointed at the emulator.
func (l *Loop) serveStack(_ context.Context, o Options) (http.Handler, error) {
	var err error
	subs := []string{SubWEU, SubNEU}
	l.Reader, err = azure.New(azure.Config{Endpoint: l.EmulatorURL, Subscriptions: subs, Logger: o.Logger.Named("azure")})
	if err != nil {
		return nil, err
	}
	sinks := []alert.Notifier{logsink.New(o.Logger)}
	if o.FindingsFile != "" {
		f, err := jsonl.Open(o.FindingsFile)
		if err != nil {
			return nil, err
		}
		l.closers = append(l.closers, func() { _ = f.Close() })
		sinks = append(sinks, f)
	}
	var rem pipeline.Remediator
	if o.Remediation != nil {
		pol := *o.Remediation
		pol.Subscriptions, pol.SelfIDs = subs, []string{emulator.DefaultCallerObjectID}
		x := remediate.New(l.Reader, pol, o.Logger.Named("remediate"), nil)
		x.Budget = remediate.SharedBudget(l.State.ClaimEvent, x.Policy().MaxWritesPerHour)
		rem = x
	}
	l.pipeline, err = pipeline.New(pipeline.Config{
		Reader: l.Reader, Baseline: l.Baseline, State: l.State, Notifiers: append(sinks, o.Notifiers...),
		Logger: o.Logger.Named("pipeline"), Metrics: l.Metrics, Remediator: rem,
	})
	if err != nil {
		return nil, err
	}
	l.closers = append(l.closers, l.pipeline.Close)
	return handler.New(l.pipeline, handler.Config{
		Subscriptions: subs, AllowUnauthenticated: true, Logger: o.Logger.Named("handler"), Metrics: l.Metrics,
	}), nil
}

// listen listens on a loopback address ("" = a free port).
func listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("address %q: the demo listens on loopback addresses only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

func (l *Loop) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	l.servers = append(l.servers, srv)
	go func() { _ = srv.Serve(ln) }()
}

// Close stops the servers (serve first, so no event is half handled),
// the emulator and the pipeline, and waits for them.
func (l *Loop) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := len(l.servers) - 1; i >= 0; i-- {
		if err := l.servers[i].Shutdown(ctx); err != nil {
			_ = l.servers[i].Close()
		}
	}
	for i := len(l.closers) - 1; i >= 0; i-- {
		l.closers[i]()
	}
	l.servers, l.closers = nil, nil
}

// Reconcile asks serve for a reconcile the way the Functions host's timer
// does: POST /Reconcile with a timerTrigger invocation.
func (l *Loop) Reconcile(ctx context.Context) error {
	body := []byte(`{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{}}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.ServeURL+"/"+handler.FunctionReconcile, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(handler.HeaderInvocationID, fmt.Sprintf("demo-%d", time.Now().UnixNano()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("posting the reconcile: %w", err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reconcile answered %d: %s", resp.StatusCode, bytes.TrimSpace(out))
	}
	return nil
}

// WaitEvents waits until every event of the changes made so far was
// delivered to serve and answered, and the remediations they started (and
// the events of their writes) are done: by then serve has evaluated them
// and notified what it found.
func (l *Loop) WaitEvents(ctx context.Context) error {
	if err := l.Emulator.WaitEvents(ctx); err != nil {
		return errors.New("events still undelivered: " + err.Error())
	}
	l.pipeline.WaitRemediations()
	if err := l.Emulator.WaitEvents(ctx); err != nil {
		return errors.New("events still undelivered: " + err.Error())
	}
	return nil
}
