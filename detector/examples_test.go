package detector

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

// TestRealARMExamples runs the rules that need no baseline on the Azure REST
// API specification examples (see testdata/README.md).
func TestRealARMExamples(t *testing.T) {
	e, err := estate.Load("testdata/estate-from-examples.json")
	require.NoError(t, err)
	fs := Evaluate(Input{Estate: e, Now: testNow})
	var gotten []string
	for _, f := range fs {
		checkFinding(t, f)
		gotten = append(gotten, f.Rule+" "+name(f.VNetID)+" "+name(f.ResourceID))
	}
	require.Equal(t, []string{
		// peerTest/vnet1 is not in the examples; its two peerings are.
		"PEERING_NOT_CONNECTED vnet1 peer",
		"PEERING_NOT_CONNECTED vnet1 peer2",
		// rg1/vnet1 (10.0.0.0/8) hosts vpngw and vpngw1, whose IPsec
		// connections reach localgw and localgw1 (both 10.1.0.0/16).
		"ADDRESS_OVERLAP vnet1 vnet1",
		"ADDRESS_OVERLAP vnet1 vnet1",
		"CONNECTION_NOT_CONNECTED vnet1 connS2S",
	}, gotten)
	require.Equal(t, "/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1", fs[0].VNetID)
	require.Equal(t, "Peering peer (vnet1 → vnet2) is Initiated: only this half exists, so no traffic flows until the matching peering is created on vnet2.", fs[0].Message)
	// Same VNet, rule and resource: ordered by fingerprint.
	require.Contains(t, fs[2].Message, "on-premises site localgw1, reached over connection conn1: 10.0.0.0/8 overlaps 10.1.0.0/16")
	require.Contains(t, fs[3].Message, "on-premises site localgw, reached over connection connS2S: 10.0.0.0/8 overlaps 10.1.0.0/16")
	require.Equal(t, "Connecting", fs[4].Actual)
}
