package pipeline

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/redact"
)

// Lazy is a handler.Pipeline whose Pipeline is built in the background,
// so that a server can answer the Functions host's readiness probe before
// the baseline is downloaded and credentials are set up. Handle and
// Reconcile wait for the build within their context. A failed build is
// retried on the next call once RetryAfter has passed; until then calls
// fail with a transient error, so Event Grid redelivers rather than losing
// the events. It is safe for concurrent use.
type Lazy struct {
	build      func(context.Context) (*Pipeline, error)
	log        *zap.Logger
	retryAfter time.Duration // least time between two failed builds

	mu       sync.Mutex
	p        *Pipeline
	err      error
	failedAt time.Time
	building chan struct{} // closed when the running build ends; nil if none
	cancel   context.CancelFunc
	closed   bool
}

// Lazy build settings: the least time between two builds after a failure,
// and how long one build may take.
const (
	lazyRetryAfter = 10 * time.Second
	lazyTimeout    = 2 * time.Minute
)

var _ handler.Pipeline = (*Lazy)(nil)

// NewLazy starts build in the background and returns at once.
func NewLazy(build func(context.Context) (*Pipeline, error), log *zap.Logger) *Lazy {
	if log == nil {
		log = zap.NewNop()
	}
	l := &Lazy{build: build, log: log, retryAfter: lazyRetryAfter}
	l.mu.Lock()
	l.start()
	l.mu.Unlock()
	return l
}

// start runs a build; the caller holds mu.
func (l *Lazy) start() {
	done := make(chan struct{})
	ctx, cancel := context.WithTimeout(context.Background(), lazyTimeout)
	l.building, l.cancel = done, cancel
	go func() {
		defer cancel()
		begin := time.Now()
		p, err := l.build(ctx)
		l.mu.Lock()
		defer l.mu.Unlock()
		defer close(done)
		l.building = nil
		switch {
		case err != nil:
			l.err, l.failedAt = err, time.Now()
			l.log.Error("starting the pipeline failed; events are answered 500 until it starts", zap.String("error", redact.String(err.Error())))
		case l.closed:
			p.Close()
		default:
			l.p, l.err = p, nil
			l.log.Info("pipeline ready", zap.Duration("took", time.Since(begin)))
		}
	}()
}

// get returns the pipeline, waiting for a running build within ctx.
func (l *Lazy) get(ctx context.Context) (*Pipeline, error) {
	l.mu.Lock()
	if l.p != nil || l.closed {
		p := l.p
		l.mu.Unlock()
		if p == nil {
			return nil, handler.Transient(errClosed)
		}
		return p, nil
	}
	if l.building == nil && time.Since(l.failedAt) >= l.retryAfter {
		l.start()
	}
	wait, err := l.building, l.err
	l.mu.Unlock()
	if wait == nil {
		return nil, handler.Transient(fmt.Errorf("starting the pipeline: %w", err))
	}
	select {
	case <-wait:
		l.mu.Lock()
		p, err := l.p, l.err
		l.mu.Unlock()
		if p == nil {
			return nil, handler.Transient(fmt.Errorf("starting the pipeline: %w", err))
		}
		return p, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the pipeline to start: %w", ctx.Err())
	}
}

// Handle implements handler.Pipeline once the pipeline is built.
func (l *Lazy) Handle(ctx context.Context, changes []eventgrid.Change) error {
	p, err := l.get(ctx)
	if err != nil {
		return err
	}
	return p.Handle(ctx, changes)
}

// Reconcile implements handler.Pipeline once the pipeline is built.
func (l *Lazy) Reconcile(ctx context.Context) error {
	p, err := l.get(ctx)
	if err != nil {
		return err
	}
	return p.Reconcile(ctx)
}

// Close cancels a running build and closes the pipeline if it was built.
func (l *Lazy) Close() {
	l.mu.Lock()
	l.closed = true
	p, wait := l.p, l.building
	if l.cancel != nil {
		l.cancel()
	}
	l.mu.Unlock()
	if wait != nil {
		<-wait
	}
	if p != nil {
		p.Close()
	}
}
