package azure

import (
	"slices"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetdrift/vnetdrift/estate"
)

// collector gathers resources read concurrently, once per resource ID.
type collector struct {
	mu   sync.Mutex
	seen map[estate.Key]bool
	res  estate.Resources
}

func newCollector() *collector {
	return &collector{seen: map[estate.Key]bool{}, res: estate.Resources{Skipped: map[string]int{}}}
}

// add appends v to *dst unless a resource with the same ID was added; it
// reports whether v was added. Resources without an ID are dropped.
func add[T any](c *collector, dst *[]*T, id *string, v *T) bool {
	if id == nil || *id == "" || v == nil {
		return false
	}
	k := estate.KeyOf(*id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[k] {
		return false
	}
	c.seen[k] = true
	*dst = append(*dst, v)
	return true
}

func (c *collector) vnet(v *armnetwork.VirtualNetwork) { add(c, &c.res.VNets, v.ID, v) }

func (c *collector) gateway(v *armnetwork.VirtualNetworkGateway) { add(c, &c.res.Gateways, v.ID, v) }

func (c *collector) connection(v *armnetwork.VirtualNetworkGatewayConnection) {
	add(c, &c.res.Connections, v.ID, v)
}

func (c *collector) localGateway(v *armnetwork.LocalNetworkGateway) {
	add(c, &c.res.LocalGateways, v.ID, v)
}

func (c *collector) publicIP(v *armnetwork.PublicIPAddress) { add(c, &c.res.PublicIPs, v.ID, v) }

// resources returns what was collected, sorted with sortResources.
func (c *collector) resources() *estate.Resources {
	c.mu.Lock()
	defer c.mu.Unlock()
	res := c.res
	sortResources(&res)
	return &res
}

// sortResources puts each kind of resource in resource-ID order, so results
// do not depend on the order in which concurrent reads or pages finished.
func sortResources(r *estate.Resources) {
	sortByID(r.VNets, func(v *armnetwork.VirtualNetwork) *string { return v.ID })
	sortByID(r.Peerings, func(v *armnetwork.VirtualNetworkPeering) *string { return v.ID })
	sortByID(r.Gateways, func(v *armnetwork.VirtualNetworkGateway) *string { return v.ID })
	sortByID(r.Connections, func(v *armnetwork.VirtualNetworkGatewayConnection) *string { return v.ID })
	sortByID(r.LocalGateways, func(v *armnetwork.LocalNetworkGateway) *string { return v.ID })
	sortByID(r.PublicIPs, func(v *armnetwork.PublicIPAddress) *string { return v.ID })
}

func sortByID[T any](s []*T, id func(*T) *string) {
	slices.SortStableFunc(s, func(a, b *T) int {
		return strings.Compare(string(estate.KeyOf(deref(id(a)))), string(estate.KeyOf(deref(id(b)))))
	})
}
