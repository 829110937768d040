package emulator

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// kind describes a top-level resource type (gateways, connections, local
// network gateways) served by the generic GET/list/PUT/DELETE handlers.
type kind[T any] struct {
	typ     string // ARM type, e.g. estate.TypeGateway
	client  string // SDK client name without "Client", for Requests()
	segment string // URL segment after Microsoft.Network/
	rows    func(*store) map[estate.Key]*T
	// locks returns the keys besides the resource's own that a write to v
	// holds; nil: none.
	locks func(v *T) []estate.Key
	// prepare validates v and fills its type-specific computed fields; nil: none.
	prepare func(st *store, v *T) *armError
	// after applies the side effects of writing or deleting v; nil: none.
	after func(st *store, v *T)
}

func registerKind[T any](s *Server, k *kind[T]) {
	item := rgPath + k.segment + "/{name}"
	s.handle("GET "+item, k.client+".Get", func(w http.ResponseWriter, r *http.Request) {
		id, key := topID(r, k.typ)
		s.serve(w, func() reply {
			if v := k.rows(s.st)[key]; v != nil {
				return reply{status: http.StatusOK, body: v}
			}
			return failed(notFound(id))
		})
	})
	s.handle("GET "+rgPath+k.segment, k.client+".List", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, func() reply {
			return page(r, scoped(k.rows(s.st), r.PathValue("sub"), r.PathValue("rg"), k.typ), s.opts.PageSize)
		})
	})
	s.handle("PUT "+item, k.client+".CreateOrUpdate", func(w http.ResponseWriter, r *http.Request) { putOne(s, k, w, r) })
	s.handle("DELETE "+item, k.client+".Delete", func(w http.ResponseWriter, r *http.Request) { deleteOne(s, k, w, r) })
}

func putOne[T any](s *Server, k *kind[T], w http.ResponseWriter, r *http.Request) {
	body, e := decodeBody[T](r)
	if e == nil {
		e = validateTop(body)
	}
	if e != nil {
		writeError(w, e)
		return
	}
	info := requestInfoOf(w, r)
	id, key := topID(r, k.typ)
	s.serve(w, func() reply {
		rows := k.rows(s.st)
		old := rows[key]
		guid := newID()
		if old != nil {
			h := headOf(old)
			id, guid = h.ID, cmpOr(h.guid(), guid)
		}
		v := stamp(body, id, k.typ, armnetwork.ProvisioningStateUpdating, guid)
		locks := append(append([]estate.Key{key}, k.lockKeys(old)...), k.lockKeys(v)...)
		if e := s.conflict(locks...); e != nil {
			return failed(e)
		}
		if k.prepare != nil {
			if e := k.prepare(s.st, v); e != nil {
				return failed(e)
			}
		}
		rows[key] = v
		k.sideEffects(s.st, v)
		op := s.startOp(r, r.PathValue("sub"), headOf(v).Location, locks, func() {
			if cur := rows[key]; cur != nil {
				rows[key] = withState(cur, armnetwork.ProvisioningStateSucceeded)
			}
			s.publish(info, id, k.typ+"/write", false)
		})
		return reply{status: createdOr(old == nil), body: v, op: op}
	})
}

func deleteOne[T any](s *Server, k *kind[T], w http.ResponseWriter, r *http.Request) {
	info := requestInfoOf(w, r)
	_, key := topID(r, k.typ)
	s.serve(w, func() reply {
		rows := k.rows(s.st)
		old := rows[key]
		if old == nil {
			return reply{status: http.StatusNoContent}
		}
		locks := append([]estate.Key{key}, k.lockKeys(old)...)
		if e := s.conflict(locks...); e != nil {
			return failed(e)
		}
		rows[key] = withState(old, armnetwork.ProvisioningStateDeleting)
		op := s.startOp(r, r.PathValue("sub"), headOf(old).Location, locks, func() {
			gone := rows[key]
			delete(rows, key)
			k.sideEffects(s.st, gone)
			s.publish(info, headOf(gone).ID, k.typ+"/delete", true)
		})
		return reply{status: http.StatusAccepted, op: op}
	})
}

func (k *kind[T]) lockKeys(v *T) []estate.Key {
	if v == nil || k.locks == nil {
		return nil
	}
	return k.locks(v)
}

func (k *kind[T]) sideEffects(st *store, v *T) {
	if k.after != nil && v != nil {
		k.after(st, v)
	}
}

// validateTop checks what every top-level PUT body needs.
func validateTop[T any](body *T) *armError {
	h := headOf(body)
	if strings.TrimSpace(h.Location) == "" {
		return badRequest("LocationRequired", "The location property is required for this definition.")
	}
	if !h.hasProperties() {
		return badRequest("InvalidRequestFormat", "Cannot parse the request: the properties object is required.")
	}
	return nil
}

var gatewayKind = &kind[armnetwork.VirtualNetworkGateway]{
	typ: estate.TypeGateway, client: "VirtualNetworkGateways", segment: "virtualNetworkGateways",
	rows:  func(st *store) map[estate.Key]*armnetwork.VirtualNetworkGateway { return st.gateways },
	locks: func(g *armnetwork.VirtualNetworkGateway) []estate.Key { return []estate.Key{gatewayVNet(g)} },
	after: func(st *store, g *armnetwork.VirtualNetworkGateway) { st.refreshUsers(estate.KeyOf(str(g.ID))) },
}

var connectionKind = &kind[armnetwork.VirtualNetworkGatewayConnection]{
	typ: estate.TypeConnection, client: "VirtualNetworkGatewayConnections", segment: "connections",
	rows:    func(st *store) map[estate.Key]*armnetwork.VirtualNetworkGatewayConnection { return st.conns },
	prepare: prepareConnection,
	after:   func(st *store, c *armnetwork.VirtualNetworkGatewayConnection) { st.refreshReverse(c) },
}

var localGatewayKind = &kind[armnetwork.LocalNetworkGateway]{
	typ: estate.TypeLocalGateway, client: "LocalNetworkGateways", segment: "localNetworkGateways",
	rows:  func(st *store) map[estate.Key]*armnetwork.LocalNetworkGateway { return st.lngs },
	after: func(st *store, l *armnetwork.LocalNetworkGateway) { st.refreshUsers(estate.KeyOf(str(l.ID))) },
}

// listGatewayConnections serves VirtualNetworkGatewaysClient.NewListConnectionsPager:
// the connections in which the gateway is gateway 1 or gateway 2.
func (s *Server) listGatewayConnections(w http.ResponseWriter, r *http.Request) {
	id, key := topID(r, estate.TypeGateway)
	s.serve(w, func() reply {
		if s.st.gateways[key] == nil {
			return failed(notFound(id))
		}
		var items []*armnetwork.VirtualNetworkGatewayConnection
		for _, c := range estate.SortedValues(s.st.conns) {
			if refs := connRefs(c); refs.gw1 == key || refs.gw2 == key {
				items = append(items, c)
			}
		}
		return page(r, items, s.opts.PageSize)
	})
}

// getPublicIP serves public IP addresses read-only, so gateway IPs resolve.
func (s *Server) getPublicIP(w http.ResponseWriter, r *http.Request) {
	id, key := topID(r, estate.TypePublicIP)
	s.serve(w, func() reply {
		if p := s.st.pips[key]; p != nil {
			return reply{status: http.StatusOK, body: p}
		}
		return failed(notFound(id))
	})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
