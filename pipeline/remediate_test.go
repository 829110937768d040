package pipeline

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/emulator/emulatortest"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/examples"
	"github.com/vnetdrift/vnetdrift/remediate"
	"github.com/vnetdrift/vnetdrift/state"
)

// The example estate's hub-to-spoke peering and the rival controller.
const (
	remSubA    = "11111111-1111-1111-1111-111111111111"
	remSubB    = "22222222-2222-2222-2222-222222222222"
	remHub     = "/subscriptions/" + remSubA + "/resourceGroups/rg-net-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu"
	remPeering = remHub + "/virtualNetworkPeerings/peer-hub-weu-to-spoke-app1"
	remRival   = "name=terraform-pipeline,appid=tf-app-id,oid=tf-object-id"
)

// remLab is the example estate in the emulator, read and written with
// the real SDK clients by a pipeline whose Remediator is a real Executor;
// the events the emulator raises are collected for Handle.
type remLab struct {
	t      *testing.T
	srv    *emulator.Server
	url    string
	p      *Pipeline
	x      *remediate.Executor
	sink   *sink
	events emulatortest.Collector
}

func newRemLab(t *testing.T, pol remediate.Policy, st alert.State, wrap func(http.Handler) http.Handler) *remLab {
	t.Helper()
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	b, err := baseline.Parse(examples.BaselineName, examples.Baseline)
	require.NoError(t, err)
	l := &remLab{t: t, sink: &sink{name: "sink"}}
	collector := httptest.NewServer(&l.events)
	t.Cleanup(collector.Close)
	l.srv, err = emulator.New(res, emulator.Options{PollInterval: 10 * time.Millisecond, EventsTo: []string{collector.URL}})
	require.NoError(t, err)
	t.Cleanup(l.srv.Close)
	var h http.Handler = l.srv
	if wrap != nil {
		h = wrap(h)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	l.url = hs.URL
	reader, err := azure.New(azure.Config{Endpoint: hs.URL, Subscriptions: []string{remSubA, remSubB}, PollFrequency: 10 * time.Millisecond})
	require.NoError(t, err)
	pol.Subscriptions = []string{remSubA, remSubB}
	pol.SelfIDs = []string{emulator.DefaultCallerObjectID}
	l.x = remediate.New(reader, pol, nil, nil)
	l.x.ConflictDelay = 5 * time.Millisecond
	l.x.Budget = remediate.SharedBudget(st.ClaimEvent, l.x.Policy().MaxWritesPerHour)
	l.p, err = New(Config{Reader: reader, Baseline: b, State: st, Notifiers: []alert.Notifier{l.sink},
		Remediator: l.x, CoalesceWindow: 20 * time.Millisecond, Settle: time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(l.p.Close)
	return l
}

// deliver hands every event raised so far to the pipeline, as Event Grid
// would, waits for its background remediations and returns the events.
func (l *remLab) deliver() []eventgrid.Change {
	require.NoError(l.t, l.srv.WaitEvents(context.Background()))
	evs := l.events.Take()
	if len(evs) > 0 {
		require.NoError(l.t, l.p.Handle(context.Background(), evs))
	}
	l.p.rem.wg.Wait()
	return evs
}

// settle delivers events until none is raised any more (our own writes
// raise events too) and returns how many rounds it took.
func (l *remLab) settle() int {
	for round := 1; round <= 10; round++ {
		if len(l.deliver()) == 0 {
			return round
		}
	}
	l.t.Fatal("events kept coming")
	return 0
}

// forwardingOff is the rival's write: allowForwardedTraffic=false on the
// hub's peering to spoke 1 (the baseline says true).
func (l *remLab) forwardingOff() {
	opts, err := azure.ClientOptions(l.url, nil, nil)
	require.NoError(l.t, err)
	opts.PerCallPolicies = append(opts.PerCallPolicies, callerHeader(remRival))
	cred, err := azure.NewCredential(l.url)
	require.NoError(l.t, err)
	f, err := armnetwork.NewClientFactory(remSubA, cred, opts)
	require.NoError(l.t, err)
	c := f.NewVirtualNetworkPeeringsClient()
	ctx := context.Background()
	got, err := c.Get(ctx, "rg-net-weu", "vnet-hub-weu", "peer-hub-weu-to-spoke-app1", nil)
	require.NoError(l.t, err)
	p := got.Properties
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: p.RemoteVirtualNetwork, AllowVirtualNetworkAccess: p.AllowVirtualNetworkAccess,
		AllowForwardedTraffic: to.Ptr(false), AllowGatewayTransit: p.AllowGatewayTransit, UseRemoteGateways: p.UseRemoteGateways,
	}}
	poller, err := c.BeginCreateOrUpdate(ctx, "rg-net-weu", "vnet-hub-weu", "peer-hub-weu-to-spoke-app1", body, nil)
	require.NoError(l.t, err)
	_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 10 * time.Millisecond})
	require.NoError(l.t, err)
}

