package pipeline

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/handler"
)

// evaluateBatch is the work of one coalesced batch: read the batch's
// neighbourhood fresh (never trusting what the events said), evaluate it
// scoped to the batch's VNets, record and notify.
func (p *Pipeline) evaluateBatch(ctx context.Context, b batch) error {
	start := time.Now()
	if err := p.gate.Acquire(ctx, 1); err != nil {
		return handler.Transient(fmt.Errorf("waiting for the reconcile to end: %w", err))
	}
	defer p.gate.Release(1)
	now := p.clock()
	scope := make([]estate.Key, len(b.vnets))
	for i, id := range b.vnets {
		scope[i] = estate.KeyOf(id)
	}
	est, err := p.read(ctx, fmt.Sprintf("reading the neighbourhood of %d VNets", len(b.vnets)),
		func(ctx context.Context) (*estate.Resources, error) {
			return readNeighbourhood(ctx, p.reader, p.base, b.vnets)
		})
	if err != nil {
		p.logOutcome("evaluation failed", start, len(b.vnets), 0, err, batchFields(b)...)
		return err
	}
	findings := p.evaluate(est, now, scope)
	actions := p.plan(est, findings, b.act)
	n, err := p.decide(ctx, scope, findings, b.by, now, false, actions)
	p.logOutcome("evaluated", start, len(b.vnets), n, err, batchFields(b)...)
	if err == nil {
		p.startApply(actions, b.by)
	}
	return err
}

// read runs a read, counts its ARM calls, builds the estate and teaches
// the index what it saw. Read failures are transient; an estate that does
// not build (an address prefix Azure should never return) is not.
func (p *Pipeline) read(ctx context.Context, what string, read func(context.Context) (*estate.Resources, error)) (*estate.Estate, error) {
	res, err := read(ctx)
	p.countCalls()
	if err != nil {
		return nil, handler.Transient(fmt.Errorf("%s: %w", what, err))
	}
	est, err := estate.Build(res)
	if err != nil {
		return nil, fmt.Errorf("%s: building the estate: %w", what, err)
	}
	p.index.Learn(est)
	return est, nil
}

// evaluate runs the detector; scope nil means every VNet.
func (p *Pipeline) evaluate(est *estate.Estate, now time.Time, scope []estate.Key) []detector.Finding {
	p.m.AddEvaluations(1)
	return detector.Evaluate(detector.Input{Baseline: p.base, Estate: est, Now: now, Scope: scope})
}

// countCalls adds the reader's new ARM calls to the metrics, when the
// reader counts them (*azure.Reader does).
func (p *Pipeline) countCalls() {
	c, ok := p.reader.(interface{ Calls() int64 })
	if !ok {
		return
	}
	now := c.Calls()
	p.m.AddARMCalls(int(now - p.lastCalls.Swap(now)))
}

// batchFields are the log fields naming a batch: its VNets (the first
// ten) and the change that triggered it.
func batchFields(b batch) []zap.Field {
	ids := b.vnets
	if len(ids) > 10 {
		ids = ids[:10]
	}
	return []zap.Field{
		zap.Strings("vnet_ids", ids),
		zap.String("event_id", b.by.EventID), zap.String("correlation_id", b.by.CorrelationID),
		zap.String("operation", b.by.OperationName), zap.String("caller", b.by.Caller),
	}
}

// logOutcome logs the end of an evaluation or reconcile.
func (p *Pipeline) logOutcome(msg string, start time.Time, vnets, notified int, err error, fields ...zap.Field) {
	fields = append(fields, zap.Int("vnets", vnets), zap.Int("items", notified), zap.Duration("took", time.Since(start)))
	if err != nil {
		p.log.Warn(msg, append(fields, zap.Error(err), zap.Bool("transient", handler.IsTransient(err)))...)
		return
	}
	p.log.Info(msg, fields...)
}
