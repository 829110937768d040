package pipeline

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/estate"
)

// The coalescer turns hints ("look at this VNet, because of this change")
// into evaluations, the way controller-runtime's queue turns events into
// reconciles:
//
//   - Hints gather until none has arrived for settle, or until the oldest
//     has waited window; then every hinted VNet that may start goes into
//     one batch (one read of the union of their neighbourhoods).
//   - A lone change does not wait: hints for at most lone VNets that
//     arrive while the coalescer is idle (nothing waiting, no batch
//     running) start a batch at once — unless the last batch was large
//     and ended less than settle ago: the callers it released are sending
//     the rest of a burst. Whatever arrives while a batch runs gathers as
//     above, so a burst costs at most one extra, small evaluation of its
//     first change; a large first delivery (many VNets: Event Grid batches
//     events only when they queue up) waits settle.
//   - One batch runs at a time (group commit): hints that arrive while it
//     runs go together into the next, which starts as soon as it ends.
//     Under a burst the number of batches follows how long a batch takes,
//     not how many events arrive; an idle pipeline starts at once.
//   - A VNet is evaluated at most once per window and is in at most one
//     evaluation at a time: hints for a VNet that was evaluated less than
//     window ago, or is being evaluated, wait and become one evaluation.
//     A VNet changed over and over (a hub whose spokes are being
//     re-peered, whose evaluation reads every spoke) costs one evaluation
//     per window, not one per change.
//   - A waiter (one Handle call) is released when, for each of its VNets,
//     an evaluation that started after the hint arrived has finished; it
//     gets those evaluations' errors.
type coalescer struct {
	window, settle time.Duration
	timeout        time.Duration
	lone           int // hints for at most this many VNets start at once when idle; 0: never
	work           func(context.Context, batch) error
	after          func(time.Duration, func()) (stop func() bool)
	now            func() time.Time

	ctx    context.Context // parent of every evaluation; cancelled by close
	cancel context.CancelFunc
	wg     sync.WaitGroup // running evaluations

	mu       sync.Mutex
	slots    map[estate.Key]*slot
	busy     bool      // a batch is running
	ended    time.Time // end of the last batch
	lastSize int       // VNets in the last batch
	lastHint time.Time
	stop     func() bool // the armed timer, nil if none
	gen      int         // identifies the armed timer
	closed   bool
}

// batch is one evaluation: the VNets to evaluate, in key order, and the
// latest change among the hints that asked for them.
type batch struct {
	vnets []string
	by    alert.Attribution
	// act is false when every change behind the batch was our own write:
	// the batch is evaluated and recorded but not remediated again.
	act bool
}

// hint asks for an evaluation of a VNet because of a change.
type hint struct {
	id  string
	by  alert.Attribution
	act bool // the change may be remediated (it is not our own write)
}

// slot is the coalescer's state of one VNet.
type slot struct {
	id      string
	running bool
	next    []*waiter // waiting for an evaluation that has not started
	since   time.Time // arrival of the oldest hint in next
	started time.Time // start of the last evaluation
	by      alert.Attribution
	act     bool // some hint in next may be remediated
	eager   bool // next came to an idle coalescer: start without settle
}

// waiter is one caller waiting for its VNets' evaluations.
type waiter struct {
	remaining int
	errs      []error
	done      chan struct{}
}

// errClosed is returned for hints that arrive, or still wait, at shutdown.
var errClosed = errors.New("pipeline is shutting down")

func newCoalescer(window, settle, timeout time.Duration, work func(context.Context, batch) error) *coalescer {
	ctx, cancel := context.WithCancel(context.Background())
	return &coalescer{
		window: window, settle: settle, timeout: timeout, work: work, lone: LoneChangeVNets,
		after: func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop },
		now:   time.Now,
		ctx:   ctx, cancel: cancel,
		slots: map[estate.Key]*slot{},
	}
}

// add registers hints, one per VNet, and returns the waiter to wait on.
func (c *coalescer) add(hints []hint) (*waiter, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errClosed
	}
	w := &waiter{remaining: len(hints), done: make(chan struct{})}
	now := c.now()
	eager := c.isLone(len(hints), now)
	for _, h := range hints {
		k := estate.KeyOf(h.id)
		s := c.slots[k]
		if s == nil {
			s = &slot{id: h.id}
			c.slots[k] = s
		}
		if len(s.next) == 0 {
			s.since, s.by, s.act, s.eager = now, h.by, h.act, eager
		} else {
			s.act = s.act || h.act
			if !h.by.EventTime.Before(s.by.EventTime) {
				s.by = h.by
			}
		}
		s.next = append(s.next, w)
	}
	c.lastHint = now
	c.schedule(now)
	return w, nil
}

