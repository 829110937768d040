package handler

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/redact"
)

// Reasons an event is dropped, the label of vnetdrift_events_ignored_total.
const (
	ReasonValidation        = "validation"
	ReasonFailed            = "failed"
	ReasonNonNetwork        = "non_network"
	ReasonOtherSubscription = "other_subscription"
	ReasonDuplicate         = "duplicate"
)

// Failure reasons, the label of vnetdrift_events_failed_total.
const (
	FailMalformed = "malformed"
	FailPermanent = "permanent"
	FailTransient = "transient"
)

// invocationLog logs to zap and collects the lines returned to the
// Functions host in the response's Logs.
type invocationLog struct {
	log   *zap.Logger
	lines []string
}

func (l *invocationLog) warn(msg string, fields ...zap.Field) {
	l.log.Warn(msg, fields...)
	l.lines = append(l.lines, "warning: "+msg)
}

// error logs err with any credential it quotes redacted (see redact).
func (l *invocationLog) error(msg string, err error) {
	text := redact.String(err.Error())
	l.log.Error(msg, zap.String("error", text))
	l.lines = append(l.lines, "error: "+msg+": "+text)
}

// eventFields are the log fields naming a change.
func eventFields(c eventgrid.Change) []zap.Field {
	return []zap.Field{
		zap.String("event_id", c.EventID),
		zap.String("correlation_id", c.CorrelationID),
		zap.String("operation", c.OperationName),
		zap.String("resource_id", c.ResourceID()),
	}
}

// whyIgnore returns the reason and an explanation when c is to be
// dropped, or "" when the pipeline should handle it.
func (s *server) whyIgnore(c eventgrid.Change) (reason, detail string) {
	switch {
	case c.IsValidation():
		return ReasonValidation, "subscription validation event on the Functions route (the host validates subscriptions itself)"
	case !c.Succeeded():
		return ReasonFailed, fmt.Sprintf("operation did not succeed (%s, status %q)", c.EventType, c.Status)
	case !c.IsNetwork():
		return ReasonNonNetwork, fmt.Sprintf("operation %q is not one vnetdrift watches", c.OperationName)
	}
	if sub, other := s.otherSubscription(c); other {
		return ReasonOtherSubscription, fmt.Sprintf("subscription %q is not configured", sub)
	}
	if s.seen.contains(c.EventID) {
		return ReasonDuplicate, "already handled recently"
	}
	return "", ""
}

// otherSubscription returns a subscription of c that is not configured
// and true, or false when all are (or none is configured). Both the one
// the event names and that of the changed resource count: the pipeline
// reads the resource, so data.subscriptionId alone must not let a
// resource of another subscription through.
func (s *server) otherSubscription(c eventgrid.Change) (string, bool) {
	if len(s.subs) == 0 {
		return "", false
	}
	for _, id := range []string{c.SubscriptionID, estate.SubscriptionOf(c.ResourceID())} {
		if !s.subs[strings.ToLower(id)] {
			return id, true
		}
	}
	return "", false
}

// handle drops what is not to be handled, passes the rest to the pipeline
// within the deadline and, once it succeeded, remembers their IDs. It
// returns how many changes went to the pipeline and the pipeline's error.
func (s *server) handle(ctx context.Context, il *invocationLog, changes []eventgrid.Change) (int, error) {
	var keep []eventgrid.Change
	inBatch := map[string]bool{}
	for _, c := range changes {
		reason, detail := s.whyIgnore(c)
		if reason == "" && inBatch[c.EventID] {
			reason, detail = ReasonDuplicate, "repeated in the same delivery"
		}
		if reason != "" {
			s.m.EventIgnored(reason)
			il.warn(fmt.Sprintf("ignored event %s: %s", c.EventID, detail), eventFields(c)...)
			continue
		}
		inBatch[c.EventID] = true
		keep = append(keep, c)
	}
	if len(keep) == 0 {
		return 0, nil
	}
	err := runWithin(ctx, s.cfg.Deadline, "handling events", func(ctx context.Context) error {
		return s.p.Handle(ctx, keep)
	})
	if err != nil {
		fail := FailPermanent
		if shouldRetry(err) {
			fail = FailTransient
		}
		for range keep {
			s.m.EventFailed(fail)
		}
		return len(keep), err
	}
	ids := make([]string, len(keep))
	for i, c := range keep {
		ids[i] = c.EventID
		il.log.Info("handled event", eventFields(c)...)
	}
	s.seen.add(ids...)
	return len(keep), nil
}

// answer maps a pipeline error to the status of the reply: 500 asks for
// redelivery; a permanent error is logged and acknowledged with 200.
func answer(il *invocationLog, err error) int {
	switch {
	case err == nil:
		return 200
	case shouldRetry(err):
		il.error("failed, to be retried", err)
		return 500
	default:
		il.error("failed permanently, not retried", err)
		return 200
	}
}

// runWithin runs f with a deadline and returns its error, or the
// deadline's error as soon as the deadline passes even if f ignores ctx.
// A panic in f becomes a (permanent) error.
func runWithin(ctx context.Context, d time.Duration, what string, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("%s: panic: %v", what, r)
			}
		}()
		done <- f(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		select {
		case err := <-done: // finished at the deadline: take its result
			return err
		default:
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
	}
}
