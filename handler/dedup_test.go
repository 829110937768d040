package handler

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// clock is a manual clock for seenIDs.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestSeenIDsWindow(t *testing.T) {
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := newSeenIDs(10, 10*time.Minute, c.now)
	assert.False(t, s.contains("a"))
	s.add("a")
	assert.True(t, s.contains("a"))
	c.advance(10 * time.Minute)
	assert.True(t, s.contains("a"), "still inside the window")
	c.advance(time.Nanosecond)
	assert.False(t, s.contains("a"), "expired")
	assert.Equal(t, 0, s.order.Len(), "expired entry dropped")
}

func TestSeenIDsReAddRefreshes(t *testing.T) {
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := newSeenIDs(10, time.Minute, c.now)
	s.add("a")
	c.advance(50 * time.Second)
	s.add("a")
	c.advance(50 * time.Second)
	assert.True(t, s.contains("a"))
	assert.Equal(t, 1, s.order.Len())
}

func TestSeenIDsEvictsOldestBeyondSize(t *testing.T) {
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := newSeenIDs(3, time.Hour, c.now)
	s.add("a", "b", "c")
	s.add("a") // refresh a: b is now the oldest
	s.add("d")
	assert.False(t, s.contains("b"))
	for _, id := range []string{"a", "c", "d"} {
		assert.True(t, s.contains(id), id)
	}
	assert.Equal(t, 3, s.order.Len())
	assert.Len(t, s.index, 3)
}

func TestSeenIDsAddDropsExpired(t *testing.T) {
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := newSeenIDs(100, time.Minute, c.now)
	s.add("a", "b")
	c.advance(2 * time.Minute)
	s.add("c")
	assert.Equal(t, 1, s.order.Len())
}

func BenchmarkSeenIDs(b *testing.B) {
	s := newSeenIDs(DefaultDedupSize, DefaultDedupWindow, time.Now)
	ids := make([]string, 2*DefaultDedupSize)
	for i := range ids {
		ids[i] = fmt.Sprintf("8c1bd5b0-3c1f-4c6e-9a3e-%012d", i)
	}
	i := 0
	for b.Loop() {
		id := ids[i%len(ids)]
		if !s.contains(id) {
			s.add(id)
		}
		i++
	}
}
