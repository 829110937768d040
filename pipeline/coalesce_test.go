package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
)

// manualTimer stands in for time.AfterFunc: the test decides when the
// armed function runs.
type manualTimer struct {
	mu    sync.Mutex
	f     func()
	d     time.Duration
	armed int // how many times a timer was armed
}

func (m *manualTimer) after(d time.Duration, f func()) func() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.f, m.d = f, d
	m.armed++
	return func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.f = nil
		return true
	}
}

// fire runs the armed function, if any, and reports whether there was one.
func (m *manualTimer) fire() bool {
	m.mu.Lock()
	f := m.f
	m.f = nil
	m.mu.Unlock()
	if f != nil {
		f()
	}
	return f != nil
}

// armedFor returns the delay of the last timer armed.
func (m *manualTimer) armedFor() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.d
}

// fireUntilDone fires armed timers until w is released: an evaluation
// that ends may re-arm the timer between the test taking one and firing
// it, and the coalescer ignores a replaced timer.
func (m *manualTimer) fireUntilDone(t *testing.T, w *waiter) {
	t.Helper()
	require.Eventually(t, func() bool {
		m.fire()
		return isDone(w)
	}, 10*time.Second, time.Millisecond)
}

func (m *manualTimer) isArmed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.f != nil
}

// recorder is the coalescer's work: it records batches, tracks how many
// evaluations of each VNet run at once, and can hold or fail evaluations.
type recorder struct {
	mu          sync.Mutex
	batches     [][]string
	by          []alert.Attribution
	inFlight    map[string]int
	maxInFlight int
	hold        map[string]chan struct{} // evaluation of a batch holding this VNet waits for the channel
	fail        map[string]error
}

func newRecorder() *recorder {
	return &recorder{inFlight: map[string]int{}, hold: map[string]chan struct{}{}, fail: map[string]error{}}
}

func (r *recorder) work(_ context.Context, b batch) error {
	r.mu.Lock()
	r.batches = append(r.batches, b.vnets)
	r.by = append(r.by, b.by)
	var wait []chan struct{}
	var err error
	for _, v := range b.vnets {
		r.inFlight[v]++
		r.maxInFlight = max(r.maxInFlight, r.inFlight[v])
		if ch := r.hold[v]; ch != nil {
			wait = append(wait, ch)
			delete(r.hold, v)
		}
		if e := r.fail[v]; e != nil {
			err = e
		}
	}
	r.mu.Unlock()
	for _, ch := range wait {
		<-ch
	}
	r.mu.Lock()
	for _, v := range b.vnets {
		r.inFlight[v]--
	}
	r.mu.Unlock()
	return err
}

// holdNext makes the next evaluation of vnet wait until release is
// called; the test's cleanup releases it too, so a failing test does not
// hang in the coalescer's close.
func (r *recorder) holdNext(t *testing.T, vnet string) (release func()) {
	ch := make(chan struct{})
	r.mu.Lock()
	r.hold[vnet] = ch
	r.mu.Unlock()
	var once sync.Once
	release = func() { once.Do(func() { close(ch) }) }
	t.Cleanup(release)
	return release
}

func (r *recorder) snapshot() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]string(nil), r.batches...)
}

// fakeClock is the coalescer's clock in tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t
}

var clockStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newTestCoalescer(t *testing.T, r *recorder) (*coalescer, *manualTimer, *fakeClock) {
	t.Helper()
	c := newCoalescer(250*time.Millisecond, 10*time.Millisecond, time.Minute, r.work)
	mt := &manualTimer{}
	clock := &fakeClock{t: clockStart}
	c.after, c.now = mt.after, clock.now
	t.Cleanup(c.close)
	return c, mt, clock
}

// quiesce waits until the coalescer is not inside a locked section, e.g.
// the end of run after a waiter was released.
func (c *coalescer) quiesce() {
	c.mu.Lock()
	defer c.mu.Unlock()
}

// waiting returns how many hints wait for an evaluation that has not started.
func (c *coalescer) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.slots {
		n += len(s.next)
	}
	return n
}

func vnetN(i int) string {
	return fmt.Sprintf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-%02d", i)
}

func isDone(w *waiter) bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

func TestCoalescerManyHintsOneEvaluation(t *testing.T) {
	r := newRecorder()
	c, mt, _ := newTestCoalescer(t, r)
	const callers, vnets = 100, 10
	errs := make(chan error, callers)
	for i := range callers {
		go func() {
			w, err := c.add([]hint{{id: vnetN(i % vnets)}})
			if err == nil {
				<-w.done
				err = w.err()
			}
			errs <- err
		}()
	}
	require.Eventually(t, func() bool { return c.waiting() == callers }, 10*time.Second, time.Millisecond)
	require.True(t, mt.fire())
	for range callers {
		require.NoError(t, <-errs)
	}
	batches := r.snapshot()
	require.Len(t, batches, 1, "one evaluation for every hint")
	want := make([]string, vnets)
	for i := range want {
		want[i] = vnetN(i)
	}
	assert.Equal(t, want, batches[0], "each VNet once, in key order")
	assert.False(t, mt.isArmed(), "nothing left to schedule")
}

func TestCoalescerSingleFlight(t *testing.T) {
	r := newRecorder()
	c, mt, _ := newTestCoalescer(t, r)
	a, b := vnetN(1), vnetN(2)
	release := r.holdNext(t, a)

	w1, err := c.add([]hint{{id: a}})
	require.NoError(t, err)
	require.True(t, mt.fire()) // evaluation 1 of a starts and blocks
	require.Eventually(t, func() bool { return len(r.snapshot()) == 1 }, 10*time.Second, time.Millisecond)

	w2, err := c.add([]hint{{id: a}}) // arrives while a is evaluated
	require.NoError(t, err)
	w3, err := c.add([]hint{{id: b}})
	require.NoError(t, err)
	assert.False(t, mt.isArmed(), "one batch at a time: the next waits for the running one")

	release()
	<-w1.done
	assert.False(t, isDone(w2), "a hint that arrived during an evaluation waits for the next one")
	mt.fireUntilDone(t, w3)
	assert.Equal(t, [][]string{{a}, {b}}, r.snapshot()[:2], "b goes first: a was evaluated less than window ago")
	mt.fireUntilDone(t, w2)
	assert.Equal(t, [][]string{{a}, {b}, {a}}, r.snapshot())
	assert.Equal(t, 1, r.maxInFlight, "never two evaluations of one VNet at once")
	for _, w := range []*waiter{w1, w2, w3} {
		assert.NoError(t, w.err())
	}
}

func TestCoalescerGroupCommit(t *testing.T) {
	r := newRecorder()
	c, mt, _ := newTestCoalescer(t, r)
	release := r.holdNext(t, vnetN(0))
	first, err := c.add([]hint{{id: vnetN(0)}})
	require.NoError(t, err)
	require.True(t, mt.fire())
	var ws []*waiter
	for i := 1; i <= 20; i++ { // arrive while the first batch runs
		w, err := c.add([]hint{{id: vnetN(i)}})
		require.NoError(t, err)
		ws = append(ws, w)
	}
	release()
	<-first.done
	for _, w := range ws {
		mt.fireUntilDone(t, w)
	}
	batches := r.snapshot()
	require.Len(t, batches, 2, "everything that arrived during a batch goes into the next")
	assert.Len(t, batches[1], 20)
}

func TestCoalescerSchedule(t *testing.T) {
	r := newRecorder()
	c, mt, clock := newTestCoalescer(t, r)
	c.lone = 0 // settle and window alone; coalesce_lone_test.go covers lone changes
	_, err := c.add([]hint{{id: vnetN(1)}})
	require.NoError(t, err)
	assert.Equal(t, 10*time.Millisecond, mt.armedFor(), "a lone hint waits settle")

	for _, at := range []time.Duration{5, 100, 245} { // a steady trickle keeps resetting settle...
		clock.set(clockStart.Add(at * time.Millisecond))
		_, err := c.add([]hint{{id: vnetN(int(at))}})
		require.NoError(t, err)
	}
	assert.Equal(t, 5*time.Millisecond, mt.armedFor(), "...but never past window after the oldest hint")

	clock.set(clockStart.Add(300 * time.Millisecond))
	_, err = c.add([]hint{{id: vnetN(2)}})
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), mt.armedFor(), "overdue: start at once")
	require.True(t, mt.fire())
	require.Eventually(t, func() bool { return len(r.snapshot()) == 1 }, 10*time.Second, time.Millisecond)
	assert.Len(t, r.snapshot()[0], 5)
}

func TestCoalescerAttributionIsLatestChange(t *testing.T) {
	r := newRecorder()
	c, mt, _ := newTestCoalescer(t, r)
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	hints := []hint{
		{id: vnetN(1), by: alert.Attribution{EventID: "mid", EventTime: t0.Add(time.Second)}},
		{id: vnetN(2), by: alert.Attribution{EventID: "latest", EventTime: t0.Add(2 * time.Second)}},
		{id: vnetN(1), by: alert.Attribution{EventID: "early", EventTime: t0}},
	}
	var ws []*waiter
	for _, h := range hints {
		w, err := c.add([]hint{h})
		require.NoError(t, err)
		ws = append(ws, w)
	}
	require.True(t, mt.fire())
	for _, w := range ws {
		<-w.done
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Len(t, r.by, 1)
	assert.Equal(t, "latest", r.by[0].EventID)
}

func TestCoalescerErrors(t *testing.T) {
	r := newRecorder()
	c, mt, _ := newTestCoalescer(t, r)
	boom := errors.New("ARM is down")
	a, b := vnetN(1), vnetN(2)
	r.fail[b] = boom
	release := r.holdNext(t, a)

	first, err := c.add([]hint{{id: a}})
	require.NoError(t, err)
	require.True(t, mt.fire()) // a runs (held)
	require.Eventually(t, func() bool { return len(r.snapshot()) == 1 }, 10*time.Second, time.Millisecond)
	both, err := c.add([]hint{{id: a}, {id: b}}) // a must wait; b runs and fails
	require.NoError(t, err)
	release()
	<-first.done
	mt.fireUntilDone(t, both)
	require.NoError(t, first.err())
	assert.ErrorIs(t, both.err(), boom, "a caller gets the error of every evaluation of its VNets")
}

func TestCoalescerClose(t *testing.T) {
	r := newRecorder()
	c := newCoalescer(time.Hour, time.Hour, time.Minute, r.work)
	c.lone = 0 // the hint waits (an hour) instead of starting at once
	w, err := c.add([]hint{{id: vnetN(1)}})
	require.NoError(t, err)
	c.close()
	<-w.done
	assert.ErrorIs(t, w.err(), errClosed)
	_, err = c.add([]hint{{id: vnetN(1)}})
	assert.ErrorIs(t, err, errClosed)
	assert.Empty(t, r.snapshot())
}

func TestCoalescerThrottlesAVNetToOneEvaluationPerWindow(t *testing.T) {
	r := newRecorder()
	c, mt, clock := newTestCoalescer(t, r)
	a, b := vnetN(1), vnetN(2)
	w, err := c.add([]hint{{id: a}})
	require.NoError(t, err)
	require.True(t, mt.fire())
	<-w.done // a's first evaluation is over
	c.quiesce()

	clock.set(clockStart.Add(20 * time.Millisecond))
	wa, err := c.add([]hint{{id: a}})
	require.NoError(t, err)
	wb, err := c.add([]hint{{id: b}})
	require.NoError(t, err)
	assert.Equal(t, 10*time.Millisecond, mt.armedFor(), "b, never evaluated, waits only settle")
	require.True(t, mt.fire())
	<-wb.done
	c.quiesce()
	assert.False(t, isDone(wa))
	assert.Equal(t, [][]string{{a}, {b}}, r.snapshot(), "a is throttled")
	assert.Equal(t, 230*time.Millisecond, mt.armedFor(), "a waits until window after its last evaluation")

	clock.set(clockStart.Add(250 * time.Millisecond))
	mt.fireUntilDone(t, wa)
	assert.Equal(t, [][]string{{a}, {b}, {a}}, r.snapshot())
}