// isLone reports whether hints for n VNets arriving now start at once:
// the change is small, the coalescer idle, and the last batch small or
// over for settle. The caller holds mu.
func (c *coalescer) isLone(n int, now time.Time) bool {
	if n > c.lone || c.busy || c.pending() {
		return false
	}
	return c.lastSize <= c.lone || now.Sub(c.ended) >= c.settle
}

// pending reports whether any hint waits for an evaluation that has not
// started. The caller holds mu.
func (c *coalescer) pending() bool {
	for _, s := range c.slots {
		if len(s.next) > 0 {
			return true
		}
	}
	return false
}

// schedule arms the timer for the slot that is due first. The caller
// holds mu.
func (c *coalescer) schedule(now time.Time) {
	var next time.Time
	for k, s := range c.slots {
		if len(s.next) == 0 && !s.running && now.Sub(s.started) >= c.window {
			delete(c.slots, k) // idle and no longer throttled
			continue
		}
		if due, ok := c.due(s); ok && (next.IsZero() || due.Before(next)) {
			next = due
		}
	}
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	if next.IsZero() || c.closed || c.busy {
		return // the running batch schedules again when it ends
	}
	c.gen++
	gen := c.gen
	c.stop = c.after(max(next.Sub(now), 0), func() { c.fire(gen, next) })
}

// due returns when a slot's evaluation may start: settle after the last
// hint (of any VNet) but no later than window after its oldest hint — at
// once if the hints came to an idle coalescer — and not before window
// after its last evaluation started. ok is false when the slot waits for
// nothing or for its running evaluation. The caller holds mu.
func (c *coalescer) due(s *slot) (time.Time, bool) {
	if len(s.next) == 0 || s.running {
		return time.Time{}, false
	}
	due := c.lastHint.Add(c.settle)
	if limit := s.since.Add(c.window); limit.Before(due) {
		due = limit
	}
	if s.eager {
		due = s.since
	}
	if free := c.free(s); free.After(due) {
		due = free
	}
	return due, true
}

// free returns when a slot's throttle ends: window after its last
// evaluation started (zero if never).
func (c *coalescer) free(s *slot) time.Time {
	if s.started.IsZero() {
		return time.Time{}
	}
	return s.started.Add(c.window)
}

// fire starts one batch at the time the timer was armed for. A batch that
// starts anyway takes every waiting slot that is neither running nor
// throttled, due or not: sharing the read is cheaper than a second one.
func (c *coalescer) fire(gen int, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.closed || c.busy {
		return // a later schedule replaced this timer
	}
	c.stop = nil
	var b batch
	taken := map[*slot][]*waiter{}
	now := c.now()
	for _, k := range slices.Sorted(maps.Keys(c.slots)) {
		s := c.slots[k]
		if len(s.next) == 0 || s.running || c.free(s).After(at) {
			continue
		}
		if len(taken) == 0 || !s.by.EventTime.Before(b.by.EventTime) {
			b.by = s.by
		}
		b.vnets = append(b.vnets, s.id)
		b.act = b.act || s.act
		taken[s], s.next, s.running, s.started, s.eager = s.next, nil, true, now, false
	}
	if len(taken) > 0 {
		c.busy = true
		c.wg.Add(1)
		go c.run(b, taken)
	}
	c.schedule(now)
}

// run evaluates a batch and releases its waiters.
func (c *coalescer) run(b batch, taken map[*slot][]*waiter) {
	defer c.wg.Done()
	ctx, cancel := context.WithTimeout(c.ctx, c.timeout)
	err := c.work(ctx, b)
	cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy, c.ended, c.lastSize = false, c.now(), len(b.vnets)
	covered := map[*waiter]int{}
	for s, ws := range taken {
		s.running = false
		for _, w := range ws {
			covered[w]++
		}
	}
	for w, n := range covered {
		w.finish(n, err)
	}
	c.schedule(c.now())
}

// finish records that n of the waiter's VNets were covered by an
// evaluation that ended with err. The caller holds the coalescer's mu.
func (w *waiter) finish(n int, err error) {
	if err != nil {
		w.errs = append(w.errs, err)
	}
	if w.remaining -= n; w.remaining == 0 {
		close(w.done)
	}
}

// err returns the joined errors of the waiter's evaluations; call it after
// done is closed.
func (w *waiter) err() error { return errors.Join(w.errs...) }

// close fails the waiting hints with errClosed, cancels running
// evaluations and waits for them to end.
func (c *coalescer) close() {
	c.mu.Lock()
	c.closed = true
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	abandoned := map[*waiter]int{}
	for k, s := range c.slots {
		for _, w := range s.next {
			abandoned[w]++
		}
		s.next = nil
		if !s.running {
			delete(c.slots, k)
		}
	}
	for w, n := range abandoned {
		w.finish(n, errClosed)
	}
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
}
