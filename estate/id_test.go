package estate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIDHelpers(t *testing.T) {
	peering := "/subscriptions/S1/resourcegroups/RG/providers/Microsoft.Network/virtualNetworks/hub/virtualNetworkPeerings/p1"
	cases := []struct {
		name, got, want string
	}{
		{"subscription", SubscriptionOf(peering), "S1"},
		{"resource group any case", ResourceGroupOf(peering), "RG"},
		{"parent vnet", ParentVNetID(peering), "/subscriptions/S1/resourcegroups/RG/providers/Microsoft.Network/virtualNetworks/hub"},
		{"last segment", LastSegment(peering + "/"), "p1"},
		{"type of child", TypeFromID(peering), TypePeering},
		{"type of vnet", TypeFromID(ParentVNetID(peering)), TypeVNet},
		{"no provider", TypeFromID("/subscriptions/x"), ""},
		{"no vnet", ParentVNetID("/subscriptions/x/resourceGroups/y"), ""},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.got, c.name)
	}
	assert.Equal(t, KeyOf(" /Subscriptions/A/resourceGroups/B/ "), KeyOf("/subscriptions/a/resourcegroups/b"))
}
