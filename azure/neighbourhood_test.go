package azure

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vnetdrift/vnetdrift/estate"
)

// newFakeReader returns a Reader on an in-process fake of res.
func newFakeReader(t *testing.T, res *estate.Resources) (*Reader, *fakeAzure) {
	t.Helper()
	f := newFakeAzure(res)
	r, err := New(Config{
		Subscriptions: []string{subA, subB},
		Credential:    &azfake.TokenCredential{},
		Concurrency:   4,
		transport:     f,
		retryDelay:    time.Millisecond,
	})
	require.NoError(t, err)
	return r, f
}

// hubNeighbourhood is what reading spoke1 (or any VNet peered with the hub)
// must return besides the VNets, in ID order.
var hubNeighbourhood = map[string][]string{
	"gateways":      {hubGWID, hub2GWID},
	"connections":   {v2vID, ipsecID, hub2BackID},
	"localGateways": {onpremID},
	"publicIPs":     {hubPIPID, hub2PIPID},
}

func with(vnets ...string) map[string][]string {
	out := map[string][]string{"vnets": vnets}
	for k, v := range hubNeighbourhood {
		out[k] = v
	}
	return out
}

func TestReadNeighbourhoodFake(t *testing.T) {
	tests := []struct {
		name    string
		targets []string
		want    map[string][]string
	}{
		{name: "spoke: hub, its gateway and what it connects to", targets: []string{spoke1ID}, want: with(hubID, spoke1ID, hub2ID)},
		{name: "hub: all its spokes", targets: []string{hubID}, want: with(hubID, spoke1ID, spoke2ID, hub2ID)},
		{name: "two spokes share the hub", targets: []string{spoke1ID, spoke2ID}, want: with(hubID, spoke1ID, spoke2ID, hub2ID)},
		{name: "target and neighbour at once", targets: []string{spoke1ID, hubID}, want: with(hubID, spoke1ID, spoke2ID, hub2ID)},
		{name: "same target twice, differently cased", targets: []string{spoke2ID, string(estate.KeyOf(spoke2ID))}, want: with(hubID, spoke2ID, hub2ID)},
		{name: "far end of a Vnet2Vnet connection", targets: []string{hub2ID}, want: map[string][]string{
			"vnets": {hubID, hub2ID}, "gateways": {hubGWID, hub2GWID}, "connections": {v2vID, hub2BackID}, "publicIPs": {hubPIPID, hub2PIPID},
		}},
		{name: "unrelated VNet alone", targets: []string{loneID}, want: map[string][]string{"vnets": {loneID}}},
		{name: "absent VNet", targets: []string{missingVNet}, want: map[string][]string{}},
		{name: "absent and present", targets: []string{missingVNet, loneID}, want: map[string][]string{"vnets": {loneID}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, f := newFakeReader(t, hubAndSpoke())
			res, err := r.ReadNeighbourhood(context.Background(), tt.targets)
			require.NoError(t, err)
			assert.Equal(t, tt.want, ids(res))
			for req, n := range f.requests {
				assert.Equal(t, 1, n, "%s was requested more than once", req)
			}
			assert.Equal(t, int64(f.total()), r.Calls())
			_, err = estate.Build(res)
			require.NoError(t, err)
		})
	}
}

func TestReadNeighbourhoodThrottled(t *testing.T) {
	r, f := newFakeReader(t, hubAndSpoke())
	f.fail(hubID, http.StatusTooManyRequests)
	res, err := r.ReadNeighbourhood(context.Background(), []string{spoke1ID})
	require.NoError(t, err)
	assert.Equal(t, with(hubID, spoke1ID, hub2ID), ids(res))
	assert.Equal(t, 2, f.count(http.MethodGet, hubID), "the 429 is retried after Retry-After")
	assert.Equal(t, int64(f.total()), r.Calls(), "every try counts")
}

