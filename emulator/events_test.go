package emulator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/messaging"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/messaging/eventgrid/azsystemevents"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wantEvent is what one write or delete must raise.
type wantEvent struct{ typ, subject, operation, method string }

// peeringScenario writes two VNets and both peering halves, then deletes
// one half. The other half turning Connected, then Disconnected, raises no
// event: ARM sends none for side effects.
func peeringScenario(t *testing.T, e *env) []wantEvent {
	e.putVNet(t, "hub", vnetBody("", "10.0.0.0/16"))
	e.putVNet(t, "spoke", vnetBody("", "10.1.0.0/16"))
	_, err := e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke"), false)
	require.NoError(t, err)
	_, err = e.putPeering(t, "spoke", "spoke-hub", peeringBody("hub"), false)
	require.NoError(t, err)
	p, err := e.net.NewVirtualNetworkPeeringsClient().BeginDelete(context.Background(), testRG, "spoke", "spoke-hub", nil)
	require.NoError(t, err)
	_, err = p.PollUntilDone(context.Background(), pollFast)
	require.NoError(t, err)
	w, d := EventTypeWriteSuccess, EventTypeDeleteSuccess
	return []wantEvent{
		{w, vnetID("hub"), "Microsoft.Network/virtualNetworks/write", "PUT"},
		{w, vnetID("spoke"), "Microsoft.Network/virtualNetworks/write", "PUT"},
		{w, vnetID("hub") + "/virtualNetworkPeerings/hub-spoke", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write", "PUT"},
		{w, vnetID("spoke") + "/virtualNetworkPeerings/spoke-hub", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write", "PUT"},
		{d, vnetID("spoke") + "/virtualNetworkPeerings/spoke-hub", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete", "DELETE"},
	}
}

// fakeJWT builds an unsigned JWT carrying claims.
func fakeJWT(t *testing.T, claims map[string]any) string {
	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + ".c2ln"
}

func TestEventsEventGridSchema(t *testing.T) {
	rc, url := newReceiver(t)
	opts := testOptions()
	opts.EventsTo = []string{url}
	e := newEnv(t, nil, opts)
	token := fakeJWT(t, map[string]any{"upn": "alice@contoso.example", "oid": "oid-alice", "tid": "tenant-1", "iat": 1700000000, "amr": []string{"pwd", "mfa"}})
	e.net, _ = clients(t, e.url, staticCred{token: token}, policy.RetryOptions{})
	want := peeringScenario(t, e)
	waitEvents(t, e.srv)

	bodies, headers, _ := rc.received()
	require.Len(t, bodies, len(want))
	var got []azsystemevents.EventGridEvent
	for i, b := range bodies {
		var batch []azsystemevents.EventGridEvent
		require.NoError(t, json.Unmarshal(b, &batch), "a JSON array of EventGridSchema events")
		require.Len(t, batch, 1)
		got = append(got, batch[0])
		assert.Equal(t, "application/json; charset=utf-8", headers[i].Get("Content-Type"))
		assert.Equal(t, "Notification", headers[i].Get("aeg-event-type"))
		assert.Equal(t, *batch[0].ID, headers[i].Get("aeg-output-event-id"))
	}
	slices.SortFunc(got, func(a, b azsystemevents.EventGridEvent) int { return a.EventTime.Compare(*b.EventTime) })
	for i, w := range want {
		ev := got[i]
		assert.Equal(t, w.typ, *ev.EventType)
		assert.Equal(t, w.subject, *ev.Subject)
		assert.Equal(t, "/subscriptions/"+testSub, *ev.Topic)
		assert.Equal(t, "2", *ev.DataVersion)
		assert.Equal(t, "1", *ev.MetadataVersion)
		var data azsystemevents.ResourceWriteSuccessEventData
		require.NoError(t, json.Unmarshal(ev.Data.([]byte), &data))
		assert.Equal(t, w.operation, *data.OperationName)
		assert.Equal(t, w.subject, *data.ResourceURI)
		assert.Equal(t, "Succeeded", *data.Status)
		assert.Equal(t, "Microsoft.Network", *data.ResourceProvider)
		assert.Equal(t, testSub, *data.SubscriptionID)
		assert.Equal(t, testRG, *data.ResourceGroup)
		assert.Equal(t, "tenant-1", *data.TenantID)
		assert.NotEmpty(t, *data.CorrelationID)
		assert.Equal(t, w.method, *data.HTTPRequest.Method)
		assert.Contains(t, *data.HTTPRequest.URL, "api-version=")
		assert.Empty(t, *data.HTTPRequest.ClientRequestID, "the SDK sends no x-ms-client-request-id by default")
		assert.Equal(t, "127.0.0.1", *data.HTTPRequest.ClientIPAddress)
		assert.Equal(t, w.operation, *data.Authorization.Action)
		assert.Equal(t, "Contributor", *data.Authorization.Evidence["role"])
		assert.Equal(t, "User", *data.Authorization.Evidence["principalType"])
		assert.Equal(t, "alice@contoso.example", *data.Claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"])
		assert.Equal(t, "oid-alice", *data.Claims["http://schemas.microsoft.com/identity/claims/objectidentifier"])
		assert.Equal(t, "1700000000", *data.Claims["iat"])
		assert.Equal(t, "pwd,mfa", *data.Claims["http://schemas.microsoft.com/claims/authnmethodsreferences"])
	}
}

func TestEventsCloudEventsSchema(t *testing.T) {
	rc, url := newReceiver(t)
	opts := testOptions()
	opts.EventsTo = []string{url}
	opts.EventSchema = SchemaCloudEvents
	e := newEnv(t, nil, opts)
	hdr := http.Header{CallerHeader: []string{"name=deploy-bot,appid=app-1,oid=oid-bot"}, "x-ms-client-request-id": []string{"client-req-1"}}
	ctx := policy.WithHTTPHeader(context.Background(), hdr)
	p, err := e.net.NewVirtualNetworksClient().BeginCreateOrUpdate(ctx, testRG, "hub", vnetBody("", "10.0.0.0/16"), nil)
	require.NoError(t, err)
	_, err = p.PollUntilDone(ctx, pollFast)
	require.NoError(t, err)
	waitEvents(t, e.srv)

	bodies, headers, _ := rc.received()
	require.Len(t, bodies, 1)
	assert.Equal(t, "application/cloudevents-batch+json; charset=utf-8", headers[0].Get("Content-Type"))
	var batch []messaging.CloudEvent
	require.NoError(t, json.Unmarshal(bodies[0], &batch), "a JSON array of CloudEvents")
	require.Len(t, batch, 1)
	ce := batch[0]
	assert.Equal(t, "1.0", ce.SpecVersion)
	assert.Equal(t, EventTypeWriteSuccess, ce.Type)
	assert.Equal(t, "/subscriptions/"+testSub, ce.Source)
	assert.Equal(t, vnetID("hub"), *ce.Subject)
	require.NotNil(t, ce.Time)

	var data azsystemevents.ResourceWriteSuccessEventData
	require.NoError(t, json.Unmarshal(ce.Data.([]byte), &data))
	assert.Equal(t, "Microsoft.Network/virtualNetworks/write", *data.OperationName)
	assert.Equal(t, "client-req-1", *data.HTTPRequest.ClientRequestID)
	assert.Equal(t, "deploy-bot", *data.Claims["name"])
	assert.Equal(t, "app-1", *data.Claims["appid"])
	assert.Equal(t, "oid-bot", *data.Authorization.Evidence["principalId"])
	assert.Equal(t, "ServicePrincipal", *data.Authorization.Evidence["principalType"])
	assert.Equal(t, DefaultTenantID, *data.TenantID)
}

func TestEventDeliveryRetries(t *testing.T) {
	tests := []struct {
		name      string
		statusFor func(n int) int
		wantCalls int
		wantOK    int
	}{
		{"retried after 5xx", func(n int) int { return []int{500, 503, 200}[min(n, 2)] }, 3, 1},
		{"400 is not retried", func(int) int { return http.StatusBadRequest }, 1, 0},
		{"dropped after the last attempt", func(int) int { return http.StatusInternalServerError }, len(retryDelays) + 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, url := newReceiver(t)
			rc.statusFor = tt.statusFor
			opts := testOptions()
			opts.EventsTo = []string{url}
			e := newEnv(t, nil, opts)
			e.putVNet(t, "v", vnetBody("", "10.0.0.0/16"))
			waitEvents(t, e.srv)
			bodies, headers, calls := rc.received()
			assert.Equal(t, tt.wantCalls, calls)
			require.Len(t, bodies, tt.wantOK)
			if tt.wantOK > 0 {
				assert.Equal(t, "2", headers[0].Get("aeg-delivery-count"), "the third attempt")
			}
		})
	}
}

func TestEventDuplicates(t *testing.T) {
	rc, url := newReceiver(t)
	opts := testOptions()
	opts.EventsTo = []string{url}
	opts.Faults = Faults{EventDuplicate: 1, EventDelay: 20 * time.Millisecond}
	e := newEnv(t, nil, opts)
	e.putVNet(t, "v", vnetBody("", "10.0.0.0/16"))
	waitEvents(t, e.srv)
	bodies, _, _ := rc.received()
	require.Len(t, bodies, 2)
	assert.JSONEq(t, string(bodies[0]), string(bodies[1]), "a duplicate is the same event, same id")
}

func TestCloseDropsPendingDeliveries(t *testing.T) {
	rc, url := newReceiver(t)
	opts := testOptions()
	opts.EventsTo = []string{url}
	opts.Faults = Faults{EventDelay: time.Hour}
	e := newEnv(t, nil, opts)
	e.putVNet(t, "v", vnetBody("", "10.0.0.0/16"))
	e.srv.Close()
	waitEvents(t, e.srv)
	_, _, calls := rc.received()
	assert.Zero(t, calls)
}
