package estate_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/synth"
)

// TestFastPathMatchesSDKOnSynthEstates compares the fast path of Load with
// ReadFile and Build on synthetic hub-and-spoke estates of a few sizes.
func TestFastPathMatchesSDKOnSynthEstates(t *testing.T) {
	specs := []synth.Spec{
		{VNets: 1}, {VNets: 2}, {VNets: 7, SpokesPerHub: 2, Subscriptions: 3},
		{VNets: 120, SpokesPerHub: 9, Subscriptions: 4}, {VNets: 1_000},
	}
	for _, spec := range specs {
		t.Run(fmt.Sprintf("%+v", spec), func(t *testing.T) {
			n := spec.VNets
			path := synthFile(t, spec)
			res, err := estate.ReadFile(path)
			require.NoError(t, err)
			want, err := estate.Build(res)
			require.NoError(t, err)
			require.Len(t, want.VNets, n)
			got, err := estate.LoadFast([]string{path})
			require.NoError(t, err)
			assert.Equal(t, want, got)
			loaded, err := estate.Load(path)
			require.NoError(t, err)
			assert.Equal(t, want, loaded)
		})
	}
}

func TestFastPathMergesFilesLikeSDK(t *testing.T) {
	a, b := synthFile(t, synth.Spec{VNets: 30, SpokesPerHub: 4}), synthFile(t, synth.Spec{VNets: 300})
	var all estate.Resources
	for _, p := range []string{a, b, a} {
		res, err := estate.ReadFile(p)
		require.NoError(t, err)
		all.Merge(res)
	}
	want, err := estate.Build(&all)
	require.NoError(t, err)
	got, err := estate.LoadFast([]string{a, b, a})
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
