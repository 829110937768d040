package eventgrid

import (
	"encoding/json"
	"errors"
	"fmt"
)

// EventError reports an event that could not be decoded. It names the event
// by its position in the batch and its id (when known) and the offending
// field as a JSON path such as "data.claims".
type EventError struct {
	Index int    // position in the batch; -1 for the single event of a Functions invocation
	ID    string // event id; "" when it could not be read
	Field string // JSON path of the offending field; "" when the event as a whole is bad
	Err   error
}

// Error returns e.g. `event 2 (id "abc"): field "data.claims": …`.
func (e *EventError) Error() string {
	msg := "event"
	if e.Index >= 0 {
		msg += fmt.Sprintf(" %d", e.Index)
	}
	if e.ID != "" {
		msg += fmt.Sprintf(" (id %q)", e.ID)
	}
	if e.Field != "" {
		msg += fmt.Sprintf(": field %q", e.Field)
	}
	return msg + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *EventError) Unwrap() error { return e.Err }

// fieldError is an error that knows which field it is about, relative to
// the object being decoded; eventError turns it into an EventError.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return fmt.Sprintf("field %q: %v", e.field, e.err) }
func (e *fieldError) Unwrap() error { return e.err }

func inField(field string, err error) error {
	var fe *fieldError
	if errors.As(err, &fe) {
		return &fieldError{field: field + "." + fe.field, err: fe.err}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return &fieldError{field: field + "." + te.Field, err: err}
	}
	return &fieldError{field: field, err: err}
}

// eventError wraps err as the EventError of event index/id, lifting the
// field path out of a fieldError or a json.UnmarshalTypeError.
func eventError(index int, id string, err error) *EventError {
	e := &EventError{Index: index, ID: id, Err: err}
	var fe *fieldError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &fe):
		e.Field, e.Err = fe.field, fe.err
	case errors.As(err, &te):
		e.Field = te.Field
	}
	return e
}
