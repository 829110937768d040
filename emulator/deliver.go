package emulator

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Event delivery works like an Event Grid webhook subscription without
// batching: each event is POSTed alone (as a one-element batch) to every
// Options.EventsTo URL. Faults.EventDuplicate delivers a share of events
// twice and Faults.EventDelay holds each delivery back by a random delay up
// to that bound, which reorders them. A non-2xx answer is retried with
// backoff (Event Grid's schedule, 10 s, 30 s, 1 min…, compressed to
// retryDelays); 400, 401, 403 and 413 are not retried, as in Event Grid.
// After the last attempt the event is dropped with a log line.

// retryDelays are the waits before the 2nd, 3rd… attempt.
var retryDelays = []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, 800 * time.Millisecond}

// deliveryTimeout is how long Event Grid waits for a webhook's answer.
const deliveryTimeout = 30 * time.Second

type deliverer struct {
	urls     []string
	schema   string
	client   *http.Client
	log      *zap.Logger
	dupRate  float64
	maxDelay time.Duration

	rngMu sync.Mutex
	rng   *rand.Rand

	stop chan struct{}
	wg   sync.WaitGroup

	mu      sync.Mutex
	pending int
	idle    chan struct{} // closed while nothing is pending
	closed  bool
}

func newDeliverer(opts Options, log *zap.Logger) *deliverer {
	idle := make(chan struct{})
	close(idle)
	return &deliverer{
		urls:     opts.EventsTo,
		schema:   opts.EventSchema,
		client:   &http.Client{Timeout: deliveryTimeout},
		log:      log,
		dupRate:  opts.Faults.EventDuplicate,
		maxDelay: opts.Faults.EventDelay,
		rng:      rand.New(rand.NewPCG(uint64(opts.Faults.Seed), eventStream)),
		stop:     make(chan struct{}),
		idle:     idle,
	}
}

// enqueue schedules the deliveries of one event. It never blocks.
func (d *deliverer) enqueue(ev armEvent) {
	if len(d.urls) == 0 {
		return
	}
	body, ctype := ev.encode(d.schema)
	for _, u := range d.urls {
		for _, delay := range d.plan() {
			d.start(delivery{url: u, eventID: ev.ID, body: body, ctype: ctype, delay: delay})
		}
	}
}

// plan draws the fault decisions of one event and URL: one or two
// copies and their delays. It always draws three numbers, so the sequence
// stays the same for a seed whatever the rates.
func (d *deliverer) plan() []time.Duration {
	d.rngMu.Lock()
	dup := d.rng.Float64() < d.dupRate
	first := time.Duration(d.rng.Float64() * float64(d.maxDelay))
	second := time.Duration(d.rng.Float64() * float64(d.maxDelay))
	d.rngMu.Unlock()
	if dup {
		return []time.Duration{first, second}
	}
	return []time.Duration{first}
}

type delivery struct {
	url, eventID, ctype string
	body                []byte
	delay               time.Duration
}

func (d *deliverer) start(dl delivery) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		d.log.Warn("event dropped: emulator closed", zap.String("event_id", dl.eventID))
		return
	}
	if d.pending == 0 {
		d.idle = make(chan struct{})
	}
	d.pending++
	d.wg.Add(1)
	d.mu.Unlock()
	go d.run(dl)
}

func (d *deliverer) run(dl delivery) {
	defer d.finish()
	if !d.sleep(dl.delay) {
		d.log.Warn("event dropped: emulator closed", zap.String("event_id", dl.eventID))
		return
	}
	status := 0
	for attempt := 0; attempt <= len(retryDelays); attempt++ {
		if attempt > 0 && !d.sleep(retryDelays[attempt-1]) {
			break
		}
		var err error
		status, err = d.post(dl, attempt)
		if err == nil && status >= 200 && status < 300 {
			d.log.Debug("event delivered", zap.String("event_id", dl.eventID), zap.String("url", redactURL(dl.url)), zap.Int("attempts", attempt+1))
			return
		}
		if err != nil {
			d.log.Debug("event delivery failed", zap.String("event_id", dl.eventID), zap.String("url", redactURL(dl.url)), zap.Error(err))
		}
		if noRetry(status) {
			break
		}
	}
	d.log.Warn("event dropped after failed delivery", zap.String("event_id", dl.eventID),
		zap.String("url", redactURL(dl.url)), zap.Int("last_status", status))
}

// post makes one delivery attempt with Event Grid's headers.
func (d *deliverer) post(dl delivery, attempt int) (int, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, dl.url, bytes.NewReader(dl.body))
	if err != nil {
		return 0, err
	}
	h := req.Header
	h.Set("Content-Type", dl.ctype)
	h.Set("aeg-event-type", "Notification")
	h.Set("aeg-subscription-name", "VNETDRIFT-EMULATOR")
	h.Set("aeg-delivery-count", strconv.Itoa(attempt))
	h.Set("aeg-metadata-version", "1")
	if d.schema == SchemaEventGrid {
		h.Set("aeg-data-version", "2")
	}
	h.Set("aeg-output-event-id", dl.eventID)
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, redactErr(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// redactErr strips the webhook URL's query from a client error.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: redactURL(ue.URL), Err: ue.Err}
	}
	return err
}

// noRetry reports whether Event Grid gives up on a webhook status at once.
func noRetry(status int) bool {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge:
		return true
	}
	return false
}

// sleep waits d unless the deliverer is closed; it reports whether it waited.
func (d *deliverer) sleep(wait time.Duration) bool {
	if wait <= 0 {
		select {
		case <-d.stop:
			return false
		default:
			return true
		}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-d.stop:
		return false
	}
}

func (d *deliverer) finish() {
	d.wg.Done()
	d.mu.Lock()
	d.pending--
	if d.pending == 0 {
		close(d.idle)
	}
	d.mu.Unlock()
}

func (d *deliverer) wait(ctx context.Context) error {
	d.mu.Lock()
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *deliverer) close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	close(d.stop)
	d.mu.Unlock()
	d.wg.Wait()
}
