package emulator

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLROConflictAndProvisioningState(t *testing.T) {
	opts := testOptions()
	opts.LROSteps = 3
	e := newEnv(t, nil, opts)
	e.putVNet(t, "hub", vnetBody("", "10.0.0.0/16"))
	e.putVNet(t, "spoke", vnetBody("", "10.1.0.0/16"))
	vc := e.net.NewVirtualNetworksClient()

	first, err := vc.BeginCreateOrUpdate(ctx, testRG, "hub", vnetBody("", "10.0.0.0/16", "10.100.0.0/16"), nil)
	require.NoError(t, err)
	assert.False(t, first.Done())

	got, err := vc.Get(ctx, testRG, "hub", nil)
	require.NoError(t, err)
	assert.Equal(t, armnetwork.ProvisioningStateUpdating, *got.Properties.ProvisioningState, "the change is visible while the operation runs")
	assert.Len(t, got.Properties.AddressSpace.AddressPrefixes, 2)

	_, err = vc.BeginCreateOrUpdate(ctx, testRG, "hub", vnetBody("", "10.0.0.0/16"), nil)
	code, status := errorCode(t, err)
	assert.Equal(t, "AnotherOperationInProgress", code)
	assert.Equal(t, http.StatusConflict, status)
	_, err = e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke"), false)
	code, _ = errorCode(t, err)
	assert.Equal(t, "AnotherOperationInProgress", code, "a peering write touches its VNet")
	_, err = e.putPeering(t, "spoke", "spoke-hub", peeringBody("hub"), false)
	require.NoError(t, err, "other VNets are not locked")

	before := e.srv.Requests()["AsyncOperations.Get"]
	res, err := first.PollUntilDone(ctx, pollFast)
	require.NoError(t, err)
	assert.Equal(t, armnetwork.ProvisioningStateSucceeded, *res.Properties.ProvisioningState)
	assert.Equal(t, opts.LROSteps+1, e.srv.Requests()["AsyncOperations.Get"]-before, "LROSteps polls answer InProgress, then Succeeded")

	_, err = e.putPeering(t, "hub", "hub-spoke", peeringBody("spoke"), false)
	require.NoError(t, err, "the lock is released when the operation succeeds")
}

func TestLRODeleteLocation(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	e.putVNet(t, "v", vnetBody("", "10.0.0.0/16"))
	resp, _ := rawDo(t, http.MethodDelete, e.url+"/subscriptions/"+testSub+"/resourceGroups/"+testRG+"/providers/Microsoft.Network/virtualNetworks/v?api-version=2025-03-01", "", nil)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	loc := resp.Header.Get("Location")
	async := resp.Header.Get("Azure-AsyncOperation")
	assert.Contains(t, loc, "/subscriptions/"+testSub+"/providers/Microsoft.Network/locations/westeurope/operationResults/")
	assert.Contains(t, async, "/subscriptions/"+testSub+"/providers/Microsoft.Network/locations/westeurope/operations/")
	assert.Contains(t, async, "api-version=2025-03-01")
	assert.Equal(t, "10", resp.Header.Get("retry-after-ms"))

	got, _ := rawDo(t, http.MethodGet, e.url+"/subscriptions/"+testSub+"/resourceGroups/"+testRG+"/providers/Microsoft.Network/virtualNetworks/v?api-version=2025-03-01", "", nil)
	assert.Equal(t, http.StatusOK, got.StatusCode, "the VNet exists (Deleting) until the operation succeeds")

	resp, _ = rawDo(t, http.MethodGet, loc, "", nil)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	resp, _ = rawDo(t, http.MethodGet, loc, "", nil)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, body := rawDo(t, http.MethodGet, async, "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var st opStatus
	require.NoError(t, json.Unmarshal(body, &st))
	assert.Equal(t, "Succeeded", st.Status)

	got, _ = rawDo(t, http.MethodGet, e.url+"/subscriptions/"+testSub+"/resourceGroups/"+testRG+"/providers/Microsoft.Network/virtualNetworks/v?api-version=2025-03-01", "", nil)
	assert.Equal(t, http.StatusNotFound, got.StatusCode)

	resp, body = rawDo(t, http.MethodGet, e.url+"/subscriptions/"+testSub+"/providers/Microsoft.Network/locations/westeurope/operations/unknown?api-version=1", "", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "NotFound", armErrorOf(t, body).Code)
}

func TestRetryAfterHeader(t *testing.T) {
	tests := []struct {
		interval  string
		opts      Options
		header    string
		wantValue string
	}{
		{"default 1s", Options{}, "Retry-After", "1"},
		{"2.5s rounds up", Options{PollInterval: 2500e6}, "Retry-After", "3"},
		{"sub-second", Options{PollInterval: 250e6}, "retry-after-ms", "250"},
	}
	for _, tt := range tests {
		t.Run(tt.interval, func(t *testing.T) {
			e := newEnv(t, nil, tt.opts)
			resp, _ := rawDo(t, http.MethodPut, e.url+"/subscriptions/"+testSub+"/resourceGroups/"+testRG+"/providers/Microsoft.Network/localNetworkGateways/l?api-version=2025-03-01",
				`{"location":"westeurope","properties":{"gatewayIpAddress":"203.0.113.1"}}`, map[string]string{"Content-Type": "application/json"})
			require.Equal(t, http.StatusCreated, resp.StatusCode)
			assert.Equal(t, tt.wantValue, resp.Header.Get(tt.header))
		})
	}
}
