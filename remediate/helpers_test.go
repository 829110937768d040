package remediate

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/emulator/emulatortest"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/examples"
)

// IDs of the example estate.
const (
	subA     = "11111111-1111-1111-1111-111111111111"
	subB     = "22222222-2222-2222-2222-222222222222"
	hubWEU   = "/subscriptions/" + subA + "/resourceGroups/rg-net-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu"
	spoke1   = "/subscriptions/" + subA + "/resourceGroups/rg-app1-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app1-weu"
	spoke2   = "/subscriptions/" + subA + "/resourceGroups/rg-app2-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app2-weu"
	hubNEU   = "/subscriptions/" + subB + "/resourceGroups/rg-net-neu/providers/Microsoft.Network/virtualNetworks/vnet-hub-neu"
	gwNEU    = "/subscriptions/" + subB + "/resourceGroups/rg-net-neu/providers/Microsoft.Network/virtualNetworkGateways/vpngw-hub-neu"
	gwWEU    = "/subscriptions/" + subA + "/resourceGroups/rg-net-weu/providers/Microsoft.Network/virtualNetworkGateways/vpngw-hub-weu"
	hubToS1  = hubWEU + "/virtualNetworkPeerings/peer-hub-weu-to-spoke-app1"
	hubToS2  = hubWEU + "/virtualNetworkPeerings/peer-hub-weu-to-spoke-app2"
	s2ToHub  = spoke2 + "/virtualNetworkPeerings/peer-spoke-app2-to-hub-weu"
	neuToS3  = hubNEU + "/virtualNetworkPeerings/peer-hub-neu-to-spoke-app3"
	lngNEU   = "/subscriptions/" + subA + "/resourceGroups/rg-net-weu/providers/Microsoft.Network/localNetworkGateways/lng-hub-neu"
	connNEU  = "/subscriptions/" + subA + "/resourceGroups/rg-net-weu/providers/Microsoft.Network/connections/cn-hub-weu-s2s-hub-neu"
	rival    = "name=terraform-pipeline,appid=tf-app-id,oid=tf-object-id"
	rivalWho = "terraform-pipeline (appid tf-app-id)"
)

// lab is the example estate served by the emulator, a reader and an
// executor pointed at it, and the events the emulator delivered.
type lab struct {
	t      *testing.T
	srv    *emulator.Server
	url    string
	reader *azure.Reader
	b      *baseline.Baseline
	clock  *clock
	x      *Executor

	events emulatortest.Collector
}

type labOptions struct {
	policy Policy
	faults emulator.Faults
	wrap   func(http.Handler) http.Handler
}

func newLab(t *testing.T, o labOptions) *lab {
	t.Helper()
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	b, err := baseline.Parse(examples.BaselineName, examples.Baseline)
	require.NoError(t, err)
	l := &lab{t: t, b: b, clock: &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}}
	sink := httptest.NewServer(&l.events)
	t.Cleanup(sink.Close)
	l.srv, err = emulator.New(res, emulator.Options{PollInterval: 10 * time.Millisecond, Faults: o.faults, EventsTo: []string{sink.URL}})
	require.NoError(t, err)
	t.Cleanup(l.srv.Close)
	var h http.Handler = l.srv
	if o.wrap != nil {
		h = o.wrap(h)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	l.url = hs.URL
	l.reader, err = azure.New(azure.Config{Endpoint: hs.URL, Subscriptions: []string{subA, subB}, PollFrequency: 10 * time.Millisecond})
	require.NoError(t, err)
	p := o.policy
	if p.Default == "" {
		p.Default = ModeRemediate
	}
	if p.Subscriptions == nil {
		p.Subscriptions = []string{subA, subB}
	}
	if p.SelfIDs == nil {
		p.SelfIDs = []string{emulator.DefaultCallerObjectID}
	}
	l.x = New(l.reader, p, nil, l.clock.Now)
	l.x.ConflictDelay = 5 * time.Millisecond
	return l
}

// drain waits for pending events and returns those not yet drained.
func (l *lab) drain() []eventgrid.Change {
	require.NoError(l.t, l.srv.WaitEvents(context.Background()))
	return l.events.Take()
}

// evaluate reads the whole estate and evaluates it against the lab baseline.
func (l *lab) evaluate() (*estate.Estate, []detector.Finding) {
	res, err := l.reader.ReadAll(context.Background())
	require.NoError(l.t, err)
	e, err := estate.Build(res)
	require.NoError(l.t, err)
	return e, detector.Evaluate(detector.Input{Baseline: l.b, Estate: e, Now: l.clock.Now()})
}

// round evaluates, plans and applies once.
func (l *lab) round() []Outcome {
	e, findings := l.evaluate()
	actions := Plan(l.b, e, findings, l.x.Policy())
	return l.x.Apply(context.Background(), actions, LiveVerifier(l.reader, l.b, l.clock.Now))
}

// writes counts the write and delete requests the emulator served.
func (l *lab) writes() int {
	n := 0
	for op, c := range l.srv.Requests() {
		if hasSuffix(op, ".CreateOrUpdate") || hasSuffix(op, ".Delete") {
			n += c
		}
	}
	return n
}

func hasSuffix(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }

// actor makes changes as another caller, with the real SDK clients.
type actor struct {
	t      *testing.T
	caller string
	url    string
}

func (l *lab) as(caller string) actor { return actor{l.t, caller, l.url} }

