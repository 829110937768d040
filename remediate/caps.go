package remediate

import (
	"sync"
	"time"
)

// budget is the rolling per-hour write cap of an Executor.
type budget struct {
	mu      sync.Mutex
	perHour int
	writes  []time.Time // times of the writes of the last hour, oldest first
}

// take reserves one write at now; false when the last hour already holds
// perHour writes.
func (b *budget) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	cut := 0
	for cut < len(b.writes) && now.Sub(b.writes[cut]) >= time.Hour {
		cut++
	}
	b.writes = b.writes[cut:]
	if len(b.writes) >= b.perHour {
		return false
	}
	b.writes = append(b.writes, now)
	return true
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
