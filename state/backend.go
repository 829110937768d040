package state

import (
	"context"
	"errors"
)

// backend stores rows with the Table's concurrency rules: insert fails if
// the row exists, replace and remove are conditional on the row's ETag.
type backend interface {
	// list returns the rows of partition pk, or every finding row if pk
	// is "".
	list(ctx context.Context, pk string) ([]row, error)
	// expired returns up to limit rows of partition pk whose Expires is
	// set and sorts before before.
	expired(ctx context.Context, pk, before string, limit int) ([]row, error)
	// get returns one row; errNotFound if there is none.
	get(ctx context.Context, pk, rk string) (row, error)
	// insert adds r and returns it with its ETag; errConflict if the row
	// exists.
	insert(ctx context.Context, r row) (row, error)
	// replace overwrites r if its ETag still matches and returns it with
	// the new ETag; errPrecondition if the row changed, errNotFound if it
	// is gone.
	replace(ctx context.Context, r row) (row, error)
	// remove deletes r if its ETag still matches; a row that changed or is
	// gone is left alone without error.
	remove(ctx context.Context, r row) error
	// parallelism is how many calls are worth making at once.
	parallelism() int
}

// Backend outcomes the engine handles.
var (
	errNotFound     = errors.New("not found")
	errConflict     = errors.New("already exists")
	errPrecondition = errors.New("changed since read")
)

// errContention is returned when a row keeps changing under a writer.
var errContention = errors.New("gave up after repeated concurrent updates")