func (a actor) clients(sub string) *armnetwork.ClientFactory {
	opts, err := azure.ClientOptions(a.url, nil, nil)
	require.NoError(a.t, err)
	opts.PerCallPolicies = append(opts.PerCallPolicies, callerPolicy(a.caller))
	cred, err := azure.NewCredential(a.url)
	require.NoError(a.t, err)
	f, err := armnetwork.NewClientFactory(sub, cred, opts)
	require.NoError(a.t, err)
	return f
}

type callerPolicy string

func (c callerPolicy) Do(req *policy.Request) (*http.Response, error) {
	if c != "" {
		req.Raw().Header.Set(emulator.CallerHeader, string(c))
	}
	return req.Next()
}

var poll = &runtime.PollUntilDoneOptions{Frequency: 10 * time.Millisecond}

func done[T any](t *testing.T, p *runtime.Poller[T], err error) {
	t.Helper()
	require.NoError(t, err)
	_, err = p.PollUntilDone(context.Background(), poll)
	require.NoError(t, err)
}

// peering changes a peering's settable fields.
func (a actor) peering(id string, mutate func(*armnetwork.VirtualNetworkPeeringPropertiesFormat)) {
	c := a.clients(estate.SubscriptionOf(id)).NewVirtualNetworkPeeringsClient()
	rg, vnet, name := estate.ResourceGroupOf(id), estate.LastSegment(estate.ParentVNetID(id)), estate.LastSegment(id)
	got, err := c.Get(context.Background(), rg, vnet, name, nil)
	require.NoError(a.t, err)
	body := peeringSettable(&got.VirtualNetworkPeering)
	mutate(body.Properties)
	p, err := c.BeginCreateOrUpdate(context.Background(), rg, vnet, name, body, nil)
	done(a.t, p, err)
}

func (a actor) deletePeering(id string) {
	c := a.clients(estate.SubscriptionOf(id)).NewVirtualNetworkPeeringsClient()
	p, err := c.BeginDelete(context.Background(), estate.ResourceGroupOf(id), estate.LastSegment(estate.ParentVNetID(id)), estate.LastSegment(id), nil)
	done(a.t, p, err)
}

func (a actor) addressSpace(vnet string, prefixes ...string) {
	c := a.clients(estate.SubscriptionOf(vnet)).NewVirtualNetworksClient()
	got, err := c.Get(context.Background(), estate.ResourceGroupOf(vnet), estate.LastSegment(vnet), nil)
	require.NoError(a.t, err)
	v := got.VirtualNetwork
	v.Properties.AddressSpace = &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)}
	p, err := c.BeginCreateOrUpdate(context.Background(), estate.ResourceGroupOf(vnet), estate.LastSegment(vnet), v, nil)
	done(a.t, p, err)
}

func (a actor) gatewayBGP(id string, on bool) {
	c := a.clients(estate.SubscriptionOf(id)).NewVirtualNetworkGatewaysClient()
	got, err := c.Get(context.Background(), estate.ResourceGroupOf(id), estate.LastSegment(id), nil)
	require.NoError(a.t, err)
	body := gatewayWritable(&got.VirtualNetworkGateway)
	body.Properties.EnableBgp = to.Ptr(on)
	p, err := c.BeginCreateOrUpdate(context.Background(), estate.ResourceGroupOf(id), estate.LastSegment(id), body, nil)
	done(a.t, p, err)
}

// staleLocalGateway creates a local network gateway standing for hub-neu
// (its address is hub-neu's gateway IP) with hub-neu's old prefixes, and a
// Site-to-Site connection to it from hub-weu's gateway.
func (a actor) staleLocalGateway() {
	f := a.clients(subA)
	lp, err := f.NewLocalNetworkGatewaysClient().BeginCreateOrUpdate(context.Background(), "rg-net-weu", "lng-hub-neu", armnetwork.LocalNetworkGateway{
		Location: to.Ptr("westeurope"),
		Properties: &armnetwork.LocalNetworkGatewayPropertiesFormat{
			GatewayIPAddress:         to.Ptr("198.51.100.21"),
			LocalNetworkAddressSpace: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs("10.10.0.0/16")},
		},
	}, nil)
	done(a.t, lp, err)
	cp, err := f.NewVirtualNetworkGatewayConnectionsClient().BeginCreateOrUpdate(context.Background(), "rg-net-weu", "cn-hub-weu-s2s-hub-neu", armnetwork.VirtualNetworkGatewayConnection{
		Location: to.Ptr("westeurope"),
		Properties: &armnetwork.VirtualNetworkGatewayConnectionPropertiesFormat{
			ConnectionType:         to.Ptr(armnetwork.VirtualNetworkGatewayConnectionTypeIPsec),
			VirtualNetworkGateway1: &armnetwork.VirtualNetworkGateway{ID: to.Ptr(gwWEU)},
			LocalNetworkGateway2:   &armnetwork.LocalNetworkGateway{ID: to.Ptr(lngNEU)},
			ConnectionProtocol:     to.Ptr(armnetwork.VirtualNetworkGatewayConnectionProtocolIKEv2),
		},
	}, nil)
	done(a.t, cp, err)
}

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// rules returns the rules of findings, in order.
func rules(fs []detector.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule + " " + estate.LastSegment(f.ResourceID)
	}
	return out
}

func statuses(os []Outcome) []Status {
	out := make([]Status, len(os))
	for i, o := range os {
		out[i] = o.Status
	}
	return out
}
