package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

func TestRequestGate(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	list := e.url + "/subscriptions/" + testSub + "/providers/Microsoft.Network/virtualNetworks"
	tests := []struct {
		name   string
		method string
		url    string
		header map[string]string
		status int
		code   string
	}{
		{"no Authorization", http.MethodGet, list + "?api-version=2025-03-01", map[string]string{"Authorization": ""}, http.StatusUnauthorized, "AuthenticationFailed"},
		{"not a bearer token", http.MethodGet, list + "?api-version=2025-03-01", map[string]string{"Authorization": "Basic dTpw"}, http.StatusUnauthorized, "AuthenticationFailed"},
		{"no api-version", http.MethodGet, list, nil, http.StatusBadRequest, "MissingApiVersionParameter"},
		{"unknown route", http.MethodGet, e.url + "/subscriptions/" + testSub + "/providers/Microsoft.Compute/virtualMachines?api-version=1", nil, http.StatusNotFound, "NotFound"},
		{"wrong method", http.MethodPatch, list + "?api-version=1", nil, http.StatusNotFound, "NotFound"},
		{"bad body", http.MethodPut, e.url + "/subscriptions/" + testSub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v?api-version=1", nil, http.StatusBadRequest, "InvalidRequestContent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawDo(t, tt.method, tt.url, "", tt.header)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.code, armErrorOf(t, body).Code)
			assert.Equal(t, tt.code, resp.Header.Get("x-ms-error-code"))
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			assert.NotEmpty(t, resp.Header.Get("x-ms-request-id"))
		})
	}
}

func TestHeadersAndCaseInsensitivePaths(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	e.putVNet(t, "Hub-VNet", vnetBody("", "10.0.0.0/16"))

	lower := strings.ToLower(e.url + "/subscriptions/" + testSub + "/resourcegroups/" + testRG + "/providers/microsoft.network/virtualnetworks/hub-vnet?api-version=2025-03-01")
	resp, body := rawDo(t, http.MethodGet, lower, "", map[string]string{"x-ms-correlation-request-id": "corr-1"})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var v struct{ ID, Name string }
	require.NoError(t, json.Unmarshal(body, &v))
	assert.Equal(t, vnetID("Hub-VNet"), v.ID, "the ID keeps the spelling it was created with")
	assert.Equal(t, "Hub-VNet", v.Name)
	assert.Equal(t, "corr-1", resp.Header.Get("x-ms-correlation-request-id"), "a client correlation ID is echoed")
	assert.NotEmpty(t, resp.Header.Get("x-ms-ratelimit-remaining-subscription-reads"))

	resp, _ = rawDo(t, http.MethodPut, lower, `{"location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}}`, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "same resource, whatever the path's case")
	assert.NotEmpty(t, resp.Header.Get("x-ms-ratelimit-remaining-subscription-writes"))
	assert.Len(t, e.srv.Snapshot().VNets, 1)
}

func TestAdminEndpoints(t *testing.T) {
	e := newEnv(t, loadFixture(t), testOptions())
	e.putVNet(t, "new", vnetBody("", "10.9.0.0/16"))

	resp, body := rawDo(t, http.MethodGet, e.url+"/_emulator/state", "", map[string]string{"Authorization": ""})
	require.Equal(t, http.StatusOK, resp.StatusCode, "no auth needed")
	res, err := estate.Decode("state", body)
	require.NoError(t, err)
	assert.Len(t, res.VNets, 6)
	assert.Len(t, res.Peerings, 2, "the fixture's peerings have no VNet and stay standalone")
	assert.Len(t, res.Gateways, 3)
	assert.Len(t, res.Connections, 4)
	assert.Len(t, res.LocalGateways, 3)
	_, err = estate.Build(res)
	require.NoError(t, err)

	// Loading the dump again gives the same dump.
	again := newEnv(t, res, testOptions())
	_, body2 := rawDo(t, http.MethodGet, again.url+"/_emulator/state", "", nil)
	assert.JSONEq(t, string(body), string(body2))

	resp, body = rawDo(t, http.MethodGet, e.url+"/_emulator/requests", "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var counts map[string]int
	require.NoError(t, json.Unmarshal(body, &counts))
	assert.Equal(t, e.srv.Requests(), counts)
	assert.Equal(t, 1, counts["VirtualNetworks.CreateOrUpdate"])

	resp, _ = rawDo(t, http.MethodPost, e.url+"/_emulator/state", "", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	resp, _ = rawDo(t, http.MethodGet, e.url+"/_emulator/nope", "", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestSnapshotIsACopy(t *testing.T) {
	e := newEnv(t, loadFixture(t), testOptions())
	snap := e.srv.Snapshot()
	snap.VNets[0].Properties.AddressSpace.AddressPrefixes[0] = ptr("192.0.2.0/24")
	snap.VNets = nil
	again := e.srv.Snapshot()
	require.Len(t, again.VNets, 5)
	assert.NotEqual(t, "192.0.2.0/24", *again.VNets[0].Properties.AddressSpace.AddressPrefixes[0])
}
