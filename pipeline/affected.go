package pipeline

import (
	"maps"
	"slices"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
)

// Affected maps a change to the VNets whose findings it can change — the
// keys an evaluation is scoped to (controller-runtime's MapFunc). It never
// looks at what the event says changed, only at which resource:
//
//   - a VNet, or anything inside one (a subnet): that VNet;
//   - a peering: its VNet and the remote VNet, from the index (which
//     remembers peerings that are gone);
//   - a virtual network gateway: its VNet and the VNets at the other end
//     of its connections (the far gateway's VNet, or the VNet a local
//     network gateway stands for);
//   - a connection: the VNets of both ends;
//   - a local network gateway: the VNets whose gateways connect to it, and
//     the VNet it stands for.
//
// Ends the index does not know are left out: a gateway never read before
// has no known VNet until the next read or reconcile. The result holds
// each VNet once, the changed resource's own VNet first; nil when the
// change names no network resource vnetdrift models.
func Affected(c eventgrid.Change, ix *Index) []string {
	kind, id := networkResource(c.ResourceID())
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := &vnetSet{ix: ix}
	switch kind {
	case kindVNet:
		out.addID(id)
	case kindPeering:
		out.addID(estate.ParentVNetID(id))
		out.add(ix.peerRemote[estate.KeyOf(id)])
	case kindGateway:
		gw := estate.KeyOf(id)
		out.add(ix.gwVNet[gw])
		for _, conn := range slices.Sorted(maps.Keys(ix.byGateway[gw])) {
			out.connection(ix.conns[conn])
		}
	case kindConnection:
		out.connection(ix.conns[estate.KeyOf(id)])
	case kindLocalGateway:
		lng := estate.KeyOf(id)
		for _, conn := range slices.Sorted(maps.Keys(ix.byLocal[lng])) {
			out.connection(ix.conns[conn])
		}
		out.add(ix.represents[lng])
	}
	return out.ids
}

// Kinds of network resources, by the ARM type segment.
const (
	kindVNet         = "virtualnetworks"
	kindPeering      = "virtualnetworkpeerings"
	kindGateway      = "virtualnetworkgateways"
	kindConnection   = "connections"
	kindLocalGateway = "localnetworkgateways"
)

// networkResource returns the kind of Microsoft.Network resource an ID
// names (lower-case type segment) and the ID of that resource without
// child segments: a subnet's VNet, a gateway action's gateway. A peering
// keeps its own ID. The kind is "" for anything else.
func networkResource(id string) (kind, base string) {
	parts := strings.Split(strings.TrimRight(strings.TrimSpace(id), "/"), "/")
	for i := 0; i+3 < len(parts); i++ {
		if !strings.EqualFold(parts[i], "providers") || !strings.EqualFold(parts[i+1], "Microsoft.Network") {
			continue
		}
		kind = strings.ToLower(parts[i+2])
		if kind == kindVNet && i+5 < len(parts) && strings.EqualFold(parts[i+4], "virtualNetworkPeerings") {
			return kindPeering, strings.Join(parts[:i+6], "/")
		}
		switch kind {
		case kindVNet, kindGateway, kindConnection, kindLocalGateway:
			return kind, strings.Join(parts[:i+4], "/")
		}
		return "", ""
	}
	return "", ""
}

// vnetSet collects VNet IDs once each, in the order added. The caller
// holds the index's read lock.
type vnetSet struct {
	ix   *Index
	seen map[estate.Key]bool
	ids  []string
}

// add adds a VNet the index knows by key, spelled as first seen.
func (s *vnetSet) add(k estate.Key) { s.put(k, s.ix.ids[k]) }

// addID adds a VNet named by the change, spelled as the index knows it or
// else as given.
func (s *vnetSet) addID(id string) {
	k := estate.KeyOf(id)
	if known := s.ix.ids[k]; known != "" {
		id = known
	}
	s.put(k, id)
}

func (s *vnetSet) put(k estate.Key, id string) {
	if k == "" || s.seen[k] {
		return
	}
	if s.seen == nil {
		s.seen = map[estate.Key]bool{}
	}
	s.seen[k] = true
	if id == "" {
		id = string(k)
	}
	s.ids = append(s.ids, id)
}

// connection adds the VNets a connection joins.
func (s *vnetSet) connection(c connEnds) {
	s.add(s.ix.gwVNet[c.gw1])
	s.add(s.ix.gwVNet[c.gw2])
	s.add(s.ix.represents[c.local])
}
