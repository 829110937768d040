package handler

import (
	"context"
	"errors"

	"github.com/vnetdrift/vnetdrift/eventgrid"
)

// Pipeline is what the handler hands work to. Implemented by package
// pipeline.
type Pipeline interface {
	// Handle processes changes synchronously enough to know whether they
	// can be acknowledged. A returned error wrapped with Transient means
	// "retry later" (the delivery is answered 500 and Event Grid
	// redelivers it); any other error is permanent (logged, answered 200).
	// The handler has already dropped validation, failed, non-network,
	// other-subscription and recently handled events. ctx carries the
	// invocation deadline (Config.Deadline); the handler answers 500 when
	// it passes even if Handle has not returned.
	Handle(ctx context.Context, changes []eventgrid.Change) error
	// Reconcile re-reads and re-evaluates the whole estate; errors are
	// classified as for Handle. ctx carries Config.ReconcileDeadline.
	Reconcile(ctx context.Context) error
}

// transientError marks an error as worth retrying.
type transientError struct{ err error }

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// Transient marks err as transient: the work can succeed if retried later
// (throttling, a timeout, a store that is down). Transient(nil) is nil.
func Transient(err error) error {
	if err == nil {
		return nil
	}
	return &transientError{err: err}
}

// IsTransient reports whether err, or an error it wraps, was marked with
// Transient.
func IsTransient(err error) bool {
	var t *transientError
	return errors.As(err, &t)
}

// shouldRetry reports whether a pipeline error asks for redelivery:
// transient errors and the invocation's own deadline or cancellation.
func shouldRetry(err error) bool {
	return IsTransient(err) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}