type callerHeader string

func (c callerHeader) Do(req *policy.Request) (*http.Response, error) {
	req.Raw().Header.Set(emulator.CallerHeader, string(c))
	return req.Next()
}

func (l *remLab) peeringWrites() int {
	return l.srv.Requests()["VirtualNetworkPeerings.CreateOrUpdate"]
}

// remediations lists "reason status" for every item about the peering.
func (l *remLab) remediations() []string {
	var out []string
	for _, n := range l.sink.got() {
		for _, it := range n.Items {
			if !strings.EqualFold(it.Finding.ResourceID, remPeering) {
				continue
			}
			s := it.Reason.String()
			for _, r := range it.Remediation {
				s += " " + r.Status
			}
			out = append(out, s)
		}
	}
	return out
}

// A drift made by someone else is fixed from its event: the opened alert
// shows the request being sent, the fix is verified, the resolution says
// "remediated", and our own write's event is evaluated but causes no
// second write.
func TestEventPathRemediates(t *testing.T) {
	l := newRemLab(t, remediate.Policy{Default: remediate.ModeRemediate}, state.NewMemory(), nil)
	l.forwardingOff()
	before := l.peeringWrites()
	l.settle()
	assert.Equal(t, 1, l.peeringWrites()-before, "exactly one write")
	assert.Equal(t, []string{"opened sending", "resolved remediated"}, l.remediations())
	got, err := l.p.state.Open(context.Background())
	require.NoError(t, err)
	for _, f := range got {
		assert.NotEqual(t, remPeering, f.ResourceID, "the drift is still open")
	}
	last := l.sink.got()[len(l.sink.got())-1].Items[0].Remediation[0]
	assert.Contains(t, last.Request, "PUT "+remPeering+"?api-version=")
	assert.Contains(t, string(last.Body), `"allowForwardedTraffic":true`)
}

// Plan mode, and remediate mode under --dry-run, show the request in the
// opened alert and send nothing.
func TestEventPathPlanSendsNothing(t *testing.T) {
	for _, pol := range []remediate.Policy{{Default: remediate.ModePlan}, {Default: remediate.ModeRemediate, DryRun: true}} {
		l := newRemLab(t, pol, state.NewMemory(), nil)
		l.forwardingOff()
		before := l.srv.Requests()
		l.settle()
		after := l.srv.Requests()
		for op, n := range after {
			if strings.Contains(op, "CreateOrUpdate") || strings.Contains(op, "Delete") {
				assert.Equal(t, before[op], n, "%s sent in plan mode", op)
			}
		}
		assert.Equal(t, []string{"opened planned"}, l.remediations())
	}
}

// A rival that reverts every fix trips the loop guard: one "remediation
// stopped" alert naming it, and no more writes.
func TestEventPathLoopGuard(t *testing.T) {
	l := newRemLab(t, remediate.Policy{Default: remediate.ModeRemediate, LoopThreshold: 2, LoopWindow: time.Hour}, state.NewMemory(), nil)
	for range 5 {
		l.forwardingOff()
		l.settle()
	}
	rems := l.remediations()
	assert.Contains(t, rems, "remediation stopped loop")
	stopped := 0
	for _, r := range rems {
		if r == "remediation stopped loop" {
			stopped++
		}
	}
	assert.Equal(t, 1, stopped, "the loop is notified once: %v", rems)
	writes := l.peeringWrites()
	l.forwardingOff()
	l.settle()
	assert.Equal(t, writes+1, l.peeringWrites(), "only the rival wrote")
	var callers []string
	for _, n := range l.sink.got() {
		for _, it := range n.Items {
			if it.Reason == alert.ReasonRemediationStopped {
				callers = it.Remediation[0].Callers
			}
		}
	}
	assert.Equal(t, []string{"terraform-pipeline (appid tf-app-id)"}, callers)
}

