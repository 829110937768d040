package handler

import (
	"container/list"
	"sync"
	"time"
)

// seenIDs remembers recently handled event IDs: at most size of them, each
// for window. It is safe for concurrent use.
type seenIDs struct {
	mu     sync.Mutex
	size   int
	window time.Duration
	now    func() time.Time
	order  *list.List // of *seenEntry, most recently added at the front
	index  map[string]*list.Element
}

type seenEntry struct {
	id string
	at time.Time
}

func newSeenIDs(size int, window time.Duration, now func() time.Time) *seenIDs {
	return &seenIDs{size: size, window: window, now: now, order: list.New(), index: map[string]*list.Element{}}
}

// contains reports whether id was added within the window.
func (s *seenIDs) contains(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.index[id]
	if !ok {
		return false
	}
	if s.now().Sub(e.Value.(*seenEntry).at) > s.window {
		s.remove(e)
		return false
	}
	return true
}

// add records ids as handled now, evicting expired and, beyond size, the
// oldest entries.
func (s *seenIDs) add(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, id := range ids {
		if e, ok := s.index[id]; ok {
			e.Value.(*seenEntry).at = now
			s.order.MoveToFront(e)
			continue
		}
		s.index[id] = s.order.PushFront(&seenEntry{id: id, at: now})
	}
	for e := s.order.Back(); e != nil && (s.order.Len() > s.size || now.Sub(e.Value.(*seenEntry).at) > s.window); e = s.order.Back() {
		s.remove(e)
	}
}

func (s *seenIDs) remove(e *list.Element) {
	delete(s.index, e.Value.(*seenEntry).id)
	s.order.Remove(e)
}
