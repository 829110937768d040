package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

const (
	testSub = "00000000-0000-0000-0000-0000000000aa"
	testRG  = "rg-net"
	testLoc = "westeurope"
)

// staticCred is a TokenCredential that always returns the same token.
type staticCred struct{ token string }

func (c staticCred) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: c.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// env is an emulator served over loopback with real SDK clients.
type env struct {
	srv   *Server
	url   string
	net   *armnetwork.ClientFactory
	graph *armresourcegraph.Client
}

// testOptions are fast defaults for tests: 10 ms polling.
func testOptions() Options {
	return Options{PollInterval: 10 * time.Millisecond}
}

func newEnv(t testing.TB, res *estate.Resources, opts Options) *env {
	t.Helper()
	srv, err := New(res, opts)
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	e := &env{srv: srv, url: hs.URL}
	e.net, e.graph = clients(t, hs.URL, staticCred{token: "emulator-test-token"}, policy.RetryOptions{})
	return e
}

// clients builds SDK clients pointed at the emulator (network-model.md §3).
func clients(t testing.TB, url string, cred azcore.TokenCredential, retry policy.RetryOptions) (*armnetwork.ClientFactory, *armresourcegraph.Client) {
	t.Helper()
	if retry.RetryDelay == 0 {
		retry.RetryDelay = time.Millisecond
	}
	if retry.MaxRetryDelay == 0 {
		retry.MaxRetryDelay = 2 * time.Second
	}
	opts := &arm.ClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: url, Audience: "https://management.azure.com"},
		}},
		InsecureAllowCredentialWithHTTP: true,
		Retry:                           retry,
	}}
	cf, err := armnetwork.NewClientFactory(testSub, cred, opts)
	require.NoError(t, err)
	g, err := armresourcegraph.NewClient(cred, opts)
	require.NoError(t, err)
	return cf, g
}

var pollFast = &runtime.PollUntilDoneOptions{Frequency: 10 * time.Millisecond}

func vnetID(name string) string {
	return resourceID(testSub, testRG, estate.TypeVNet, name)
}

// vnetBody is a VNet PUT body; a GatewaySubnet is added when gwSubnet is set.
func vnetBody(gwSubnet string, prefixes ...string) armnetwork.VirtualNetwork {
	v := armnetwork.VirtualNetwork{
		Location: ptr(testLoc),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: ptrs(prefixes...)},
		},
	}
	if gwSubnet != "" {
		v.Properties.Subnets = []*armnetwork.Subnet{{Name: ptr("GatewaySubnet"), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr(gwSubnet)}}}
	}
	return v
}

func peeringBody(remote string, mod ...func(*armnetwork.VirtualNetworkPeeringPropertiesFormat)) armnetwork.VirtualNetworkPeering {
	p := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		AllowVirtualNetworkAccess: ptr(true),
		RemoteVirtualNetwork:      &armnetwork.SubResource{ID: ptr(vnetID(remote))},
	}}
	for _, m := range mod {
		m(p.Properties)
	}
	return p
}

func gatewayBody(vnet string) armnetwork.VirtualNetworkGateway {
	return armnetwork.VirtualNetworkGateway{
		Location: ptr(testLoc),
		Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
			GatewayType: ptr(armnetwork.VirtualNetworkGatewayTypeVPN),
			VPNType:     ptr(armnetwork.VPNTypeRouteBased),
			SKU:         &armnetwork.VirtualNetworkGatewaySKU{Name: ptr(armnetwork.VirtualNetworkGatewaySKUNameVPNGw1), Tier: ptr(armnetwork.VirtualNetworkGatewaySKUTierVPNGw1)},
			IPConfigurations: []*armnetwork.VirtualNetworkGatewayIPConfiguration{{
				Name: ptr("default"),
				Properties: &armnetwork.VirtualNetworkGatewayIPConfigurationPropertiesFormat{
					Subnet: &armnetwork.SubResource{ID: ptr(vnetID(vnet) + "/subnets/GatewaySubnet")},
				},
			}},
		},
	}
}

