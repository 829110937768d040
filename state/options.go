package state

import "time"

// Defaults.
const (
	// DefaultLease is how long an item handed out by Record is reserved
	// for its sender: give Dispatcher.Send a deadline shorter than this.
	DefaultLease = 60 * time.Second
	// DefaultRetention is how long a resolved finding is kept (so that a
	// flapping drift is recognised) before it is deleted.
	DefaultRetention = 7 * 24 * time.Hour
)

const (
	// touchEvery is how stale LastSeen may get before a Record that only
	// re-found the finding writes it; it saves a write per open finding
	// per evaluation.
	touchEvery = 5 * time.Minute
	// maxAttempts bounds the re-read-and-retry loop of one row.
	maxAttempts = 8
	// gcBatch bounds the deletions one call makes.
	gcBatch = 50
	// eventGCEvery: every that many event claims, expired claims of the
	// claimed event's partition are deleted.
	eventGCEvery = 8
)

// Option configures a store.
type Option func(*options)

type options struct {
	lease     time.Duration
	retention time.Duration
}

func newOptions(opts []Option) options {
	o := options{lease: DefaultLease, retention: DefaultRetention}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithLease sets how long an item handed out by Record is reserved for its
// sender before it is handed out again (default DefaultLease).
func WithLease(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.lease = d
		}
	}
}

// WithRetention sets how long resolved findings and their records are
// kept (default DefaultRetention).
func WithRetention(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.retention = d
		}
	}
}
