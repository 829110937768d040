package teams

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// limiter spaces posts to one webhook. Every Notifier of the process that
// posts to the same URL shares one (limiters is keyed by the URL's hash),
// so several routes to one channel still post at most once per interval.
type limiter struct {
	mu   sync.Mutex
	next time.Time // earliest time of the next post
}

var limiters sync.Map // [sha256.Size]byte → *limiter

func limiterFor(url string) *limiter {
	l, _ := limiters.LoadOrStore(sha256.Sum256([]byte(url)), &limiter{})
	return l.(*limiter)
}

// reserve books the next slot at or after now and returns how long to
// wait for it; the slot after it starts interval later.
func (l *limiter) reserve(now time.Time, interval time.Duration) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := now
	if l.next.After(now) {
		at = l.next
	}
	l.next = at.Add(interval)
	return at.Sub(now)
}

// holdUntil keeps every post back until t, after a 429 with Retry-After.
func (l *limiter) holdUntil(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.next) {
		l.next = t
	}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