func ptrs(s ...string) []*string {
	out := make([]*string, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

func (e *env) putVNet(t *testing.T, name string, body armnetwork.VirtualNetwork) armnetwork.VirtualNetwork {
	t.Helper()
	p, err := e.net.NewVirtualNetworksClient().BeginCreateOrUpdate(context.Background(), testRG, name, body, nil)
	require.NoError(t, err)
	res, err := p.PollUntilDone(context.Background(), pollFast)
	require.NoError(t, err)
	return res.VirtualNetwork
}

func (e *env) putPeering(t *testing.T, vnet, name string, body armnetwork.VirtualNetworkPeering, sync bool) (armnetwork.VirtualNetworkPeering, error) {
	t.Helper()
	var opts *armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions
	if sync {
		opts = &armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions{SyncRemoteAddressSpace: ptr(armnetwork.SyncRemoteAddressSpaceTrue)}
	}
	p, err := e.net.NewVirtualNetworkPeeringsClient().BeginCreateOrUpdate(context.Background(), testRG, vnet, name, body, opts)
	if err != nil {
		return armnetwork.VirtualNetworkPeering{}, err
	}
	res, err := p.PollUntilDone(context.Background(), pollFast)
	return res.VirtualNetworkPeering, err
}

func (e *env) getPeering(t *testing.T, vnet, name string) *armnetwork.VirtualNetworkPeeringPropertiesFormat {
	t.Helper()
	res, err := e.net.NewVirtualNetworkPeeringsClient().Get(context.Background(), testRG, vnet, name, nil)
	require.NoError(t, err)
	return res.Properties
}

func (e *env) putGateway(t *testing.T, name, vnet string) {
	t.Helper()
	p, err := e.net.NewVirtualNetworkGatewaysClient().BeginCreateOrUpdate(context.Background(), testRG, name, gatewayBody(vnet), nil)
	require.NoError(t, err)
	_, err = p.PollUntilDone(context.Background(), pollFast)
	require.NoError(t, err)
}

// errorCode returns the ARM error code and status of an SDK error.
func errorCode(t *testing.T, err error) (string, int) {
	t.Helper()
	var re *azcore.ResponseError
	require.True(t, errors.As(err, &re), "want *azcore.ResponseError, got %v", err)
	return re.ErrorCode, re.StatusCode
}

// rawDo sends a request straight to the emulator.
func rawDo(t *testing.T, method, url, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer raw-test")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, data
}

// armErrorOf decodes an ARM error body.
func armErrorOf(t *testing.T, body []byte) errorDetail {
	t.Helper()
	var eb errorBody
	require.NoError(t, json.Unmarshal(body, &eb), "body: %s", body)
	return eb.Error
}

// receiver is an Event Grid webhook endpoint that records deliveries.
type receiver struct {
	mu        sync.Mutex
	bodies    [][]byte
	headers   []http.Header
	statusFor func(n int) int // status for the n-th request (from 0); nil: 200
	calls     int
}

func newReceiver(t *testing.T) (*receiver, string) {
	rc := &receiver{}
	hs := httptest.NewServer(rc)
	t.Cleanup(hs.Close)
	return rc, hs.URL + "/api/events?code=secret-key"
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	n := rc.calls
	rc.calls++
	status := http.StatusOK
	if rc.statusFor != nil {
		status = rc.statusFor(n)
	}
	if status == http.StatusOK {
		rc.bodies = append(rc.bodies, body)
		rc.headers = append(rc.headers, r.Header.Clone())
	}
	rc.mu.Unlock()
	w.WriteHeader(status)
}

func (rc *receiver) received() ([][]byte, []http.Header, int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([][]byte(nil), rc.bodies...), append([]http.Header(nil), rc.headers...), rc.calls
}

func waitEvents(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, s.WaitEvents(ctx))
}
