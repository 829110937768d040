package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// store is the emulated state, keyed by estate.KeyOf(resource ID); every
// value keeps the ID spelling it was loaded or created with. A VNet's
// inline peerings (Properties.VirtualNetworkPeerings) are THE peering store:
// the standalone peering routes read and write them.
type store struct {
	vnets    map[estate.Key]*armnetwork.VirtualNetwork
	orphans  map[estate.Key]*armnetwork.VirtualNetworkPeering // peerings whose VNet is not in the estate
	gateways map[estate.Key]*armnetwork.VirtualNetworkGateway
	conns    map[estate.Key]*armnetwork.VirtualNetworkGatewayConnection
	lngs     map[estate.Key]*armnetwork.LocalNetworkGateway
	pips     map[estate.Key]*armnetwork.PublicIPAddress
}

func newStore() *store {
	return &store{
		vnets:    map[estate.Key]*armnetwork.VirtualNetwork{},
		orphans:  map[estate.Key]*armnetwork.VirtualNetworkPeering{},
		gateways: map[estate.Key]*armnetwork.VirtualNetworkGateway{},
		conns:    map[estate.Key]*armnetwork.VirtualNetworkGatewayConnection{},
		lngs:     map[estate.Key]*armnetwork.LocalNetworkGateway{},
		pips:     map[estate.Key]*armnetwork.PublicIPAddress{},
	}
}

// load copies res into a new store. Resources without an ID are skipped;
// of two with the same key the later wins, as in estate.Build. Standalone
// peerings are merged into their VNet's inline peerings.
func load(res *estate.Resources) *store {
	st := newStore()
	if res == nil {
		return st
	}
	for _, v := range res.VNets {
		if v != nil && str(v.ID) != "" {
			v = clone(v)
			normalizeInlinePeerings(v)
			st.vnets[estate.KeyOf(*v.ID)] = v
		}
	}
	for _, p := range res.Peerings {
		if p != nil && str(p.ID) != "" {
			st.attachPeering(clone(p))
		}
	}
	putAll(st.gateways, res.Gateways, func(g *armnetwork.VirtualNetworkGateway) *string { return g.ID })
	putAll(st.conns, res.Connections, func(c *armnetwork.VirtualNetworkGatewayConnection) *string { return c.ID })
	putAll(st.lngs, res.LocalGateways, func(l *armnetwork.LocalNetworkGateway) *string { return l.ID })
	putAll(st.pips, res.PublicIPs, func(p *armnetwork.PublicIPAddress) *string { return p.ID })
	return st
}

func putAll[T any](m map[estate.Key]*T, items []*T, id func(*T) *string) {
	for _, v := range items {
		if v != nil && str(id(v)) != "" {
			m[estate.KeyOf(*id(v))] = clone(v)
		}
	}
}

// normalizeInlinePeerings gives inline peerings that lack them an ID and a type.
func normalizeInlinePeerings(v *armnetwork.VirtualNetwork) {
	for _, p := range inlinePeerings(v) {
		if str(p.ID) == "" && str(p.Name) != "" {
			p.ID = ptr(*v.ID + "/virtualNetworkPeerings/" + *p.Name)
		}
		if p.Type == nil {
			p.Type = ptr(estate.TypePeering)
		}
	}
}

// attachPeering puts a standalone peering into its VNet, replacing an
// inline one with the same key, or keeps it as an orphan.
func (st *store) attachPeering(p *armnetwork.VirtualNetworkPeering) {
	if p.Name == nil {
		p.Name = ptr(estate.LastSegment(*p.ID))
	}
	if p.Type == nil {
		p.Type = ptr(estate.TypePeering)
	}
	if v := st.vnets[estate.KeyOf(estate.ParentVNetID(*p.ID))]; v != nil {
		setInlinePeering(v, p)
		return
	}
	st.orphans[estate.KeyOf(*p.ID)] = p
}

// snapshot deep-copies the store into estate.Resources, in key order.
func (st *store) snapshot() *estate.Resources {
	return &estate.Resources{
		VNets:         st.viewAll(estate.SortedValues(st.vnets)),
		Peerings:      cloneAll(estate.SortedValues(st.orphans)),
		Gateways:      cloneAll(estate.SortedValues(st.gateways)),
		Connections:   cloneAll(estate.SortedValues(st.conns)),
		LocalGateways: cloneAll(estate.SortedValues(st.lngs)),
		PublicIPs:     cloneAll(estate.SortedValues(st.pips)),
		Skipped:       map[string]int{},
	}
}

// gatewaysIn returns the gateways whose IP configurations sit in a subnet of vnet.
func (st *store) gatewaysIn(vnet estate.Key) []*armnetwork.VirtualNetworkGateway {
	var out []*armnetwork.VirtualNetworkGateway
	for _, g := range estate.SortedValues(st.gateways) {
		if gatewayVNet(g) == vnet {
			out = append(out, g)
		}
	}
	return out
}

// gatewayVNet returns the key of the VNet a gateway is deployed in, or "".
func gatewayVNet(g *armnetwork.VirtualNetworkGateway) estate.Key {
	if g.Properties == nil {
		return ""
	}
	for _, ipc := range g.Properties.IPConfigurations {
		if ipc != nil && ipc.Properties != nil && ipc.Properties.Subnet != nil {
			if id := estate.ParentVNetID(str(ipc.Properties.Subnet.ID)); id != "" {
				return estate.KeyOf(id)
			}
		}
	}
	return ""
}

// scoped returns the values of m whose keys lie in subscription sub (and
// resource group rg, unless "") and have type typ, in key order.
func scoped[T any](m map[estate.Key]*T, sub, rg, typ string) []*T {
	var out []*T
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if inScope(k, sub, rg, typ) {
			out = append(out, m[k])
		}
	}
	return out
}

// resourceID spells a new top-level resource's ID the way ARM does.
func resourceID(sub, rg, typ, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + typ + "/" + name
}

// inScope reports whether a stored key lies under the lower-cased prefix
// of a list scope (subscription or resource group) and has the given type.
func inScope(key estate.Key, sub, rg, typ string) bool {
	prefix := "/subscriptions/" + sub + "/"
	if rg != "" {
		prefix += "resourcegroups/" + rg + "/"
	}
	k := string(key)
	return strings.HasPrefix(k, strings.ToLower(prefix)) &&
		strings.EqualFold(estate.TypeFromID(k), typ)
}

// clone deep-copies an SDK model value through its REST JSON form. The
// SDK's own marshalling of its own types cannot fail, so a failure is a
// programming error.
func clone[T any](v *T) *T {
	if v == nil {
		return nil
	}
	out := new(T)
	if err := json.Unmarshal(mustJSON(v), out); err != nil {
		panic(fmt.Sprintf("emulator: cloning %T: %v", v, err))
	}
	return out
}

func cloneAll[T any](items []*T) []*T {
	out := make([]*T, len(items))
	for i, v := range items {
		out[i] = clone(v)
	}
	return out
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }
