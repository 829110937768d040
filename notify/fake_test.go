package notify

import (
	"context"
	"sync"
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
)

// fake is a scripted notifier: it records every notice and answers from
// its script, then succeeds.
type fake struct {
	name    string
	mu      sync.Mutex
	script  []outcome
	notices []alert.Notice
}

// outcome is one scripted answer.
type outcome struct {
	retry bool
	err   error
}

func (f *fake) Name() string { return f.name }

func (f *fake) Notify(_ context.Context, n alert.Notice) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notices = append(f.notices, n)
	if len(f.script) == 0 {
		return false, nil
	}
	o := f.script[0]
	f.script = f.script[1:]
	return o.retry, o.err
}

// sent returns, per notice, the fingerprints of its items.
func (f *fake) sent() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := [][]string{}
	for _, n := range f.notices {
		var fps []string
		for _, it := range n.Items {
			fps = append(fps, it.Finding.Rule)
		}
		out = append(out, fps)
	}
	return out
}

// failing returns a script of n identical failures.
func failing(n int, retry bool, err error) []outcome {
	out := make([]outcome, n)
	for i := range out {
		out[i] = outcome{retry, err}
	}
	return out
}

// clock is a fake clock whose sleeps advance it at once and are recorded.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

// withClock makes d use a fake clock starting now.
func withClock(d *Dispatcher) *clock {
	c := &clock{now: time.Now()}
	d.now, d.sleep = c.Now, c.Sleep
	return c
}
