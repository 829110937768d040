// Package teams posts drift notices to a Microsoft Teams Workflows webhook
// as one Adaptive Card 1.4 per notice: every finding of one change in one
// card, a short card for resolved drifts, a digest card for the reconcile
// sweep, never more than MaxPayloadBytes ("+N more" past that).
//
// # Retries
//
// Notify returns retry=true for 408, 429, 5xx and network errors and
// retry=false for every other failure (400, 401, 404, 413: a new attempt
// gets the same answer). A failure is a *channel.Error whose method
//
//	RetryAfter() time.Duration
//
// returns the server's Retry-After (0 when it sent none); the dispatcher
// finds it with errors.As on any interface with that method, such as
// RetryAfterError.
//
// # Secrets
//
// The webhook URL carries the signature that authorizes posts. It is a
// Secret, is never logged, and errors name only its host.
package teams

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
)

// RetryAfterError is implemented by the errors of Notify that carry the
// server's advice on when to try again.
type RetryAfterError interface {
	error
	RetryAfter() time.Duration
}

// Notifier posts cards to one webhook. It is safe for concurrent use.
type Notifier struct {
	cfg     Config
	host    string // the URL's host: the only part of it that errors name
	limiter *limiter
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
}

var _ alert.Notifier = (*Notifier)(nil)

// New checks cfg and returns a Notifier.
func New(cfg Config) (*Notifier, error) {
	u, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return &Notifier{cfg: cfg, host: u.Host, limiter: limiterFor(cfg.URL.Reveal()), now: time.Now, sleep: sleep}, nil
}

// Name returns the configured channel name ("teams" by default).
func (n *Notifier) Name() string { return n.cfg.Name }

// Notify posts one card for the notice. A notice without items sends
// nothing, except a digest.
func (n *Notifier) Notify(ctx context.Context, ns alert.Notice) (retry bool, err error) {
	if len(ns.Items) == 0 && !ns.Digest {
		return false, nil
	}
	body, err := Payload(ns, n.cfg.PortalBaseURL)
	if err != nil {
		return false, &channel.Error{Reason: channel.ReasonConfig, Err: fmt.Errorf("teams: %w", err)}
	}
	if n.cfg.MinInterval > 0 {
		if err := n.sleep(ctx, n.limiter.reserve(n.now(), n.cfg.MinInterval)); err != nil {
			return true, &channel.Error{Reason: channel.ReasonNetwork, Err: fmt.Errorf("teams: waiting to post to %s: %w", n.host, err)}
		}
	}
	status, retry, err := n.post(ctx, body)
	if err != nil {
		return retry, err
	}
	n.cfg.Logger.Debug("posted Teams card", zap.String("channel", n.cfg.Name), zap.String("host", n.host),
		zap.Int("status", status), zap.Int("bytes", len(body)), zap.Int("items", len(ns.Items)))
	return false, nil
}

// post sends body and classifies the answer; err is nil only on 2xx.
func (n *Notifier) post(ctx context.Context, body []byte) (status int, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.cfg.URL.Reveal(), bytes.NewReader(body))
	if err != nil {
		return 0, false, &channel.Error{Reason: channel.ReasonConfig, Err: fmt.Errorf("teams: building request to %s: %w", n.host, channel.StripURL(err))}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := n.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, true, &channel.Error{Reason: channel.ReasonNetwork, Err: fmt.Errorf("teams: posting to %s: %w", n.host, channel.StripURL(err))}
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // lets the connection be reused
	ok, retry, reason := channel.HTTPRetrier.Check(resp.StatusCode)
	if ok {
		return resp.StatusCode, false, nil
	}
	after := channel.RetryAfter(resp.Header, n.now())
	if after > 0 {
		n.limiter.holdUntil(n.now().Add(after))
	}
	msg := fmt.Sprintf("teams: posting to %s: HTTP %s", n.host, resp.Status)
	if detail := n.scrub(string(snippet)); detail != "" {
		msg += fmt.Sprintf(": %q", detail)
	}
	return resp.StatusCode, retry, &channel.Error{Reason: reason, StatusCode: resp.StatusCode, After: after, Err: errors.New(msg)}
}

// scrub removes the URL, its path and its query values from a server's
// answer.
func (n *Notifier) scrub(s string) string {
	s = strings.ToValidUTF8(strings.TrimSpace(s), "")
	raw := n.cfg.URL.Reveal()
	s = strings.ReplaceAll(s, raw, channel.Redacted)
	if u, err := url.Parse(raw); err == nil {
		if len(u.Path) >= 8 {
			s = strings.ReplaceAll(s, u.Path, channel.Redacted)
		}
		for _, vs := range u.Query() {
			for _, v := range vs {
				if len(v) >= 8 {
					s = strings.ReplaceAll(s, v, channel.Redacted)
				}
			}
		}
	}
	return s
}
