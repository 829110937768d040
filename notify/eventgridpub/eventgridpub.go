// Package eventgridpub publishes drift notices to an Event Grid custom
// topic as CloudEvents (Vnetdrift.DriftOpened, Vnetdrift.DriftResolved),
// one per item, so that Logic Apps, Sentinel or a ticketing system can
// react. It uses the azeventgrid publisher client with a topic key or an
// Entra ID credential.
//
// # Retries
//
// The client's own retries are off: the dispatcher owns the retry loop.
// Notify returns retry=true for 408, 429, 5xx and transport errors and
// retry=false for other statuses (400, 401, 403, 404, 413). A failure is
// a *channel.Error whose RetryAfter() returns the topic's Retry-After.
package eventgridpub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/messaging"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/messaging/eventgrid/azeventgrid"
	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
)

// maxBatchBytes keeps each request under Event Grid's 1 MB batch limit.
const maxBatchBytes = 900 << 10

// Notifier publishes to one topic. It is safe for concurrent use.
type Notifier struct {
	cfg    Config
	host   string
	client *azeventgrid.Client
	now    func() time.Time
}

var _ alert.Notifier = (*Notifier)(nil)

// New checks cfg and builds the publisher client; it does not connect.
func New(cfg Config) (*Notifier, error) {
	cfg = cfg.withDefaults()
	host, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	opts := &azeventgrid.ClientOptions{ClientOptions: azcore.ClientOptions{
		Transport: cfg.HTTPClient,
		Retry:     policy.RetryOptions{MaxRetries: -1}, // the dispatcher retries
	}}
	var client *azeventgrid.Client
	if cfg.Key != "" {
		client, err = azeventgrid.NewClientWithSharedKeyCredential(cfg.Endpoint, azcore.NewKeyCredential(cfg.Key.Reveal()), opts)
	} else {
		client, err = azeventgrid.NewClient(cfg.Endpoint, cfg.Credential, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("eventgrid: creating publisher for %s: %w", host, err)
	}
	return &Notifier{cfg: cfg, host: host, client: client, now: time.Now}, nil
}

// Name returns the configured channel name ("eventgrid" by default).
func (n *Notifier) Name() string { return n.cfg.Name }

// Notify publishes one event per item, in batches under 1 MB.
func (n *Notifier) Notify(ctx context.Context, ns alert.Notice) (retry bool, err error) {
	events := Events(ns, n.cfg.Tenant, n.cfg.PortalBaseURL, n.now())
	batches, err := batch(events)
	if err != nil {
		return false, &channel.Error{Reason: channel.ReasonConfig, Err: fmt.Errorf("eventgrid: %w", err)}
	}
	for _, b := range batches {
		if _, err := n.client.PublishCloudEvents(ctx, b, nil); err != nil {
			if retry, err := n.classify(err, len(b)); err != nil {
				return retry, err
			}
		}
	}
	if len(events) > 0 {
		n.cfg.Logger.Debug("published events", zap.String("channel", n.cfg.Name), zap.String("topic", n.host),
			zap.Int("events", len(events)), zap.Int("batches", len(batches)))
	}
	return false, nil
}

// batch splits events into runs whose JSON stays under maxBatchBytes.
func batch(events []messaging.CloudEvent) ([][]messaging.CloudEvent, error) {
	var out [][]messaging.CloudEvent
	var cur []messaging.CloudEvent
	size := 0
	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("encoding event %s: %w", e.ID, err)
		}
		if len(cur) > 0 && size+len(b)+1 > maxBatchBytes {
			out, cur, size = append(out, cur), nil, 0
		}
		cur, size = append(cur, e), size+len(b)+1
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// classify turns a publish error into (retry, *channel.Error); a 2xx other
// than the 200 the client expects is a success (nil).
func (n *Notifier) classify(err error, events int) (bool, error) {
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return true, &channel.Error{Reason: channel.ReasonNetwork,
			Err: fmt.Errorf("eventgrid: publishing %d events to %s: %w", events, n.host, channel.StripURL(err))}
	}
	ok, retry, reason := channel.HTTPRetrier.Check(re.StatusCode)
	if ok {
		return false, nil
	}
	msg := fmt.Sprintf("eventgrid: publishing %d events to %s: HTTP %d", events, n.host, re.StatusCode)
	if re.ErrorCode != "" {
		msg += " " + re.ErrorCode
	}
	e := &channel.Error{Reason: reason, StatusCode: re.StatusCode, Err: errors.New(msg)}
	if re.RawResponse != nil {
		e.After = channel.RetryAfter(re.RawResponse.Header, n.now())
	}
	return retry, e
}
