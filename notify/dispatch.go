package notify

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
)

// Config configures a Dispatcher.
type Config struct {
	// Routing picks each finding's receivers (nil: DefaultRouting).
	Routing *Routing
	// Receivers are the targets of each receiver, from Build.
	Receivers map[string][]Target
	// Sinks get every item, whatever the routes say: Event Grid, logs,
	// JSONL. Their target key is "sink/" + Name().
	Sinks []alert.Notifier
	// Backoff is the retry policy of each delivery (zero fields: defaults).
	Backoff Backoff
	// Logger gets one line per failed attempt whose error text changed
	// (default: none).
	Logger *zap.Logger
}

// Dispatcher delivers notices to the routed receivers' targets and the
// sinks. It is safe for concurrent use.
type Dispatcher struct {
	routing   *Routing
	receivers map[string][]Target
	sinks     []Target
	backoff   Backoff
	log       *zap.Logger
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error
}

// New returns a Dispatcher.
func New(cfg Config) *Dispatcher {
	d := &Dispatcher{routing: cfg.Routing, receivers: cfg.Receivers, backoff: cfg.Backoff.withDefaults(),
		log: cfg.Logger, now: time.Now, sleep: sleep}
	if d.routing == nil {
		d.routing = DefaultRouting()
	}
	if d.log == nil {
		d.log = zap.NewNop()
	}
	for _, s := range cfg.Sinks {
		d.sinks = append(d.sinks, Target{Key: "sink/" + s.Name(), Notifier: s})
	}
	return d
}

// RepeatInterval is the routing's repeat interval, for State.Record.
func (d *Dispatcher) RepeatInterval() time.Duration { return d.routing.RepeatInterval }

// Send delivers the items of n, which State.Record handed out, and
// returns the items to pass to State.Notified — also when err is not nil:
// each with the targets that delivered it added to Delivered, and Partial
// set if some target still owes it. Items that no target delivered are
// left out (the state hands them out again once their lease ends).
// Exempted findings are never sent; they come back complete.
//
// Each target gets one message per change that opened (or resolved) its
// items, or one digest if n.Digest. Failures are retried with backoff
// while the notifier says retry and the deadline of ctx allows (give ctx a
// deadline shorter than the state's lease). retry reports whether some
// failure is worth retrying later (a redelivery of the event); err joins
// the failures, naming receiver and target, never a secret.
func (d *Dispatcher) Send(ctx context.Context, n alert.Notice) (delivered []alert.Item, retry bool, err error) {
	if len(n.Items) == 0 {
		return nil, false, nil
	}
	p := d.plan(n.Items)
	results := make([]jobResult, len(p.jobs))
	var wg sync.WaitGroup
	for i, j := range p.jobs {
		wg.Go(func() { results[i] = d.run(ctx, j, n) })
	}
	wg.Wait()
	return p.outcome(n.Items, results)
}

// plan is who needs to send what.
type plan struct {
	needs [][]string // per item: the target keys that still owe it
	jobs  []job      // per target: the items it owes
}

// job is one target's share of a notice.
type job struct {
	target   Target
	receiver string
	items    []int // indexes into the notice's items
}

// jobResult says which of a job's items were delivered.
type jobResult struct {
	delivered []int
	retry     bool
	err       error
}

// plan routes every item to its targets, skipping those in Delivered.
func (d *Dispatcher) plan(items []alert.Item) plan {
	p := plan{needs: make([][]string, len(items))}
	index := map[string]int{}
	add := func(i int, t Target, receiver string) {
		if slices.Contains(items[i].Delivered, t.Key) || slices.Contains(p.needs[i], t.Key) {
			return
		}
		j, ok := index[t.Key]
		if !ok {
			j = len(p.jobs)
			index[t.Key] = j
			p.jobs = append(p.jobs, job{target: t, receiver: receiver})
		}
		p.jobs[j].items = append(p.jobs[j].items, i)
		p.needs[i] = append(p.needs[i], t.Key)
	}
	for i, it := range items {
		if it.Finding.Exemption != nil {
			continue // never notified while exempt
		}
		for _, name := range d.routing.ReceiversOf(it.Finding) {
			for _, t := range d.receivers[name] {
				add(i, t, name)
			}
		}
		for _, t := range d.sinks {
			add(i, t, "sink")
		}
	}
	return p
}

// run sends a job's items, one message per group.
func (d *Dispatcher) run(ctx context.Context, j job, n alert.Notice) jobResult {
	var r jobResult
	var errs []error
	for _, g := range groups(n, j.items) {
		sub := alert.Notice{By: n.By, Digest: n.Digest, Items: make([]alert.Item, len(g))}
		for k, i := range g {
			sub.Items[k] = n.Items[i]
		}
		retry, err := d.attempt(ctx, j, sub)
		if err != nil {
			r.retry = r.retry || retry
			errs = append(errs, err)
			continue
		}
		r.delivered = append(r.delivered, g...)
	}
	r.err = errors.Join(errs...)
	return r
}

// outcome marks each item with the targets that delivered it.
func (p plan) outcome(items []alert.Item, results []jobResult) ([]alert.Item, bool, error) {
	newly := make([][]string, len(items))
	var retry bool
	var errs []error
	for k, r := range results {
		for _, i := range r.delivered {
			newly[i] = append(newly[i], p.jobs[k].target.Key)
		}
		retry = retry || r.retry
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	var out []alert.Item
	for i, it := range items {
		it.Partial = len(newly[i]) < len(p.needs[i])
		if it.Partial && len(newly[i]) == 0 {
			continue
		}
		it.Delivered = append(slices.Clone(it.Delivered), newly[i]...)
		out = append(out, it)
	}
	return out, retry, errors.Join(errs...)
}
