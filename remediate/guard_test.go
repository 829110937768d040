package remediate

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
)

func forwardingOff(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
	p.AllowForwardedTraffic = to.Ptr(false)
}

// Plan mode computes the exact request and sends nothing at all.
func TestPlanModeSendsNothing(t *testing.T) {
	for _, p := range []Policy{{Default: ModePlan}, {Default: ModeRemediate, DryRun: true}} {
		l := newLab(t, labOptions{policy: p})
		l.as(rival).peering(hubToS1, forwardingOff)
		l.as(rival).deletePeering(s2ToHub)
		e, findings := l.evaluate()
		before := l.srv.Requests()
		actions := Plan(l.b, e, findings, l.x.Policy())
		require.NotEmpty(t, actions)
		out := l.x.Apply(context.Background(), actions, LiveVerifier(l.reader, l.b, l.clock.Now))
		for _, o := range out {
			assert.Equal(t, StatusPlanned, o.Status)
			assert.Equal(t, 0, o.Writes)
			assert.Equal(t, ModePlan, o.Action.Mode)
			assert.Equal(t, http.MethodPut, o.Action.Method)
			assert.Contains(t, o.Action.URL, "api-version="+APIVersion)
			assert.NotEmpty(t, o.Action.Body)
		}
		assert.Equal(t, before, l.srv.Requests(), "plan mode made requests")
	}
}

// 429 and 5xx (the SDK retries them) and 409 AnotherOperationInProgress
// (the executor retries it) end in exactly one applied write per action.
func TestFaultsAreRetriedWithoutDoubleWrites(t *testing.T) {
	faults, err := emulator.ParseFaults("seed=7,throttle=0.1,5xx=0.1")
	require.NoError(t, err)
	conflicts := &conflictOnce{seen: map[string]bool{}}
	l := newLab(t, labOptions{faults: faults, wrap: conflicts.wrap})
	l.as(rival).peering(hubToS1, forwardingOff)
	l.as(rival).deletePeering(s2ToHub)
	l.drain()
	base := l.srv.Requests()["VirtualNetworkPeerings.CreateOrUpdate"]
	conflicts.mu.Lock()
	conflicts.armed = true
	conflicts.mu.Unlock()
	out := l.round()
	require.Len(t, out, 3)
	for _, o := range out {
		assert.Equal(t, StatusRemediated, o.Status, o.Detail)
		assert.Equal(t, 2, o.Writes, "one 409, then the write")
	}
	assert.Equal(t, base+3, l.srv.Requests()["VirtualNetworkPeerings.CreateOrUpdate"], "each write applied once")
	assert.Len(t, l.drain(), 3, "one event per write")
	faulted := l.srv.Requests()["Faults.429"] + l.srv.Requests()["Faults.500"] + l.srv.Requests()["Faults.503"]
	assert.Positive(t, faulted, "the seed injected no fault")
	_, after := l.evaluate()
	assert.Empty(t, rules(after))
}

// conflictOnce answers the first PUT to each path 409 AnotherOperationInProgress.
type conflictOnce struct {
	mu    sync.Mutex
	armed bool
	seen  map[string]bool
}

func (c *conflictOnce) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		path := strings.ToLower(r.URL.Path)
		first := c.armed && r.Method == http.MethodPut && !c.seen[path]
		if first {
			c.seen[path] = true
		}
		c.mu.Unlock()
		if !first {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-ms-error-code", "AnotherOperationInProgress")
		w.WriteHeader(http.StatusConflict)
		fmt.Fprint(w, `{"error":{"code":"AnotherOperationInProgress","message":"Another operation on this or dependent resource is in progress."}}`)
	})
}

// A competing controller that reverts every fix trips the loop guard after
// LoopThreshold re-openings; the outcome names it. Our own events are
// recognised and never counted as the rival.
func TestLoopGuardTripsOnACompetingController(t *testing.T) {
	l := newLab(t, labOptions{policy: Policy{LoopThreshold: 3, LoopWindow: time.Hour}})
	l.as(rival).peering(hubToS1, forwardingOff)
	var fixes, selfEvents int
	for round := 1; round <= 10; round++ {
		for _, c := range l.drain() {
			if l.x.Observe(c) {
				selfEvents++
			}
		}
		l.clock.Add(5 * time.Minute)
		out := l.round()
		require.Len(t, out, 1)
		if out[0].Status == StatusLoop {
			require.Equal(t, 4, round, "tripped in the wrong round")
			require.NotNil(t, out[0].Loop)
			assert.Equal(t, []string{rivalWho}, out[0].Loop.Callers)
			assert.Contains(t, out[0].Detail, "another controller keeps reverting this")
			assert.Contains(t, out[0].Detail, rivalWho)
			assert.Zero(t, out[0].Writes)
			break
		}
		require.Equal(t, StatusRemediated, out[0].Status, out[0].Detail)
		fixes++
		l.as(rival).peering(hubToS1, forwardingOff) // the rival reverts
	}
	assert.Equal(t, 3, fixes)
	assert.Equal(t, 3, selfEvents, "our three fixes came back as self-caused events")
	writes := l.writes()
	out := l.round() // still blocked: no further write
	assert.Equal(t, StatusLoop, out[0].Status)
	assert.Equal(t, writes, l.writes())
	assert.Len(t, l.x.Loop.Blocked(l.clock.Now()), 1)
}

