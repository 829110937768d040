package estate

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const exampleEstate = "../examples/estate.json"

// reshape turns the example estate (an array of ARM REST resources) into
// each other input shape a user has.
func reshape(t *testing.T, shape string) []byte {
	t.Helper()
	data, err := os.ReadFile(exampleEstate)
	require.NoError(t, err)
	var elems []map[string]any
	require.NoError(t, json.Unmarshal(data, &elems))
	var out any = elems
	switch shape {
	case "value":
		out = map[string]any{"value": elems, "nextLink": nil}
	case "graph":
		for _, e := range elems {
			id := e["id"].(string)
			e["type"] = strings.ToLower(e["type"].(string))
			e["subscriptionId"] = SubscriptionOf(id)
			e["resourceGroup"] = strings.ToLower(ResourceGroupOf(id))
		}
		out = map[string]any{"totalRecords": len(elems), "count": len(elems), "data": elems, "resultTruncated": "false"}
	case "azcli":
		for i, e := range elems {
			elems[i] = flattenForTest(e)
		}
	}
	b, err := json.Marshal(out)
	require.NoError(t, err)
	return b
}

// flattenForTest mimics the az CLI: properties move to the top level, for
// the resource and for its sub-resources.
func flattenForTest(m map[string]any) map[string]any {
	props, ok := m["properties"].(map[string]any)
	if !ok {
		return m
	}
	delete(m, "properties")
	for k, v := range props {
		m[k] = v
	}
	for _, name := range childArrays {
		items, _ := m[name].([]any)
		for i, it := range items {
			if c, ok := it.(map[string]any); ok {
				items[i] = flattenForTest(c)
			}
		}
	}
	m["resourceGroup"] = ResourceGroupOf(m["id"].(string))
	return m
}

