package remediate

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Budget is the per-hour write cap (Policy.MaxWritesPerHour). Take
// reserves one write at now and reports false when the last hour already
// holds the cap. The default is per process; SharedBudget shares it
// between instances.
type Budget interface {
	Take(ctx context.Context, now time.Time) (bool, error)
}

// memoryBudget is the rolling per-hour write cap of one process.
type memoryBudget struct {
	mu      sync.Mutex
	perHour int
	writes  []time.Time // times of the writes of the last hour, oldest first
}

// Take implements Budget.
func (b *memoryBudget) Take(_ context.Context, now time.Time) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cut := 0
	for cut < len(b.writes) && now.Sub(b.writes[cut]) >= time.Hour {
		cut++
	}
	b.writes = b.writes[cut:]
	if len(b.writes) >= b.perHour {
		return false, nil
	}
	b.writes = append(b.writes, now)
	return true, nil
}

// ClaimFunc claims an ID for ttl across instances; it reports false when
// the ID is already claimed (alert.State.ClaimEvent has this shape).
type ClaimFunc func(ctx context.Context, id string, now time.Time, ttl time.Duration) (bool, error)

// SharedBudget is a per-hour cap shared by every instance that claims
// through the same store: a write takes the first free one of perHour
// slots, each held for an hour.
func SharedBudget(claim ClaimFunc, perHour int) Budget {
	return sharedBudget{claim: claim, perHour: perHour}
}

type sharedBudget struct {
	claim   ClaimFunc
	perHour int
}

// Take implements Budget.
func (b sharedBudget) Take(ctx context.Context, now time.Time) (bool, error) {
	for i := range b.perHour {
		ok, err := b.claim(ctx, fmt.Sprintf("vnetdrift-write-slot-%d", i), now, time.Hour)
		if err != nil {
			return false, fmt.Errorf("taking a write slot of the hourly cap: %w", err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// vnetLocks serializes the writes that lock the same VNet, across Apply calls.
type vnetLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// lock locks key and returns its unlock function.
func (l *vnetLocks) lock(key string) func() {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*sync.Mutex{}
	}
	m := l.locks[key]
	if m == nil {
		m = &sync.Mutex{}
		l.locks[key] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}
