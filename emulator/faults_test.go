package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec    string
		want    Faults
		wantErr string
	}{
		{"", Faults{}, ""},
		{"seed=1,throttle=0.1,5xx=0.05,latency=20ms,dup=0.2,delay=500ms",
			Faults{Seed: 1, ThrottleRate: 0.1, ServerErrRate: 0.05, Latency: 20 * time.Millisecond, EventDuplicate: 0.2, EventDelay: 500 * time.Millisecond}, ""},
		{" Seed = 7 , dup=1 ", Faults{Seed: 7, EventDuplicate: 1}, ""},
		{"throttle=1.5", Faults{}, `key "throttle": rate 1.5 is not between 0 and 1`},
		{"jitter=3", Faults{}, `key "jitter": unknown key`},
		{"latency=fast", Faults{}, `key "latency"`},
		{"seed=x", Faults{}, `key "seed"`},
		{"dup", Faults{}, `"dup" is not key=value`},
		{"dup=0.1,dup=0.2", Faults{}, `key "dup" given twice`},
		{"delay=-1s", Faults{}, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseFaults(tt.spec)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestThrottleHonouredBySDK(t *testing.T) {
	tests := []struct {
		name      string
		faults    Faults
		maxDelay  time.Duration
		wantErr   bool
		want429   int
		wantCalls int
	}{
		// Seed 1 throttles the 1st request and lets the next ones through.
		{"retried after Retry-After", Faults{Seed: 1, ThrottleRate: 0.5}, 2 * time.Second, false, 1, 2},
		// azcore does not retry when Retry-After exceeds MaxRetryDelay.
		{"Retry-After above MaxRetryDelay", Faults{ThrottleRate: 1}, 500 * time.Millisecond, true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.Faults = tt.faults
			e := newEnv(t, nil, opts)
			cf, _ := clients(t, e.url, staticCred{token: "t"}, policy.RetryOptions{MaxRetryDelay: tt.maxDelay})
			_, err := cf.NewVirtualNetworksClient().NewListPager(testRG, nil).NextPage(ctx)
			if tt.wantErr {
				code, status := errorCode(t, err)
				assert.Equal(t, "SubscriptionRequestsThrottled", code)
				assert.Equal(t, http.StatusTooManyRequests, status)
			} else {
				require.NoError(t, err)
				_, err = cf.NewVirtualNetworksClient().NewListPager(testRG, nil).NextPage(ctx)
				require.NoError(t, err)
			}
			counts := e.srv.Requests()
			assert.Equal(t, tt.want429, counts["Faults.429"])
			assert.Equal(t, tt.wantCalls, counts["VirtualNetworks.List"])
		})
	}
}

func TestThrottleResponseShape(t *testing.T) {
	opts := testOptions()
	opts.Faults = Faults{ThrottleRate: 1}
	e := newEnv(t, nil, opts)
	resp, body := rawDo(t, http.MethodGet, e.url+"/subscriptions/"+testSub+"/providers/Microsoft.Network/virtualNetworks?api-version=2025-03-01", "", nil)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	assert.Equal(t, "SubscriptionRequestsThrottled", resp.Header.Get("x-ms-error-code"))
	assert.NotEmpty(t, resp.Header.Get("x-ms-request-id"))
	assert.Equal(t, "SubscriptionRequestsThrottled", armErrorOf(t, body).Code)

	resp, _ = rawDo(t, http.MethodGet, e.url+"/_emulator/state", "", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "/_emulator endpoints are never faulted")
}

func TestServerErrorsRetriedBySDK(t *testing.T) {
	opts := testOptions()
	// Seed 5 answers 500, then 503, then lets requests through.
	opts.Faults = Faults{Seed: 5, ServerErrRate: 0.5}
	e := newEnv(t, nil, opts)
	_, err := e.net.NewVirtualNetworksClient().NewListPager(testRG, nil).NextPage(ctx)
	require.NoError(t, err)
	counts := e.srv.Requests()
	assert.Equal(t, 1, counts["Faults.500"])
	assert.Equal(t, 1, counts["Faults.503"])
	assert.Equal(t, 1, counts["VirtualNetworks.List"])

	opts.Faults = Faults{ServerErrRate: 1}
	e = newEnv(t, nil, opts)
	cf, _ := clients(t, e.url, staticCred{token: "t"}, policy.RetryOptions{MaxRetries: 2})
	_, err = cf.NewVirtualNetworksClient().NewListPager(testRG, nil).NextPage(ctx)
	_, status := errorCode(t, err)
	assert.Contains(t, []int{http.StatusInternalServerError, http.StatusServiceUnavailable}, status)
	counts = e.srv.Requests()
	assert.Equal(t, 3, counts["Faults.500"]+counts["Faults.503"], "1 try + 2 retries")
}

func TestFaultsDeterministicBySeed(t *testing.T) {
	statuses := func(seed int64) []int {
		opts := testOptions()
		opts.Faults = Faults{Seed: seed, ThrottleRate: 0.2, ServerErrRate: 0.2}
		e := newEnv(t, nil, opts)
		var out []int
		for range 40 {
			resp, _ := rawDo(t, http.MethodGet, e.url+"/subscriptions/"+testSub+"/providers/Microsoft.Network/virtualNetworks?api-version=2025-03-01", "", nil)
			out = append(out, resp.StatusCode)
		}
		return out
	}
	a, b, c := statuses(42), statuses(42), statuses(43)
	assert.Equal(t, a, b, "same seed, same faults")
	assert.NotEqual(t, a, c, "another seed, other faults")
	assert.Contains(t, a, http.StatusTooManyRequests)
	assert.Contains(t, a, http.StatusOK)
}

func TestEventPlanDeterministicBySeed(t *testing.T) {
	plans := func(seed int64) [][]time.Duration {
		d := newDeliverer(Options{Faults: Faults{Seed: seed, EventDuplicate: 0.5, EventDelay: time.Second}}, nil)
		var out [][]time.Duration
		for range 20 {
			out = append(out, d.plan())
		}
		return out
	}
	a := plans(3)
	assert.Equal(t, a, plans(3))
	assert.NotEqual(t, a, plans(4))
	dups := 0
	for _, p := range a {
		dups += len(p) - 1
		for _, d := range p {
			assert.True(t, d >= 0 && d < time.Second)
		}
	}
	assert.Positive(t, dups)
	assert.Less(t, dups, 20)
}

func TestOptionsValidation(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"schema", Options{EventSchema: "xml"}, `EventSchema "xml"`},
		{"webhook URL", Options{EventsTo: []string{"ftp://x/?code=secret"}}, "EventsTo"},
		{"negative page size", Options{PageSize: -1}, "must not be negative"},
		{"rate", Options{Faults: Faults{ThrottleRate: 2}}, "ThrottleRate 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(nil, tt.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "secret", "webhook keys stay out of errors")
		})
	}
}

func TestNoFaultsHeaderExemptsARequest(t *testing.T) {
	opts := testOptions()
	opts.Faults = Faults{ThrottleRate: 1, ServerErrRate: 1}
	e := newEnv(t, nil, opts)
	list := e.url + "/subscriptions/" + testSub + "/providers/Microsoft.Network/virtualNetworks?api-version=2025-03-01"
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"without the header: faulted", nil, http.StatusTooManyRequests},
		{"with the header: served", map[string]string{NoFaultsHeader: "1"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := rawDo(t, http.MethodGet, list, "", tt.header)
			assert.Equal(t, tt.want, resp.StatusCode)
		})
	}
	assert.Equal(t, 1, e.srv.Requests()["Faults.429"], "only the request without the header was faulted")
}
