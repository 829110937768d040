package emulator

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Peering handlers. A peering lives inline in its VNet
// (Properties.VirtualNetworkPeerings); the rules of its state machine are
// in peerrules.go.

func (s *Server) getPeering(w http.ResponseWriter, r *http.Request) {
	vkey, name := peeringRoute(r)
	s.serve(w, func() reply {
		v := s.st.vnets[vkey]
		if v == nil {
			if p := s.st.orphans[estate.KeyOf(routeVNetID(r)+"/virtualNetworkPeerings/"+name)]; p != nil {
				return reply{status: http.StatusOK, body: p}
			}
			return failed(notFound(routeVNetID(r)))
		}
		p := findInline(v, name)
		if p == nil {
			return failed(childNotFound(*v.ID + "/virtualNetworkPeerings/" + name))
		}
		return reply{status: http.StatusOK, body: p}
	})
}

func (s *Server) listPeerings(w http.ResponseWriter, r *http.Request) {
	vkey, _ := peeringRoute(r)
	s.serve(w, func() reply {
		if v := s.st.vnets[vkey]; v != nil {
			return page(r, inlinePeerings(v), s.opts.PageSize)
		}
		var orphans []*armnetwork.VirtualNetworkPeering
		for _, p := range estate.SortedValues(s.st.orphans) {
			if estate.KeyOf(estate.ParentVNetID(*p.ID)) == vkey {
				orphans = append(orphans, p)
			}
		}
		if orphans == nil {
			return failed(notFound(routeVNetID(r)))
		}
		return page(r, orphans, s.opts.PageSize)
	})
}

func (s *Server) putPeering(w http.ResponseWriter, r *http.Request) {
	body, e := decodeBody[armnetwork.VirtualNetworkPeering](r)
	if e != nil {
		writeError(w, e)
		return
	}
	vkey, name := peeringRoute(r)
	sync := strings.EqualFold(r.URL.Query().Get("syncRemoteAddressSpace"), "true")
	info := requestInfoOf(w, r)
	s.serve(w, func() reply {
		v := s.st.vnets[vkey]
		if v == nil {
			return failed(errf(http.StatusNotFound, "ParentResourceNotFound",
				"Failed to perform 'write' on resource(s) of type 'virtualNetworks/virtualNetworkPeerings', because the parent resource '%s' could not be found.", routeVNetID(r)))
		}
		if e := s.conflict(vkey); e != nil {
			return failed(e)
		}
		if e := s.st.validatePeering(v, name, body); e != nil {
			return failed(e)
		}
		created := findInline(v, name) == nil
		p := s.st.applyPeering(v, name, body, sync)
		pkey := estate.KeyOf(*p.ID)
		op := s.startOp(r, r.PathValue("sub"), str(v.Location), []estate.Key{vkey}, func() {
			if cur := s.st.peering(pkey); cur != nil {
				cur.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateSucceeded)
			}
			s.publish(info, *p.ID, estate.TypePeering+"/write", false)
		})
		return reply{status: createdOr(created), body: p, op: op}
	})
}

func (s *Server) deletePeering(w http.ResponseWriter, r *http.Request) {
	vkey, name := peeringRoute(r)
	info := requestInfoOf(w, r)
	s.serve(w, func() reply {
		v := s.st.vnets[vkey]
		p := findInline(v, name)
		if p == nil {
			return reply{status: http.StatusNoContent}
		}
		if e := s.conflict(vkey); e != nil {
			return failed(e)
		}
		if p.Properties == nil {
			p.Properties = &armnetwork.VirtualNetworkPeeringPropertiesFormat{}
		}
		p.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateDeleting)
		op := s.startOp(r, r.PathValue("sub"), str(v.Location), []estate.Key{vkey}, func() {
			s.st.removePeering(vkey, estate.KeyOf(*p.ID))
			s.publish(info, *p.ID, estate.TypePeering+"/delete", true)
		})
		return reply{status: http.StatusAccepted, op: op}
	})
}

// peering returns a stored peering by key, or nil.
func (st *store) peering(pkey estate.Key) *armnetwork.VirtualNetworkPeering {
	v := st.vnets[estate.KeyOf(estate.ParentVNetID(string(pkey)))]
	for _, q := range inlinePeerings(v) {
		if estate.KeyOf(str(q.ID)) == pkey {
			return q
		}
	}
	return nil
}

func inlinePeerings(v *armnetwork.VirtualNetwork) []*armnetwork.VirtualNetworkPeering {
	if v == nil || v.Properties == nil {
		return nil
	}
	return v.Properties.VirtualNetworkPeerings
}

// findInline returns the peering of v with the given name, or nil.
func findInline(v *armnetwork.VirtualNetwork, name string) *armnetwork.VirtualNetworkPeering {
	for _, q := range inlinePeerings(v) {
		if strings.EqualFold(str(q.Name), name) || (q.Name == nil && strings.EqualFold(estate.LastSegment(str(q.ID)), name)) {
			return q
		}
	}
	return nil
}

// setInlinePeering replaces the peering of v with p's key, or appends p.
func setInlinePeering(v *armnetwork.VirtualNetwork, p *armnetwork.VirtualNetworkPeering) {
	if v.Properties == nil {
		v.Properties = &armnetwork.VirtualNetworkPropertiesFormat{}
	}
	key := estate.KeyOf(*p.ID)
	for i, q := range v.Properties.VirtualNetworkPeerings {
		if estate.KeyOf(str(q.ID)) == key {
			v.Properties.VirtualNetworkPeerings[i] = p
			return
		}
	}
	v.Properties.VirtualNetworkPeerings = append(v.Properties.VirtualNetworkPeerings, p)
}

// reverseOf returns the peering of remote that points back to local, or nil.
func reverseOf(remote *armnetwork.VirtualNetwork, local estate.Key) *armnetwork.VirtualNetworkPeering {
	for _, q := range inlinePeerings(remote) {
		if remoteKeyOf(q) == local {
			return q
		}
	}
	return nil
}

func stateOf(p *armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeeringState {
	if p.Properties == nil || p.Properties.PeeringState == nil {
		return ""
	}
	return *p.Properties.PeeringState
}

func peeringRoute(r *http.Request) (estate.Key, string) {
	return estate.KeyOf(routeVNetID(r)), r.PathValue("name")
}

func routeVNetID(r *http.Request) string {
	return resourceID(r.PathValue("sub"), r.PathValue("rg"), estate.TypeVNet, r.PathValue("vnet"))
}

func boolOf(b *bool) bool { return b != nil && *b }

func createdOr(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}