// TestLongRetryAfter checks that a Retry-After above the SDK's default cap
// (60 s) is waited out, up to maxRetryDelay, rather than surfaced at once:
// the wait ends only with the context's deadline.
func TestLongRetryAfter(t *testing.T) {
	tests := []struct {
		retryAfter string
		waited     bool
	}{
		{retryAfter: "90", waited: true},
		{retryAfter: "150", waited: false}, // over maxRetryDelay: the 429 comes back
	}
	for _, tt := range tests {
		t.Run(tt.retryAfter, func(t *testing.T) {
			r, f := newFakeReader(t, hubAndSpoke())
			f.retryAfter = tt.retryAfter
			f.fail(hubID, http.StatusTooManyRequests)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			_, err := r.ReadNeighbourhood(ctx, []string{hubID})
			if tt.waited {
				require.ErrorIs(t, err, context.DeadlineExceeded)
			} else {
				var re *azcore.ResponseError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, http.StatusTooManyRequests, re.StatusCode)
			}
			assert.Equal(t, 1, f.count(http.MethodGet, hubID))
		})
	}
}

// outlast is one more failure than the client retries.
func outlast(status int) []int {
	out := make([]int, maxRetries+1)
	for i := range out {
		out[i] = status
	}
	return out
}

func TestReadNeighbourhoodErrors(t *testing.T) {
	tests := []struct {
		name    string
		targets []string
		fail    string
		faults  []int
		wantErr string
		status  int // of the wrapped *azcore.ResponseError; 0 = none
	}{
		{name: "peer in a subscription without Reader", targets: []string{spoke1ID}, fail: hubID,
			faults: []int{403}, wantErr: `reading virtual network "` + hubID + `": not authorized`, status: 403},
		{name: "server errors outlast the retries", targets: []string{spoke1ID}, fail: hubID,
			faults: []int{503, 502, 503, 504, 503, 502, 500}, wantErr: `reading virtual network "` + hubID + `"`, status: 500},
		{name: "gateway fails", targets: []string{hubID}, fail: hubGWID,
			faults: outlast(503), wantErr: `reading virtual network gateway "` + hubGWID + `"`, status: 503},
		{name: "connection list fails", targets: []string{hubID}, fail: hubGWID + "/connections",
			faults: outlast(500), wantErr: `listing connections of virtual network gateway "` + hubGWID + `"`, status: 500},
		{name: "server errors within the retries", targets: []string{spoke1ID}, fail: hubID, faults: []int{500, 503, 500, 503, 500, 503}},
		{name: "not a VNet ID", targets: []string{hubGWID}, wantErr: "want a Microsoft.Network/virtualNetworks"},
		{name: "not an ID", targets: []string{"hub"}, wantErr: `parsing resource ID "hub"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, f := newFakeReader(t, hubAndSpoke())
			if tt.fail != "" {
				f.fail(tt.fail, tt.faults...)
			}
			res, err := r.ReadNeighbourhood(context.Background(), tt.targets)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Len(t, res.VNets, 3)
				assert.Equal(t, len(tt.faults)+1, f.count(http.MethodGet, tt.fail))
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
			var re *azcore.ResponseError
			if tt.status == 0 {
				assert.False(t, errors.As(err, &re))
				return
			}
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.status, re.StatusCode)
			assert.Equal(t, tt.status == http.StatusForbidden, errors.Is(err, ErrNotAuthorized))
		})
	}
}

func TestReadNeighbourhoodSkipsMalformedReference(t *testing.T) {
	res := hubAndSpoke()
	bad := peering(loneID, "to-nowhere", "/subscriptions/"+subA+"/not-a-vnet", false, false)
	res.VNets[3].Properties.VirtualNetworkPeerings = append(res.VNets[3].Properties.VirtualNetworkPeerings, bad)
	r, _ := newFakeReader(t, res)
	got, err := r.ReadNeighbourhood(context.Background(), []string{loneID})
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{"vnets": {loneID}}, ids(got))
}

func TestReadNeighbourhoodCancelled(t *testing.T) {
	r, f := newFakeReader(t, hubAndSpoke())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := r.ReadNeighbourhood(ctx, []string{spoke1ID})
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, f.total(), "no call after cancellation")
}
