package pipeline

import (
	"strings"
	"sync"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Index is the last-known topology Affected maps changes with: which VNet
// a peering points to, which VNet hosts a gateway, which gateways and local
// network gateways a connection joins. It starts from the baseline and
// learns from every read, and it never forgets: a deleted peering's remote
// side is exactly what a delete event needs and what a fresh read can no
// longer tell. A stale entry only widens an evaluation's scope. It is safe
// for concurrent use.
type Index struct {
	mu         sync.RWMutex
	ids        map[estate.Key]string // spelled ID of every VNet seen
	peerRemote map[estate.Key]estate.Key
	gwVNet     map[estate.Key]estate.Key
	conns      map[estate.Key]connEnds
	byGateway  map[estate.Key]map[estate.Key]bool // gateway → connections
	byLocal    map[estate.Key]map[estate.Key]bool // local network gateway → connections
	represents map[estate.Key]estate.Key          // local network gateway → VNet it stands for
}

// connEnds are the resources a connection joins; empty when unknown.
type connEnds struct{ gw1, gw2, local estate.Key }

// NewIndex returns an index that knows what the baseline declares (b may
// be nil): its VNets' named peerings, gateways and connections, and the
// VNets its local network gateways represent.
func NewIndex(b *baseline.Baseline) *Index {
	ix := &Index{
		ids:        map[estate.Key]string{},
		peerRemote: map[estate.Key]estate.Key{},
		gwVNet:     map[estate.Key]estate.Key{},
		conns:      map[estate.Key]connEnds{},
		byGateway:  map[estate.Key]map[estate.Key]bool{},
		byLocal:    map[estate.Key]map[estate.Key]bool{},
		represents: map[estate.Key]estate.Key{},
	}
	if b != nil {
		ix.learnBaseline(b)
	}
	return ix
}

func (ix *Index) learnBaseline(b *baseline.Baseline) {
	for _, v := range b.VNets {
		vk := ix.vnet(v.ID)
		for _, p := range v.Peerings {
			remote := ix.vnet(p.Remote)
			if p.Name != "" {
				ix.peerRemote[estate.KeyOf(v.ID+"/virtualNetworkPeerings/"+p.Name)] = remote
			}
		}
		if v.Gateway == nil {
			continue
		}
		gw := estate.KeyOf(v.Gateway.ID)
		ix.gwVNet[gw] = vk
		for _, c := range v.Connections {
			ends := connEnds{gw1: gw}
			if strings.EqualFold(estate.TypeFromID(c.Peer), estate.TypeLocalGateway) {
				ends.local = estate.KeyOf(c.Peer)
			} else {
				ends.gw2 = estate.KeyOf(c.Peer)
			}
			ix.connection(estate.KeyOf(c.ID), ends)
		}
	}
	for _, l := range b.LocalGateways {
		if l.Represents != "" {
			ix.represents[estate.KeyOf(l.ID)] = ix.vnet(l.Represents)
		}
	}
}

// Learn records the topology of a freshly read estate.
func (ix *Index) Learn(e *estate.Estate) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, v := range e.VNets {
		ix.ids[v.Key] = v.ID
	}
	for _, p := range e.Peerings {
		ix.vnet(p.VNetID)
		ix.peerRemote[p.Key] = ix.vnet(p.RemoteVNetID)
	}
	for _, g := range e.Gateways {
		if g.VNetKey != "" {
			ix.gwVNet[g.Key] = ix.vnet(g.VNetID)
		}
	}
	for _, c := range e.Connections {
		ix.connection(c.Key, connEnds{gw1: c.Gateway1Key, gw2: c.Gateway2Key, local: c.LocalGatewayKey})
	}
}

// vnet records a VNet's spelling, keeping the first one seen, and returns
// its key. The caller holds mu (or owns ix).
func (ix *Index) vnet(id string) estate.Key {
	k := estate.KeyOf(id)
	if _, ok := ix.ids[k]; !ok && id != "" {
		ix.ids[k] = id
	}
	return k
}

// connection records a connection's ends, keeping what a previous entry
// knew when this one does not say. The caller holds mu (or owns ix).
func (ix *Index) connection(k estate.Key, ends connEnds) {
	old := ix.conns[k]
	ends.gw1 = orKey(ends.gw1, old.gw1)
	ends.gw2 = orKey(ends.gw2, old.gw2)
	ends.local = orKey(ends.local, old.local)
	ix.conns[k] = ends
	for _, gw := range []estate.Key{ends.gw1, ends.gw2} {
		if gw != "" {
			addTo(ix.byGateway, gw, k)
		}
	}
	if ends.local != "" {
		addTo(ix.byLocal, ends.local, k)
	}
}

func orKey(a, b estate.Key) estate.Key {
	if a != "" {
		return a
	}
	return b
}

func addTo(m map[estate.Key]map[estate.Key]bool, k, v estate.Key) {
	if m[k] == nil {
		m[k] = map[estate.Key]bool{}
	}
	m[k][v] = true
}