// The event of our own write is recognised, and re-evaluating after it
// plans nothing: no second write.
func TestSelfCausedEventTriggersNoSecondWrite(t *testing.T) {
	l := newLab(t, labOptions{})
	l.as(rival).peering(hubToS1, forwardingOff)
	rivalEvents := l.drain()
	require.Len(t, rivalEvents, 1)
	assert.False(t, l.x.Observe(rivalEvents[0]))
	out := l.round()
	require.Equal(t, StatusRemediated, out[0].Status)
	ours := l.drain()
	require.Len(t, ours, 1)
	assert.True(t, l.x.Observe(ours[0]), "our own write not recognised: %+v", ours[0].Caller)
	writes := l.writes()
	assert.Empty(t, l.round(), "re-evaluation after our own event planned actions")
	assert.Equal(t, writes, l.writes())
}

// MaxWritesPerEvaluation and MaxWritesPerHour hold; the hour rolls with the clock.
func TestWriteCaps(t *testing.T) {
	l := newLab(t, labOptions{policy: Policy{MaxWritesPerEvaluation: 1, MaxWritesPerHour: 2}})
	l.as(rival).peering(hubToS1, forwardingOff)
	l.as(rival).peering(hubToS2, forwardingOff)
	out := l.round()
	assert.Equal(t, []Status{StatusRemediated, StatusSkipped}, statuses(out))
	assert.Contains(t, out[1].Detail, "1 writes per evaluation")

	out = l.round() // second write of the hour
	assert.Equal(t, []Status{StatusRemediated}, statuses(out))
	l.as(rival).peering(hubToS1, forwardingOff)
	writes := l.writes()
	out = l.round() // third in the hour: refused, nothing sent
	assert.Equal(t, []Status{StatusSkipped}, statuses(out))
	assert.Contains(t, out[0].Detail, "2 writes per hour")
	assert.Equal(t, writes, l.writes())

	l.clock.Add(61 * time.Minute)
	out = l.round()
	assert.Equal(t, []Status{StatusRemediated}, statuses(out))
}

// Nothing outside Policy.Subscriptions is written, even when an action
// that skips Plan's check is handed to Apply.
func TestNothingOutsideTheSubscriptionsIsTouched(t *testing.T) {
	l := newLab(t, labOptions{policy: Policy{Subscriptions: []string{subA}}})
	l.as(rival).peering(neuToS3, forwardingOff)
	l.as(rival).peering(hubToS1, forwardingOff)
	e, findings := l.evaluate()
	actions := Plan(l.b, e, findings, l.x.Policy())
	require.Len(t, actions, 2)
	var inB Action
	for _, a := range actions {
		if estate.SubscriptionOf(a.ResourceID) == subB {
			assert.Contains(t, a.Skipped, "not one vnetdrift may write to")
			inB = a
		} else {
			assert.Empty(t, a.Skipped)
		}
	}
	inB.Skipped = "" // as if Plan had been bypassed
	before := l.srv.Requests()
	out := l.x.Apply(context.Background(), []Action{inB}, nil)
	assert.Equal(t, StatusSkipped, out[0].Status)
	assert.Contains(t, out[0].Detail, "refused: subscription")
	assert.Equal(t, before, l.srv.Requests())

	out = l.x.Apply(context.Background(), actions, LiveVerifier(l.reader, l.b, l.clock.Now))
	assert.ElementsMatch(t, []Status{StatusRemediated, StatusSkipped}, statuses(out))
	_, after := l.evaluate()
	assert.Equal(t, []string{"PEERING_SETTINGS_DRIFT peer-hub-neu-to-spoke-app3"}, rules(after))
}

// A write that ARM refuses is reported as failed with the ARM error, and
// a write whose finding is still open after verification is not "remediated".
func TestFailedRemediationCarriesTheARMError(t *testing.T) {
	l := newLab(t, labOptions{})
	l.as(rival).peering(hubToS1, forwardingOff)
	e, findings := l.evaluate()
	actions := Plan(l.b, e, findings, l.x.Policy())
	require.Len(t, actions, 1)
	a := actions[0]
	a.Body = []byte(`{"properties":{"remoteVirtualNetwork":{"id":"` + spoke1 + `"},"allowForwardedTraffic":true,"useRemoteGateways":true}}`)
	out := l.x.Apply(context.Background(), []Action{a}, LiveVerifier(l.reader, l.b, l.clock.Now))
	assert.Equal(t, StatusFailed, out[0].Status)
	require.Error(t, out[0].Err)
	assert.Contains(t, out[0].Err.Error(), "VnetAlreadyHasGateway")

	noop := actions[0]
	noop.Body = []byte(`{"properties":{"remoteVirtualNetwork":{"id":"` + spoke1 + `"},"allowForwardedTraffic":false}}`)
	out = l.x.Apply(context.Background(), []Action{noop}, LiveVerifier(l.reader, l.b, l.clock.Now))
	assert.Equal(t, StatusFailed, out[0].Status)
	assert.Contains(t, out[0].Detail, "still open")
}
