package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/remediate"
)

// Delivery retries within one evaluation: a notifier that asks for a
// retry gets notifyAttempts tries, notifyFirstDelay apart and growing
// fourfold, while the evaluation's context lasts. Beyond that the
// evaluation fails (transient) and the redelivered event tries again.
const (
	notifyAttempts   = 3
	notifyFirstDelay = 100 * time.Millisecond
)

// decide records an evaluation's findings and delivers the items the state
// says need a message: record → every notifier → Notified. It returns how
// many items there were. Each item carries the notifiers that already
// delivered it (Item.Delivered) and is sent only to the others; an item
// that some notifier still failed to deliver after its retries goes back
// as Partial, so the state hands it out again for the missing notifiers
// once its lease ends, and the evaluation fails (transient).
func (p *Pipeline) decide(ctx context.Context, scope []estate.Key, findings []detector.Finding, by alert.Attribution, now time.Time, digest bool, actions []remediate.Action) (int, error) {
	items, err := p.state.Record(ctx, scope, findings, by, alert.ReadSpan{Start: now, End: p.clock()}, p.repeat)
	if err != nil {
		return 0, handler.Transient(fmt.Errorf("recording %d findings: %w", len(findings), err))
	}
	if len(items) == 0 {
		return 0, nil
	}
	p.annotate(items, actions, now)
	if p.dispatch != nil {
		return p.dispatched(ctx, items, by, digest)
	}
	sendErr := p.deliver(ctx, items, by, digest)
	if err := p.state.Notified(ctx, items, p.clock()); err != nil {
		return len(items), handler.Transient(errors.Join(sendErr, fmt.Errorf("marking %d items notified: %w", len(items), err)))
	}
	return len(items), sendErr
}

// dispatched delivers through the Dispatcher and records what it
// delivered. Items no target delivered stay owed: the state hands them out
// again after their lease.
func (p *Pipeline) dispatched(ctx context.Context, items []alert.Item, by alert.Attribution, digest bool) (int, error) {
	delivered, retry, sendErr := p.dispatch.Send(ctx, alert.Notice{Items: items, By: by, Digest: digest})
	if sendErr != nil && retry {
		sendErr = handler.Transient(sendErr)
	} else if sendErr != nil {
		p.log.Error("notification failed; not retried", zap.Int("items", len(items)), zap.Error(sendErr))
		sendErr = nil
	}
	if len(delivered) > 0 {
		if err := p.state.Notified(ctx, delivered, p.clock()); err != nil {
			return len(items), handler.Transient(errors.Join(sendErr, fmt.Errorf("marking %d items notified: %w", len(delivered), err)))
		}
	}
	return len(items), sendErr
}

// deliver hands each notifier, concurrently, the items it has not
// delivered yet, and updates the items' Delivered and Partial. It returns
// the failures worth retrying, joined and marked transient. A permanent
// failure (retry=false) is logged and counts as done: retrying cannot fix
// a bad configuration.
func (p *Pipeline) deliver(ctx context.Context, items []alert.Item, by alert.Attribution, digest bool) error {
	todo := make([][]int, len(p.notifiers)) // indexes into items, per notifier
	errs := make([]error, len(p.notifiers))
	var wg sync.WaitGroup
	for i, nf := range p.notifiers {
		n := alert.Notice{By: by, Digest: digest}
		for j, it := range items {
			if !slices.Contains(it.Delivered, nf.Name()) {
				todo[i] = append(todo[i], j)
				n.Items = append(n.Items, it)
			}
		}
		if len(n.Items) > 0 {
			wg.Go(func() { errs[i] = p.send(ctx, nf, n) })
		}
	}
	wg.Wait()
	for i, nf := range p.notifiers {
		for _, j := range todo[i] {
			if errs[i] != nil {
				items[j].Partial = true
			} else {
				items[j].Delivered = append(items[j].Delivered, nf.Name())
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return handler.Transient(err)
	}
	return nil
}

// send delivers to one notifier, retrying while it asks for it. It returns
// nil on success or permanent failure.
func (p *Pipeline) send(ctx context.Context, nf alert.Notifier, n alert.Notice) error {
	delay := notifyFirstDelay
	for attempt := 1; ; attempt++ {
		retry, err := nf.Notify(ctx, n)
		switch {
		case err == nil:
			return nil
		case !retry:
			p.log.Error("notifier failed; not retried", zap.String("notifier", nf.Name()), zap.Int("items", len(n.Items)), zap.Error(err))
			return nil
		case attempt == notifyAttempts || !sleep(ctx, delay):
			return fmt.Errorf("notifying %s (attempt %d): %w", nf.Name(), attempt, err)
		}
		p.log.Warn("notifier failed; retrying", zap.String("notifier", nf.Name()), zap.Int("attempt", attempt), zap.Error(err))
		delay *= 4
	}
}

// sleep waits d unless ctx ends first; it reports whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
