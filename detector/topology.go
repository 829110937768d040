package detector

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
)

// How a VNet reaches a linked network, as message formats over the linked
// network's name, the connection's name and the hub's name.
const (
	viaPeering       = "peered VNet %[1]s"
	viaVNet2VNet     = "VNet %[1]s, joined by VNet-to-VNet connection %[2]s"
	viaSiteToSite    = "VNet %[1]s, joined by Site-to-Site connection %[2]s"
	viaSharedGateway = "VNet %[1]s, which shares the gateway of %[3]s"
	viaSite          = "on-premises site %[1]s, reached over connection %[2]s"
	viaHubSite       = "on-premises site %[1]s, reached over connection %[2]s through the gateway of %[3]s"
)

// link is a network a VNet reaches: another VNet or an on-premises site.
type link struct {
	key      estate.Key // the other VNet or local network gateway
	id, name string
	prefixes []netip.Prefix
	how      string // one of the via* formats
	conn     string // connection name, for the formats that use one
	hub      string // hub name, for the formats that use one
}

// describe says what the linked network is and how it is reached.
func (l link) describe() string { return fmt.Sprintf(l.how, l.name, l.conn, l.hub) }

func vnetLink(v *estate.VNet, how, conn string) link {
	return link{key: v.Key, id: v.ID, name: v.Name, prefixes: v.Prefixes, how: how, conn: conn}
}

// topology says which networks can reach each other, for the VNets in
// scope. Spokes that share a hub's gateway are kept as a group per hub
// rather than as pairs, so a hub with n spokes costs O(n), not O(n²).
type topology struct {
	ev     *evaluator
	links  map[estate.Key][]link         // per VNet in scope
	sites  map[estate.Key][]link         // VNet → on-premises sites of its own gateway
	spokes map[estate.Key][]*estate.VNet // hub → VNets that use its gateway
	hubs   []estate.Key                  // keys of spokes, sorted
}

func buildTopology(ev *evaluator) *topology {
	t := &topology{
		ev:     ev,
		links:  map[estate.Key][]link{},
		sites:  map[estate.Key][]link{},
		spokes: map[estate.Key][]*estate.VNet{},
	}
	t.addPeerings()
	t.addConnections()
	t.addTransit()
	return t
}

// add records that v reaches l, when v is in scope.
func (t *topology) add(v *estate.VNet, l link) {
	if t.ev.wants(v.Key) {
		t.links[v.Key] = append(t.links[v.Key], l)
	}
}

// join links two VNets both ways.
func (t *topology) join(a, b *estate.VNet, how, conn string) {
	if a != b {
		t.add(a, vnetLink(b, how, conn))
		t.add(b, vnetLink(a, how, conn))
	}
}

// addPeerings links VNets peered in either direction.
func (t *topology) addPeerings() {
	for _, p := range t.ev.peerings {
		a, b := t.ev.e.VNets[p.VNetKey], t.ev.e.VNets[p.RemoteKey]
		if a != nil && b != nil {
			t.join(a, b, viaPeering, "")
		}
	}
}

// addConnections links the VNets at both ends of VNet-to-VNet connections
// and of Site-to-Site connections to a local network gateway that stands
// for a VNet, and links a VNet to the on-premises sites of its gateway.
func (t *topology) addConnections() {
	e := t.ev.e
	for _, c := range t.ev.conns {
		a := e.VNetOfGateway(c.Gateway1Key)
		if a == nil {
			continue
		}
		if strings.EqualFold(c.Type, connVNet2VNet) {
			if b := e.VNetOfGateway(c.Gateway2Key); b != nil {
				t.join(a, b, viaVNet2VNet, c.Name)
			}
			continue
		}
		l := e.LocalGateways[c.LocalGatewayKey]
		if l == nil {
			continue
		}
		if b := e.VNets[t.ev.represented[l.Key].key]; b != nil {
			t.join(a, b, viaSiteToSite, c.Name)
			continue
		}
		site := link{key: l.Key, id: l.ID, name: l.Name, prefixes: l.Prefixes, how: viaSite, conn: c.Name}
		t.add(a, site)
		t.sites[a.Key] = append(t.sites[a.Key], site)
	}
}

// addTransit groups the spokes that use a hub's gateway and links each
// spoke to the hub's on-premises sites.
func (t *topology) addTransit() {
	e := t.ev.e
	for _, p := range t.ev.peerings {
		if !p.UseRemoteGateways || p.VNetKey == p.RemoteKey || !e.HasGateway(p.RemoteKey) {
			continue
		}
		s, h := e.VNets[p.VNetKey], e.VNets[p.RemoteKey]
		if s == nil || h == nil {
			continue
		}
		if t.spokes[h.Key] == nil {
			t.hubs = append(t.hubs, h.Key)
		}
		t.spokes[h.Key] = append(t.spokes[h.Key], s)
		for _, site := range t.sites[h.Key] {
			site.how, site.hub = viaHubSite, h.Name
			t.add(s, site)
		}
	}
	slices.Sort(t.hubs)
	for _, h := range t.hubs {
		s := t.spokes[h]
		slices.SortFunc(s, func(a, b *estate.VNet) int { return strings.Compare(string(a.Key), string(b.Key)) })
		t.spokes[h] = slices.Compact(s)
	}
}
