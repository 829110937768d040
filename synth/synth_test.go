package synth

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

func TestGenerateSizes(t *testing.T) {
	cases := []struct {
		vnets, hubs, peerings int
	}{
		{2_500, 5, 2 * 2_495},
		{1_000, 2, 2 * 998},
		{7, 1, 12},
	}
	for _, c := range cases {
		data, err := JSON(Spec{VNets: c.vnets})
		require.NoError(t, err)
		res, err := estate.Decode("synth.json", data)
		require.NoError(t, err)
		e, err := estate.Build(res)
		require.NoError(t, err)
		assert.Len(t, e.VNets, c.vnets)
		assert.Len(t, e.Gateways, c.hubs)
		assert.Len(t, e.Peerings, c.peerings)
		assert.Len(t, e.Connections, c.hubs+2*(c.hubs-1))
		for _, p := range e.Peerings {
			require.NotNil(t, e.ReversePeering(p), p.ID)
		}
	}
}
