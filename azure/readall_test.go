package azure

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vnetdrift/vnetdrift/estate"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

const graphPath = "/providers/Microsoft.ResourceGraph/resources"

// everything is the whole hub-and-spoke estate, in ID order.
var everything = with(hubID, loneID, spoke1ID, spoke2ID, hub2ID)

func TestReadAllFake(t *testing.T) {
	tests := []struct {
		name      string
		graphErr  int
		top       int32
		wantPath  string
		wantGraph int // Resource Graph requests
	}{
		{name: "resource graph, one page", wantPath: pathGraph, wantGraph: 1},
		{name: "resource graph, paged by the skip token", top: 3, wantPath: pathGraph, wantGraph: 5}, // 13 rows
		{name: "fallback on 403", graphErr: http.StatusForbidden, wantPath: pathARM, wantGraph: 1},
		{name: "fallback on 404", graphErr: http.StatusNotFound, wantPath: pathARM, wantGraph: 1},
		{name: "fallback on 400", graphErr: http.StatusBadRequest, wantPath: pathARM, wantGraph: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, f := newFakeReader(t, hubAndSpoke())
			core, logs := observer.New(zapcore.InfoLevel)
			r.log = zap.New(core)
			r.cfg.graphTop = tt.top
			f.graphErr = tt.graphErr
			res, err := r.ReadAll(context.Background())
			require.NoError(t, err)
			assert.Equal(t, everything, ids(res))
			assert.Equal(t, tt.wantGraph, f.count(http.MethodPost, graphPath))
			assert.Equal(t, int64(f.total()), r.Calls())
			done := logs.FilterMessage("azure: read all networks").All()
			require.Len(t, done, 1)
			assert.Equal(t, tt.wantPath, done[0].ContextMap()["path"])
			e, err := estate.Build(res)
			require.NoError(t, err)
			assert.Len(t, e.ConnectionsOf(estate.KeyOf(hubGWID)), 3)
			assert.Len(t, e.VNets[estate.KeyOf(hubID)].Peerings, 2)
		})
	}
}

func TestReadAllGroupsSubscriptions(t *testing.T) {
	r, f := newFakeReader(t, hubAndSpoke())
	r.cfg.Subscriptions = nil
	for i := range 600 {
		r.cfg.Subscriptions = append(r.cfg.Subscriptions, fmt.Sprintf("00000000-0000-0000-0000-%012x", i+1))
	}
	res, err := r.ReadAll(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, f.count(http.MethodPost, graphPath), "600 subscriptions in two queries of 300")
	// subA (…0a) is in the first group, subB (…0b) too: both are read.
	assert.Equal(t, everything, ids(res))
}

func TestReadAllErrors(t *testing.T) {
	tests := []struct {
		name    string
		subs    []string
		setup   func(f *fakeAzure)
		wantErr string
	}{
		{name: "no subscriptions", wantErr: "no subscriptions configured"},
		{name: "resource graph keeps failing: no fallback", subs: []string{subA},
			setup:   func(f *fakeAzure) { f.graphErr = http.StatusServiceUnavailable },
			wantErr: "querying Resource Graph (page 1)"},
		{name: "fallback list fails", subs: []string{subA},
			setup: func(f *fakeAzure) {
				f.graphErr = http.StatusForbidden
				f.fail("/subscriptions/"+subA+"/providers/Microsoft.Network/virtualNetworks", outlast(500)...)
			},
			wantErr: `listing virtual networks in subscription "` + subA + `"`},
		{name: "fallback gateway list fails", subs: []string{subA},
			setup: func(f *fakeAzure) {
				f.graphErr = http.StatusForbidden
				f.fail("/subscriptions/"+subA+"/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworkGateways", outlast(500)...)
			},
			wantErr: `listing virtual network gateways in resource group "rg-hub" of subscription "` + subA + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, f := newFakeReader(t, hubAndSpoke())
			r.cfg.Subscriptions = tt.subs
			if tt.setup != nil {
				tt.setup(f)
			}
			_, err := r.ReadAll(context.Background())
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestReadAllFallbackLimits(t *testing.T) {
	// A local network gateway alone in a resource group without a VNet or a
	// gateway is invisible to the ARM fallback, but not to Resource Graph.
	res := hubAndSpoke()
	far := resID(subA, "rg-connectivity", estate.TypeLocalGateway, "branch")
	res.LocalGateways = append(res.LocalGateways, res.LocalGateways[0])
	res.LocalGateways[1] = copyLNG(res.LocalGateways[0], far)
	for _, graphErr := range []int{0, http.StatusForbidden} {
		r, f := newFakeReader(t, res)
		f.graphErr = graphErr
		got, err := r.ReadAll(context.Background())
		require.NoError(t, err)
		assert.Equal(t, graphErr == 0, slices.Contains(ids(got)["localGateways"], far), "graphErr %d", graphErr)
	}
}
