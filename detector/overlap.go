package detector

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
)

// checkOverlaps runs ADDRESS_OVERLAP. Each VNet's prefixes are swept
// against those of the networks it links to, and the prefixes of the
// spokes that share a hub's gateway are swept once per hub, so no two
// prefixes are compared unless their networks are connected. A finding is
// emitted per VNet side of each overlapping pair.
func checkOverlaps(ev *evaluator) {
	t := buildTopology(ev)
	o := &overlaps{ev: ev, found: map[overlapKey]*overlap{}}
	for _, v := range ev.vnets {
		if ev.wants(v.Key) {
			o.direct(v, t.links[v.Key])
		}
	}
	for _, h := range t.hubs {
		o.shared(ev.e.VNets[h], t.spokes[h])
	}
	o.emit()
}

type overlapKey struct{ vnet, other estate.Key }

// overlap is what one VNet overlaps in one other network.
type overlap struct {
	vnet  *estate.VNet
	other link
	pairs [][2]netip.Prefix // the VNet's prefix, the other's prefix
	// owner is the VNet the finding belongs to: vnet itself, or for spokes
	// that only meet through a hub's gateway, the hub. Judging such a pair
	// needs every spoke of the hub, which is read with the hub (its peers),
	// not with one spoke; so only an evaluation of the hub decides it.
	owner *estate.VNet
}

// overlaps collects overlapping prefix pairs per VNet and other network.
type overlaps struct {
	ev    *evaluator
	found map[overlapKey]*overlap
}

// add records that v's prefix mine overlaps theirs in other. The first
// link recorded for a pair of networks names how they are connected.
func (o *overlaps) add(v *estate.VNet, other link, mine, theirs netip.Prefix) {
	o.addOwned(v, v, other, mine, theirs)
}

// addOwned is add for a finding that belongs to owner's VNet.
func (o *overlaps) addOwned(owner, v *estate.VNet, other link, mine, theirs netip.Prefix) {
	if !o.ev.wants(owner.Key) {
		return
	}
	k := overlapKey{v.Key, other.key}
	f := o.found[k]
	if f == nil {
		f = &overlap{vnet: v, other: other, owner: owner}
		o.found[k] = f
	}
	pair := [2]netip.Prefix{mine, theirs}
	if !slices.Contains(f.pairs, pair) {
		f.pairs = append(f.pairs, pair)
	}
}

// direct sweeps a VNet's prefixes (side 0) against those of the networks
// it links to (side 1), each network once: the first link to it names how.
func (o *overlaps) direct(v *estate.VNet, links []link) {
	slices.SortStableFunc(links, func(a, b link) int { return strings.Compare(string(a.key), string(b.key)) })
	spans := appendSpans(make([]span, 0, len(v.Prefixes)+len(links)), v.Prefixes, -1, 0)
	for i, l := range links {
		if l.key != v.Key && (i == 0 || l.key != links[i-1].key) {
			spans = appendSpans(spans, l.prefixes, i, 1)
		}
	}
	sweep(spans, true, func(a, b span) {
		if a.side == 1 {
			a, b = b, a
		}
		o.add(v, links[b.owner], a.p, b.p)
	})
}

// shared sweeps the prefixes of the spokes that use hub's gateway, which
// can reach each other through it. The findings belong to the hub.
func (o *overlaps) shared(hub *estate.VNet, spokes []*estate.VNet) {
	if len(spokes) < 2 || !o.ev.wants(hub.Key) {
		return
	}
	var spans []span
	for i, s := range spokes {
		spans = appendSpans(spans, s.Prefixes, i, 0)
	}
	sweep(spans, false, func(a, b span) {
		x, y := spokes[a.owner], spokes[b.owner]
		if x == y {
			return
		}
		lx, ly := vnetLink(x, viaSharedGateway, ""), vnetLink(y, viaSharedGateway, "")
		lx.hub, ly.hub = hub.Name, hub.Name
		o.addOwned(hub, x, ly, a.p, b.p)
		o.addOwned(hub, y, lx, b.p, a.p)
	})
}

func (o *overlaps) emit() {
	for _, f := range o.found {
		slices.SortFunc(f.pairs, func(a, b [2]netip.Prefix) int {
			return cmp.Or(comparePrefix(a[0], b[0]), comparePrefix(a[1], b[1]))
		})
		pairs := make([]string, len(f.pairs))
		for i, p := range f.pairs {
			pairs[i] = p[0].String() + " overlaps " + p[1].String()
		}
		actual := strings.Join(pairs, "; ")
		o.ev.emit(string(f.other.key), Finding{
			Rule: RuleAddressOverlap, ResourceID: f.vnet.ID, VNetID: f.owner.ID,
			Message: fmt.Sprintf("VNet %s overlaps %s: %s, so traffic to the overlapping addresses cannot reach both networks.",
				f.vnet.Name, f.other.describe(), actual),
			Expected: "no overlap with " + f.other.id, Actual: actual,
		})
	}
}