// A write ARM refuses ends in one "remediation failed" alert with the ARM
// error, not one per event.
func TestEventPathFailureIsNotifiedOnce(t *testing.T) {
	refuse := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut && r.Header.Get(emulator.CallerHeader) == "" && strings.Contains(r.URL.Path, "/virtualNetworkPeerings/") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = io.WriteString(w, `{"error":{"code":"AuthorizationFailed","message":"no write permission"}}`)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	l := newRemLab(t, remediate.Policy{Default: remediate.ModeRemediate}, state.NewMemory(), refuse)
	l.forwardingOff()
	l.settle()
	l.forwardingOff()
	l.settle()
	assert.Equal(t, []string{"opened sending", "remediation failed remediation failed"}, l.remediations())
	for _, n := range l.sink.got() {
		for _, it := range n.Items {
			if it.Reason == alert.ReasonRemediationFailed {
				assert.Contains(t, it.Remediation[0].Detail, "AuthorizationFailed")
			}
		}
	}
}

// The hourly cap is shared through the state: two pipelines (two
// instances) with a cap of one write send one write between them.
func TestHourlyCapIsSharedBetweenInstances(t *testing.T) {
	st := state.NewMemory()
	pol := remediate.Policy{Default: remediate.ModeRemediate, MaxWritesPerHour: 1}
	l := newRemLab(t, pol, st, nil)
	other := remediate.New(nil, pol, nil, nil)
	other.Budget = remediate.SharedBudget(st.ClaimEvent, 1)
	ok, err := other.Budget.Take(context.Background(), time.Now())
	require.NoError(t, err)
	require.True(t, ok, "the other instance takes the only slot")
	l.forwardingOff()
	before := l.peeringWrites()
	l.settle()
	assert.Equal(t, before, l.peeringWrites(), "the cap held across instances")
}

// Our own writes come back as events: a change whose claims carry our
// identity is evaluated (the drift is alerted) but never remediated; the
// same change by anyone else is.
func TestOwnEventsAreNotRemediated(t *testing.T) {
	l := newRemLab(t, remediate.Policy{Default: remediate.ModeRemediate}, state.NewMemory(), nil)
	l.forwardingOff()
	require.NoError(t, l.srv.WaitEvents(context.Background()))
	evs := l.events.Take()
	require.NotEmpty(t, evs)
	own := make([]eventgrid.Change, len(evs))
	for i, c := range evs {
		c.Caller = eventgrid.Caller{ObjectID: emulator.DefaultCallerObjectID}
		own[i] = c
	}
	before := l.peeringWrites()
	require.NoError(t, l.p.Handle(context.Background(), own))
	l.p.rem.wg.Wait()
	assert.Equal(t, before, l.peeringWrites(), "our own change was remediated")
	assert.Equal(t, []string{"opened"}, l.remediations(), "the drift is still alerted")
	require.NoError(t, l.p.Handle(context.Background(), evs))
	l.p.rem.wg.Wait()
	assert.Equal(t, before+1, l.peeringWrites(), "the rival's change is remediated")
}

// The timer's reconcile remediates what no event reported.
func TestReconcileRemediates(t *testing.T) {
	l := newRemLab(t, remediate.Policy{Default: remediate.ModeRemediate}, state.NewMemory(), nil)
	l.forwardingOff()
	require.NoError(t, l.srv.WaitEvents(context.Background()))
	before := l.peeringWrites()
	require.NoError(t, l.p.Reconcile(context.Background()))
	l.p.rem.wg.Wait()
	assert.Equal(t, before+1, l.peeringWrites())
	assert.Equal(t, []string{"opened sending", "resolved remediated"}, l.remediations())
}
