package state

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ClaimEvent implements alert.State.
func (s *store) ClaimEvent(ctx context.Context, eventID string, now time.Time, ttl time.Duration) (bool, error) {
	pk, rk := eventKeys(eventID)
	claim := row{PartitionKey: pk, RowKey: rk, Kind: kindEvent, Expires: formatTime(now.Add(ttl))}
	for range maxAttempts {
		_, err := s.b.insert(ctx, claim)
		if err == nil {
			if s.claims.Add(1)%eventGCEvery == 0 {
				s.collectEvents(ctx, pk, now)
			}
			return true, nil
		}
		if !errors.Is(err, errConflict) {
			return false, fmt.Errorf("claiming event %q in %s: %w", eventID, s.name, err)
		}
		held, err := s.b.get(ctx, pk, rk)
		switch {
		case errors.Is(err, errNotFound):
			continue // deleted meanwhile: insert again
		case err != nil:
			return false, fmt.Errorf("claiming event %q in %s: %w", eventID, s.name, err)
		case held.Expires > formatTime(now):
			return false, nil
		}
		claim.ETag = held.ETag
		_, err = s.b.replace(ctx, claim)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, errPrecondition):
			return false, nil // another instance renewed the expired claim first
		case !errors.Is(err, errNotFound):
			return false, fmt.Errorf("claiming event %q in %s: %w", eventID, s.name, err)
		}
	}
	return false, fmt.Errorf("claiming event %q in %s: %w", eventID, s.name, errContention)
}

// collectEvents deletes expired event claims of one partition.
func (s *store) collectEvents(ctx context.Context, pk string, now time.Time) {
	rows, err := s.b.expired(ctx, pk, formatTime(now), gcBatch)
	if err == nil {
		s.collect(ctx, rows)
	}
}
