package pipeline

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sync/semaphore"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/handler"
)

// Pipeline is vnetdrift's level-triggered decision loop. It implements
// handler.Pipeline and is safe for concurrent use.
type Pipeline struct {
	reader    Reader
	base      *baseline.Baseline
	state     alert.State
	notifiers []alert.Notifier
	dispatch  Dispatcher
	repeat    time.Duration
	log       *zap.Logger
	m         *handler.Metrics
	clock     func() time.Time
	rem       *remediation // nil: alert only

	index *Index
	co    *coalescer
	// gate lets event-driven evaluations run side by side (weight 1 each)
	// and a reconcile run alone (weight gateAll), so that a sweep and a
	// targeted evaluation never record from reads of different moments.
	gate      *semaphore.Weighted
	lastCalls atomic.Int64
}

// gateAll is the weight of a reconcile: the whole gate.
const gateAll = 1 << 30

var _ handler.Pipeline = (*Pipeline)(nil)

// New returns a Pipeline for cfg. It does no I/O.
func New(cfg Config) (*Pipeline, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Pipeline{
		reader: cfg.Reader, base: cfg.Baseline, state: cfg.State, notifiers: cfg.Notifiers, dispatch: cfg.Dispatcher,
		repeat: cfg.RepeatInterval, log: cfg.Logger, m: cfg.Metrics, clock: cfg.Clock,
		rem:   newRemediation(cfg.Remediator, cfg.RemediationTimeout),
		index: NewIndex(cfg.Baseline),
		gate:  semaphore.NewWeighted(gateAll),
	}
	p.co = newCoalescer(cfg.CoalesceWindow, cfg.Settle, cfg.EvaluationTimeout, p.evaluateBatch)
	return p, nil
}

// Handle maps the changes to the VNets they affect and waits until an
// evaluation that started after they arrived has covered each of those
// VNets (and notified what it found). It returns the evaluations' errors;
// read, state and retryable notifier failures are handler.Transient, so the
// delivery is answered 500 and Event Grid redelivers it. A change that maps
// to no known VNet is logged and succeeds.
func (p *Pipeline) Handle(ctx context.Context, changes []eventgrid.Change) error {
	start := time.Now()
	hints := p.hints(changes)
	if len(hints) == 0 {
		return nil
	}
	w, err := p.co.add(hints)
	if err != nil {
		return handler.Transient(err)
	}
	select {
	case <-w.done:
	case <-ctx.Done():
		return fmt.Errorf("waiting for the evaluation of %d VNets: %w", len(hints), ctx.Err())
	}
	if err := w.err(); err != nil {
		return err
	}
	for range changes {
		p.m.ObserveDecision(time.Since(start))
	}
	return nil
}

// hints maps changes to one hint per affected VNet, carrying the latest
// change that asked for it.
func (p *Pipeline) hints(changes []eventgrid.Change) []hint {
	byKey := map[estate.Key]int{}
	var out []hint
	for _, c := range changes {
		ids := Affected(c, p.index)
		if len(ids) == 0 {
			p.log.Info("change affects no known VNet; left to the reconcile", changeFields(c)...)
			continue
		}
		by, act := attributionOf(c), p.rem.observe(c)
		if !act {
			p.log.Info("our own change: evaluated, not remediated again", changeFields(c)...)
		}
		for _, id := range ids {
			k := estate.KeyOf(id)
			i, ok := byKey[k]
			switch {
			case !ok:
				byKey[k] = len(out)
				out = append(out, hint{id: id, by: by, act: act})
				continue
			case !by.EventTime.Before(out[i].by.EventTime):
				out[i].by = by
			}
			out[i].act = out[i].act || act
		}
	}
	return out
}

// Reconcile reads every configured subscription, evaluates everything and
// sends what changed as one digest. It waits for running evaluations to
// end and holds new ones back while it runs.
func (p *Pipeline) Reconcile(ctx context.Context) error {
	start := time.Now()
	if err := p.gate.Acquire(ctx, gateAll); err != nil {
		return fmt.Errorf("reconcile: waiting for running evaluations: %w", err)
	}
	defer p.gate.Release(gateAll)
	now := p.clock()
	est, err := p.read(ctx, "reading all subscriptions", p.reader.ReadAll)
	if err != nil {
		return err
	}
	findings := p.evaluate(est, now, nil)
	by := alert.Attribution{Reconcile: true, EventTime: now}
	actions := p.plan(est, findings, true)
	n, err := p.decide(ctx, nil, findings, by, now, true, actions)
	p.logOutcome("reconciled", start, len(est.VNets), n, err, zap.Int("findings", len(findings)), zap.Int("actions", len(actions)))
	if err == nil {
		p.m.ObserveDecision(time.Since(start))
		p.startApply(actions, by)
	}
	return err
}

// Close stops the pipeline: changes still waiting for an evaluation fail
// (transient, so they are redelivered) and running evaluations are
// cancelled and waited for. Call it after the HTTP server has shut down.
// Background remediations are cancelled too (a write already sent
// completes in Azure; the reconcile reports its result).
func (p *Pipeline) Close() {
	p.co.close()
	p.rem.stop()
}

// attributionOf says who and what made a change.
func attributionOf(c eventgrid.Change) alert.Attribution {
	return alert.Attribution{
		EventID: c.EventID, Caller: c.Caller.String(), CallerAppID: c.Caller.AppID, CallerObject: c.Caller.ObjectID,
		OperationName: c.OperationName, ResourceID: c.ResourceID(), CorrelationID: c.CorrelationID, EventTime: c.EventTime,
	}
}

// changeFields are the log fields naming a change.
func changeFields(c eventgrid.Change) []zap.Field {
	return []zap.Field{
		zap.String("event_id", c.EventID), zap.String("correlation_id", c.CorrelationID),
		zap.String("operation", c.OperationName), zap.String("resource_id", c.ResourceID()),
	}
}
