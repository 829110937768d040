package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
)

// Backoff is the retry policy of one message to one target: waits double
// from Initial up to Max, for at most Attempts attempts, and never past
// the deadline of the context.
type Backoff struct {
	Initial  time.Duration // default 1 s
	Max      time.Duration // default 16 s; a longer Retry-After ends the attempts
	Attempts int           // default 5
}

// Backoff defaults.
const (
	DefaultInitialBackoff = time.Second
	DefaultMaxBackoff     = 16 * time.Second
	DefaultAttempts       = 5
)

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = DefaultInitialBackoff
	}
	if b.Max <= 0 {
		b.Max = DefaultMaxBackoff
	}
	if b.Attempts <= 0 {
		b.Attempts = DefaultAttempts
	}
	return b
}

// retryAfterError is how a notifier's error carries the server's
// Retry-After.
type retryAfterError interface {
	RetryAfter() time.Duration
}

// attempt delivers one message to one target: the retry stage. It stops
// at once on success or on a failure the notifier calls permanent; it
// logs a failure only when its text changed since the previous attempt.
func (d *Dispatcher) attempt(ctx context.Context, j job, n alert.Notice) (retry bool, err error) {
	wait := d.backoff.Initial
	last := ""
	for attempt := 1; ; attempt++ {
		retry, err := j.target.Notifier.Notify(ctx, n)
		if err == nil {
			return false, nil
		}
		if msg := err.Error(); msg != last {
			last = msg
			d.log.Warn("notification failed", zap.String("receiver", j.receiver), zap.String("target", j.target.Key),
				zap.String("channel", j.target.Notifier.Name()), zap.Int("attempt", attempt), zap.Bool("retry", retry), zap.Error(err))
		}
		err = fmt.Errorf("receiver %s, target %s (%s), attempt %d: %w", j.receiver, j.target.Key, j.target.Notifier.Name(), attempt, err)
		if !retry || attempt >= d.backoff.Attempts {
			return retry, err
		}
		delay := max(wait, retryAfter(err))
		if delay > d.backoff.Max || !d.fits(ctx, delay) {
			return true, err
		}
		if d.sleep(ctx, delay) != nil {
			return true, err
		}
		wait = min(2*wait, d.backoff.Max)
	}
}

// fits reports whether waiting delay still leaves the deadline of ctx
// ahead.
func (d *Dispatcher) fits(ctx context.Context, delay time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || d.now().Add(delay).Before(deadline)
}

// retryAfter returns the Retry-After an error carries, 0 if none.
func retryAfter(err error) time.Duration {
	var ra retryAfterError
	if errors.As(err, &ra) {
		return ra.RetryAfter()
	}
	return 0
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
