package channel

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Reason classifies a failed send, for metrics and logs (Alertmanager's
// failure reasons).
type Reason int

// Reasons.
const (
	ReasonOther       Reason = iota // unclassified
	ReasonClientError               // HTTP 4xx other than auth and rate limit
	ReasonAuthError                 // HTTP 401/403, SMTP AUTH rejected
	ReasonRateLimited               // HTTP 429
	ReasonServerError               // HTTP 5xx
	ReasonNetwork                   // dial, TLS, timeout, connection reset
	ReasonConfig                    // bad configuration or an unrenderable message
)

// String returns the reason's metric label.
func (r Reason) String() string {
	switch r {
	case ReasonClientError:
		return "clientError"
	case ReasonAuthError:
		return "authError"
	case ReasonRateLimited:
		return "rateLimited"
	case ReasonServerError:
		return "serverError"
	case ReasonNetwork:
		return "network"
	case ReasonConfig:
		return "config"
	}
	return "other"
}

// ReasonOf returns the reason of the first *Error in err's chain, or
// ReasonOther.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ReasonOther
}

// Error is a failed send. It implements RetryAfter() time.Duration, which
// the dispatcher finds with errors.As on an interface with that method.
type Error struct {
	Reason     Reason
	StatusCode int           // HTTP status, 0 if none
	After      time.Duration // the server's Retry-After, 0 if none
	Err        error
}

// Error returns the wrapped error's text.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *Error) Unwrap() error { return e.Err }

// RetryAfter returns how long the server asked us to wait (0: no advice).
func (e *Error) RetryAfter() time.Duration { return e.After }

// RetryAfter parses a Retry-After header (delay-seconds or an HTTP date,
// relative to now); 0 when it is absent, malformed or in the past.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// StripURL returns err without the URL a *url.Error carries (a webhook URL
// holds its signature), keeping the operation and the cause.
func StripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s request: %w", ue.Op, ue.Err)
	}
	return err
}