func TestDecodeShapesGiveTheSameEstate(t *testing.T) {
	want, err := Load(exampleEstate)
	require.NoError(t, err)
	require.Len(t, want.VNets, 5)
	require.Len(t, want.Peerings, 6)
	require.Len(t, want.Gateways, 2)
	require.Len(t, want.Connections, 3)
	require.Len(t, want.LocalGateways, 1)
	require.Len(t, want.PublicIPs, 3)
	for _, shape := range []string{"array", "value", "graph", "azcli"} {
		t.Run(shape, func(t *testing.T) {
			res, err := Decode(shape+".json", reshape(t, shape))
			require.NoError(t, err)
			got, err := Build(res)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestDecodeAzCLIVNetList(t *testing.T) {
	e, err := Load("testdata/az-cli-vnet-list.json")
	require.NoError(t, err)
	require.Len(t, e.VNets, 1)
	v := SortedValues(e.VNets)[0]
	assert.Equal(t, "vnet-spoke-app1-weu", v.Name)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}, v.Prefixes)
	require.Len(t, v.Subnets, 1)
	assert.Equal(t, "snet-app", v.Subnets[0].Name)
	require.Len(t, v.Peerings, 1)
	p := v.Peerings[0]
	assert.True(t, p.UseRemoteGateways)
	assert.Equal(t, PeeringConnected, p.State)
	assert.Equal(t, KeyOf("/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-net-weu/providers/microsoft.network/virtualnetworks/vnet-hub-weu"), p.RemoteKey)
}

func TestDecodeSharedExamples(t *testing.T) {
	e, err := Load("../../shared/data/arm-examples/estate-from-examples.json")
	if os.IsNotExist(errorsCause(err)) {
		t.Skip("shared/ not beside the repository")
	}
	require.NoError(t, err)
	// subid and subId differ only in case: one VNet, as Azure treats IDs.
	assert.Len(t, e.VNets, 5)
	assert.Len(t, e.Peerings, 2)
	assert.Len(t, e.Gateways, 3)
	assert.Len(t, e.Connections, 4)
	assert.Len(t, e.LocalGateways, 3)
	peer := e.Peerings[KeyOf("/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1/virtualNetworkPeerings/peer")]
	require.NotNil(t, peer, "peering type inferred from its ID")
	assert.Equal(t, PeeringInitiated, peer.State)
}

func errorsCause(err error) error {
	for err != nil {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
	return nil
}

func TestDecodeMergesFilesAndInlinePeerings(t *testing.T) {
	dir := t.TempDir()
	vnets := `[{"id":"/subscriptions/s/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/a","type":"Microsoft.Network/virtualNetworks","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"virtualNetworkPeerings":[{"id":"/subscriptions/s/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/a/virtualNetworkPeerings/p","properties":{"peeringState":"Initiated","remoteVirtualNetwork":{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/b"}}}]}}]`
	peerings := `{"value":[{"id":"/subscriptions/s/resourcegroups/rg/providers/Microsoft.Network/virtualNetworks/A/virtualNetworkPeerings/P","properties":{"peeringState":"Connected","remoteVirtualNetwork":{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/b"}}},{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x","type":"Microsoft.Storage/storageAccounts","properties":{}}]}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "v.json"), []byte(vnets), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.json"), []byte(peerings), 0o600))
	e, err := Load(filepath.Join(dir, "v.json"), filepath.Join(dir, "p.json"))
	require.NoError(t, err)
	require.Len(t, e.Peerings, 1, "inline and standalone peering are the same resource")
	a := e.VNets[KeyOf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/a")]
	require.NotNil(t, a)
	require.Len(t, a.Peerings, 1)
	assert.Equal(t, PeeringConnected, a.Peerings[0].State, "the later file wins")
	assert.Equal(t, "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/a", a.ID, "printed as given")
	assert.Equal(t, map[string]int{"Microsoft.Storage/storageAccounts": 1}, e.Skipped)
}

func TestDecodeErrorsNameFileAndElement(t *testing.T) {
	cases := []struct {
		name, input, want string
	}{
		{"empty", ``, "in.json: empty input"},
		{"not json", `{"value": [`, "in.json: invalid JSON"},
		{"scalar", `42`, "in.json: invalid JSON"},
		{"no id", `[{"type":"Microsoft.Network/virtualNetworks"}]`, `in.json: element 0: missing "id"`},
		{"blank id", `[{"id":"x","type":"Microsoft.Foo/bar"},{"id":" "}]`, `in.json: element 1: missing "id"`},
		{"bad element", `[{"id":"a","type":"Microsoft.Foo/bar"}, 7]`, "in.json: element 1: invalid JSON"},
		{"bad field", `[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"Microsoft.Network/virtualNetworks","properties":{"addressSpace":{"addressPrefixes":"10.0.0.0/8"}}}]`, `in.json: element 0: Microsoft.Network/virtualNetworks "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v": decoding`},
		{"table form", `{"data":{"columns":[],"rows":[]}}`, "Resource Graph table form is not supported"},
		{"other object", `{"foo":1}`, "want a JSON array"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode("in.json", []byte(c.input))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestBuildRejectsBadCIDR(t *testing.T) {
	res, err := Decode("in.json", []byte(`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"Microsoft.Network/virtualNetworks","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/33"]}}}]`))
	require.NoError(t, err)
	_, err = Build(res)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `virtual network "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v": address space: bad CIDR "10.0.0.0/33"`)
}

func TestIndexes(t *testing.T) {
	e, err := Load(exampleEstate)
	require.NoError(t, err)
	hub := KeyOf("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu")
	gw := e.VPNGatewayOf(hub)
	require.NotNil(t, gw)
	assert.Equal(t, "vpngw-hub-weu", gw.Name)
	assert.True(t, gw.ActiveActive)
	assert.Len(t, gw.PublicIPIDs, 2)
	assert.Len(t, e.ConnectionsOf(gw.Key), 3, "IPsec, and Vnet2Vnet as gateway 1 and as gateway 2")
	assert.Len(t, e.PeeringsTo(hub), 2)
	for _, p := range e.VNets[hub].Peerings {
		rev := e.ReversePeering(p)
		require.NotNil(t, rev, p.Name)
		assert.Equal(t, hub, rev.RemoteKey)
	}
	assert.Equal(t, e.VNets[hub], e.VNetOfGateway(gw.Key))
	lng := SortedValues(e.LocalGateways)[0]
	assert.Len(t, e.ConnectionsToLocalGateway(lng.Key), 1)
}

func TestResourcesMarshalRoundTrip(t *testing.T) {
	res, err := ReadFile(exampleEstate)
	require.NoError(t, err)
	data, err := json.Marshal(res)
	require.NoError(t, err)
	back, err := Decode("roundtrip.json", data)
	require.NoError(t, err)
	a, err := Build(res)
	require.NoError(t, err)
	b, err := Build(back)
	require.NoError(t, err)
	assert.Equal(t, a, b)
}
