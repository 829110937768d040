package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
)

// eventRouter plays Event Grid's endpoint in front of a scaled-out
// Function App: the emulator delivers each event to it, and it hands each
// delivery to one instance (drawn by seed), as the Functions host does, as
// an eventGridTrigger invocation. A 2xx answer acknowledges the delivery;
// anything else answers 500, so the emulator redelivers (maybe to the
// other instance) and drops the event after its last attempt.
type eventRouter struct {
	hosts      []*host
	lastTry    int // the emulator's last aeg-delivery-count
	client     *http.Client
	rngMu      sync.Mutex
	rng        *rand.Rand
	mu         sync.Mutex
	deliveries int            // attempts, first ones and redeliveries
	redelivers int            // attempts with aeg-delivery-count > 0
	dropped    int            // failed last attempts
	byHost     []int          // attempts per instance
	byStatus   map[int]int    // the instances' answers
	events     map[string]int // attempts per event ID
}

func newEventRouter(hosts []*host, seed uint64, lastTry int) *eventRouter {
	return &eventRouter{hosts: hosts, lastTry: lastTry, client: &http.Client{Timeout: time.Minute},
		rng: rand.New(rand.NewPCG(seed, 3)), byHost: make([]int, len(hosts)), byStatus: map[int]int{}, events: map[string]int{}}
}

func (e *eventRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var batch []json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&batch); err != nil || len(batch) != 1 {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	try, _ := strconv.Atoi(r.Header.Get("aeg-delivery-count"))
	e.rngMu.Lock()
	i := e.rng.IntN(len(e.hosts))
	e.rngMu.Unlock()
	status, err := e.invoke(r.Context(), e.hosts[i], batch[0])
	if err != nil {
		status = 0 // the instance did not answer
	}
	e.record(i, try, status, r.Header.Get("aeg-output-event-id"))
	if status < 200 || status > 299 {
		w.WriteHeader(http.StatusInternalServerError)
	}
}

func (e *eventRouter) record(host, try, status int, id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.deliveries++
	e.byHost[host]++
	e.byStatus[status]++
	e.events[id]++
	if try > 0 {
		e.redelivers++
	}
	if (status < 200 || status > 299) && try >= e.lastTry {
		e.dropped++
	}
}

// invoke posts the event to the instance's OnResourceChange function as
// the Functions host does and returns the HTTP status.
func (e *eventRouter) invoke(ctx context.Context, h *host, event json.RawMessage) (int, error) {
	var env struct{ Data json.RawMessage }
	if err := json.Unmarshal(event, &env); err != nil {
		return 0, fmt.Errorf("decoding event: %w", err)
	}
	body, err := json.Marshal(map[string]any{
		"Data": map[string]any{"event": event},
		"Metadata": map[string]any{"data": env.Data,
			"sys": map[string]any{"MethodName": "OnResourceChange", "UtcNow": time.Now().UTC(), "RandGuid": uuid.NewString()}},
	})
	if err != nil {
		return 0, fmt.Errorf("encoding invocation: %w", err)
	}
	return postInvocation(ctx, e.client, h, "OnResourceChange", body)
}

// postInvocation posts one invocation with the Functions host's headers
// and returns the status; the body is read and dropped.
func postInvocation(ctx context.Context, c *http.Client, h *host, function string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url+"/"+function, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("building %s invocation: %w", function, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("X-Azure-Functions-InvocationId", uuid.NewString())
	req.Header.Set("X-Azure-Functions-HostVersion", hostVersion)
	resp, err := c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("invoking %s on %s: %w", function, h.url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// routerStats is a copy of the router's counts.
type routerStats struct {
	deliveries, redelivers, dropped, distinct int
	byHost                                    []int
	byStatus                                  map[int]int
}

func (e *eventRouter) stats() routerStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := routerStats{deliveries: e.deliveries, redelivers: e.redelivers, dropped: e.dropped, distinct: len(e.events),
		byHost: append([]int(nil), e.byHost...), byStatus: map[int]int{}}
	for k, v := range e.byStatus {
		s.byStatus[k] = v
	}
	return s
}

// armCounter counts the ARM requests of the serve instances and the
// emulator's answers (429, 500 and 503 are the injected faults).
type armCounter struct {
	next     http.Handler
	mu       sync.Mutex
	requests int
	byStatus map[int]int
}

func (a *armCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	a.next.ServeHTTP(rec, r)
	a.mu.Lock()
	a.requests++
	a.byStatus[rec.status]++
	a.mu.Unlock()
}

func (a *armCounter) counts() (requests int, byStatus map[int]int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	byStatus = map[int]int{}
	for k, v := range a.byStatus {
		byStatus[k] = v
	}
	return a.requests, byStatus
}

// timer fires the Reconcile function every interval, on the instances in
// turn, like the Functions timer trigger (on a much shorter schedule)
// until stopped.
type timer struct {
	stop     chan struct{}
	done     chan struct{}
	mu       sync.Mutex
	byStatus map[int]int
}

func startTimer(hosts []*host, body []byte, interval time.Duration) *timer {
	tm := &timer{stop: make(chan struct{}), done: make(chan struct{}), byStatus: map[int]int{}}
	go func() {
		defer close(tm.done)
		c := &http.Client{Timeout: 5 * time.Minute}
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-tm.stop:
				return
			case <-tick.C:
			}
			status, _ := postInvocation(context.Background(), c, hosts[i%len(hosts)], "Reconcile", body)
			tm.mu.Lock()
			tm.byStatus[status]++
			tm.mu.Unlock()
		}
	}()
	return tm
}

// halt stops the timer and waits for a running reconcile; it returns the
// reconciles' answers by status (0: no answer).
func (tm *timer) halt() map[int]int {
	close(tm.stop)
	<-tm.done
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.byStatus
}
