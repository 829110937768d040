package pipeline

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/examples"
)

// IDs of the example estate.
const (
	subWEU    = "/subscriptions/11111111-1111-1111-1111-111111111111"
	subNEU    = "/subscriptions/22222222-2222-2222-2222-222222222222"
	net       = "/providers/Microsoft.Network/"
	hubWEU    = subWEU + "/resourceGroups/rg-net-weu" + net + "virtualNetworks/vnet-hub-weu"
	spoke1    = subWEU + "/resourceGroups/rg-app1-weu" + net + "virtualNetworks/vnet-spoke-app1-weu"
	spoke2    = subWEU + "/resourceGroups/rg-app2-weu" + net + "virtualNetworks/vnet-spoke-app2-weu"
	hubNEU    = subNEU + "/resourceGroups/rg-net-neu" + net + "virtualNetworks/vnet-hub-neu"
	spoke3    = subNEU + "/resourceGroups/rg-app3-neu" + net + "virtualNetworks/vnet-spoke-app3-neu"
	gwWEU     = subWEU + "/resourceGroups/rg-net-weu" + net + "virtualNetworkGateways/vpngw-hub-weu"
	gwNEU     = subNEU + "/resourceGroups/rg-net-neu" + net + "virtualNetworkGateways/vpngw-hub-neu"
	cnV2V     = subWEU + "/resourceGroups/rg-net-weu" + net + "connections/cn-hub-weu-to-hub-neu"
	cnS2S     = subWEU + "/resourceGroups/rg-net-weu" + net + "connections/cn-hub-weu-to-onprem-amsterdam"
	lngAms    = subWEU + "/resourceGroups/rg-net-weu" + net + "localNetworkGateways/lng-onprem-amsterdam"
	hubToS2   = hubWEU + "/virtualNetworkPeerings/peer-hub-weu-to-spoke-app2"
	s3ToHubN  = spoke3 + "/virtualNetworkPeerings/peer-spoke-app3-to-hub-neu"
	unknownPe = spoke1 + "/virtualNetworkPeerings/peer-made-by-hand"
)

func exampleEstate(t testing.TB) *estate.Estate {
	t.Helper()
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	e, err := estate.Build(res)
	require.NoError(t, err)
	return e
}

func exampleBaseline(t testing.TB) *baseline.Baseline {
	t.Helper()
	b, err := baseline.Parse(examples.BaselineName, examples.Baseline)
	require.NoError(t, err)
	return b
}

// representsBaseline declares that the Amsterdam site is really hub-neu
// (two VNets joined Site-to-Site).
func representsBaseline(t testing.TB) *baseline.Baseline {
	t.Helper()
	b, err := baseline.Parse("represents.yaml", []byte("version: 1\nlocalNetworkGateways:\n  - id: "+lngAms+"\n    represents: "+hubNEU+"\n"))
	require.NoError(t, err)
	return b
}

func change(resourceID string) eventgrid.Change {
	return eventgrid.Change{EventID: "e1", ResourceURI: resourceID, OperationName: "Microsoft.Network/x/write"}
}

func TestAffected(t *testing.T) {
	learned := NewIndex(nil)
	learned.Learn(exampleEstate(t))
	fromBaseline := NewIndex(exampleBaseline(t))
	empty := NewIndex(nil)
	both := NewIndex(representsBaseline(t))
	both.Learn(exampleEstate(t))

	tests := []struct {
		name     string
		ix       *Index
		resource string
		want     []string
	}{
		{"VNet: that VNet", learned, spoke1, []string{spoke1}},
		{"VNet never seen: that VNet", empty, spoke1, []string{spoke1}},
		{"VNet ID in other casing: spelled as first seen", learned, strings.ToUpper(spoke1), []string{spoke1}},
		{"subnet: its VNet", learned, spoke1 + "/subnets/snet-app", []string{spoke1}},
		{"peering: its VNet and the remote", learned, hubToS2, []string{hubWEU, spoke2}},
		{"deleted peering known from the baseline only", fromBaseline, hubToS2, []string{hubWEU, spoke2}},
		{"peering in lower case", learned, strings.ToLower(s3ToHubN), []string{spoke3, hubNEU}},
		{"peering never seen: its VNet only", learned, unknownPe, []string{spoke1}},
		{"gateway: its VNet and the far end of its Vnet2Vnet connection", learned, gwWEU, []string{hubWEU, hubNEU}},
		{"gateway action (reset) names the gateway", learned, gwNEU, []string{hubNEU, hubWEU}},
		{"deleted gateway known from the baseline", fromBaseline, gwWEU, []string{hubWEU, hubNEU}},
		{"gateway never seen: nothing known", empty, gwWEU, nil},
		{"gateway with an S2S link to a site that is a VNet", both, gwWEU, []string{hubWEU, hubNEU}},
		{"Vnet2Vnet connection: both ends", learned, cnV2V, []string{hubWEU, hubNEU}},
		{"deleted Vnet2Vnet connection from the baseline", fromBaseline, cnV2V, []string{hubWEU, hubNEU}},
		{"IPsec connection: the gateway's VNet", learned, cnS2S, []string{hubWEU}},
		{"IPsec connection to a site that is a VNet: both", both, cnS2S, []string{hubWEU, hubNEU}},
		{"local network gateway: VNets whose gateways connect to it", learned, lngAms, []string{hubWEU}},
		{"local network gateway from the baseline's connections", fromBaseline, lngAms, []string{hubWEU}},
		{"local network gateway that stands for a VNet", both, lngAms, []string{hubWEU, hubNEU}},
		{"public IP: not modelled", learned, subWEU + "/resourceGroups/rg-net-weu" + net + "publicIPAddresses/pip-vpngw-hub-weu-1", nil},
		{"another provider: nothing", learned, subWEU + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", nil},
		{"not a resource ID", learned, "subject", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Affected(change(tt.resource), tt.ix))
		})
	}
}

func TestAffectedUsesSubjectWithoutResourceURI(t *testing.T) {
	ix := NewIndex(exampleBaseline(t))
	got := Affected(eventgrid.Change{Subject: hubToS2}, ix)
	assert.Equal(t, []string{hubWEU, spoke2}, got)
}

func TestIndexRemembersDeletedPeering(t *testing.T) {
	ix := NewIndex(nil)
	ix.Learn(exampleEstate(t))
	ix.Learn(estateWithout(t, hubToS2)) // a later read no longer has it
	assert.Equal(t, []string{hubWEU, spoke2}, Affected(change(hubToS2), ix))
}

// estateWithout returns the example estate without one peering.
func estateWithout(t testing.TB, peering string) *estate.Estate {
	t.Helper()
	e := exampleEstate(t)
	delete(e.Peerings, estate.KeyOf(peering))
	e.Index()
	return e
}
