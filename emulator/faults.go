package emulator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults are injected failures. Decisions come from math/rand/v2 PCG
// sources seeded with Seed (one stream for ARM requests, one for events),
// so the same seed and the same sequence of requests give the same faults.
type Faults struct {
	Seed           int64
	ThrottleRate   float64       // share of ARM requests answered 429 with Retry-After: 1
	ServerErrRate  float64       // share answered 500 or 503
	Latency        time.Duration // added to every ARM request
	EventDuplicate float64       // share of events delivered twice
	EventDelay     time.Duration // max extra random delay before a delivery (causes reordering)
}

// NoFaultsHeader exempts an ARM request from the faults (latency, 429,
// 5xx) when it has any value, and draws no random number for it: a test
// makes its own changes through cleanly while the readers under test see
// the faults.
const NoFaultsHeader = "x-emulator-no-faults"

// PCG stream numbers of the two random sources.
const (
	armStream   = 1
	eventStream = 2
)

// faultKeys are the keys ParseFaults accepts, in documentation order.
var faultKeys = []string{"seed", "throttle", "5xx", "latency", "dup", "delay"}

// ParseFaults parses a fault spec such as
// "seed=1,throttle=0.1,5xx=0.05,latency=20ms,dup=0.2,delay=500ms".
// Rates are between 0 and 1, durations use time.ParseDuration syntax, and
// omitted keys stay zero. An empty spec means no faults.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	if strings.TrimSpace(spec) == "" {
		return f, nil
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok || k == "" {
			return Faults{}, fmt.Errorf("parsing faults: %q is not key=value (keys: %s)", part, strings.Join(faultKeys, ", "))
		}
		if seen[k] {
			return Faults{}, fmt.Errorf("parsing faults: key %q given twice", k)
		}
		seen[k] = true
		if err := f.set(k, v); err != nil {
			return Faults{}, fmt.Errorf("parsing faults: key %q: %w", k, err)
		}
	}
	return f, f.validate()
}

func (f *Faults) set(key, val string) error {
	var err error
	switch key {
	case "seed":
		f.Seed, err = strconv.ParseInt(val, 10, 64)
	case "throttle":
		f.ThrottleRate, err = parseRate(val)
	case "5xx":
		f.ServerErrRate, err = parseRate(val)
	case "dup":
		f.EventDuplicate, err = parseRate(val)
	case "latency":
		f.Latency, err = time.ParseDuration(val)
	case "delay":
		f.EventDelay, err = time.ParseDuration(val)
	default:
		return fmt.Errorf("unknown key (keys: %s)", strings.Join(faultKeys, ", "))
	}
	return err
}

func parseRate(val string) (float64, error) {
	r, err := strconv.ParseFloat(val, 64)
	if err != nil {
		return 0, err
	}
	if r < 0 || r > 1 {
		return 0, fmt.Errorf("rate %v is not between 0 and 1", r)
	}
	return r, nil
}

func (f Faults) validate() error {
	for name, r := range map[string]float64{"ThrottleRate": f.ThrottleRate, "ServerErrRate": f.ServerErrRate, "EventDuplicate": f.EventDuplicate} {
		if r < 0 || r > 1 {
			return fmt.Errorf("faults: %s %v is not between 0 and 1", name, r)
		}
	}
	if f.Latency < 0 || f.EventDelay < 0 {
		return fmt.Errorf("faults: Latency and EventDelay must not be negative")
	}
	return nil
}

// faultInjector applies the ARM-side faults.
type faultInjector struct {
	f   Faults
	mu  sync.Mutex
	rng *rand.Rand
}

func newFaultInjector(f Faults) *faultInjector {
	return &faultInjector{f: f, rng: rand.New(rand.NewPCG(uint64(f.Seed), armStream))}
}

// sleep adds the configured latency; it fails only if ctx ends first.
func (fi *faultInjector) sleep(ctx context.Context) error {
	if fi.f.Latency <= 0 {
		return nil
	}
	t := time.NewTimer(fi.f.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// inject decides whether this request fails: 429 (with Retry-After: 1 set
// on w), 500 or 503; nil lets it through. Every request draws three
// numbers, so the sequence of decisions depends only on the seed.
func (fi *faultInjector) inject(w http.ResponseWriter) *armError {
	if fi.f.ThrottleRate == 0 && fi.f.ServerErrRate == 0 {
		return nil
	}
	fi.mu.Lock()
	throttle, fail, which := fi.rng.Float64(), fi.rng.Float64(), fi.rng.Float64()
	fi.mu.Unlock()
	switch {
	case throttle < fi.f.ThrottleRate:
		w.Header().Set("Retry-After", "1")
		return errf(http.StatusTooManyRequests, "SubscriptionRequestsThrottled",
			"Number of requests for this subscription exceeded the limit. Please try again after '1' seconds. Refer to https://aka.ms/arm-throttling for details.")
	case fail < fi.f.ServerErrRate && which < 0.5:
		return errf(http.StatusInternalServerError, "InternalServerError",
			"Encountered internal server error. (injected by the vnetdrift emulator)")
	case fail < fi.f.ServerErrRate:
		return errf(http.StatusServiceUnavailable, "ServiceUnavailable",
			"The server is currently unable to handle the request. (injected by the vnetdrift emulator)")
	}
	return nil
}
