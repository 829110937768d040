package emulator

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

const typeSubnet = estate.TypeVNet + "/subnets"

func (s *Server) getVNet(w http.ResponseWriter, r *http.Request) {
	id := routeVNetID(r)
	s.serve(w, func() reply {
		v := s.st.vnets[estate.KeyOf(id)]
		if v == nil {
			return failed(notFound(id))
		}
		return reply{status: http.StatusOK, body: s.st.view(v)}
	})
}

// listVNets serves both the resource-group list and the subscription-wide
// list-all (whose route has no {rg}).
func (s *Server) listVNets(w http.ResponseWriter, r *http.Request) {
	s.serve(w, func() reply {
		items := s.st.viewAll(scoped(s.st.vnets, r.PathValue("sub"), r.PathValue("rg"), estate.TypeVNet))
		return page(r, items, s.opts.PageSize)
	})
}

func (s *Server) putVNet(w http.ResponseWriter, r *http.Request) {
	body, e := decodeBody[armnetwork.VirtualNetwork](r)
	if e != nil {
		writeError(w, e)
		return
	}
	info := requestInfoOf(w, r)
	s.serve(w, func() reply { return s.writeVNet(r, info, routeVNetID(r), body) })
}

// writeVNet validates a VNet PUT completely, then applies it: address
// space changes mark the peerings on both sides not in sync, and inline
// peerings in the body that are new or changed go through the peering
// state machine. Peerings the body omits are kept. The caller holds s.mu.
func (s *Server) writeVNet(r *http.Request, info reqInfo, id string, body *armnetwork.VirtualNetwork) reply {
	key := estate.KeyOf(id)
	if e := s.conflict(key); e != nil {
		return failed(e)
	}
	old := s.st.vnets[key]
	if old != nil {
		id = *old.ID
	}
	if e := validateVNet(id, body); e != nil {
		return failed(e)
	}
	v := newVNet(id, body, old)
	if e := s.st.checkVNetUpdate(old, v); e != nil {
		return failed(e)
	}
	inline := changedPeerings(body, old)
	for _, np := range inline {
		if e := s.st.validatePeering(v, np.name, np.body); e != nil {
			return failed(e)
		}
	}
	s.st.vnets[key] = v
	if old == nil {
		s.st.adoptOrphans(v)
	} else if !sameSpace(spaceOf(old), spaceOf(v)) {
		s.st.markSpaceChanged(key)
	}
	s.st.refreshPointing(v)
	for _, np := range inline {
		s.st.applyPeering(v, np.name, np.body, false)
	}
	op := s.startOp(r, r.PathValue("sub"), str(v.Location), []estate.Key{key}, func() {
		if cur := s.st.vnets[key]; cur != nil {
			succeedVNet(cur)
		}
		s.publish(info, id, estate.TypeVNet+"/write", false)
	})
	return reply{status: createdOr(old == nil), body: v, op: op}
}

func (s *Server) deleteVNet(w http.ResponseWriter, r *http.Request) {
	id := routeVNetID(r)
	key := estate.KeyOf(id)
	info := requestInfoOf(w, r)
	s.serve(w, func() reply {
		v := s.st.vnets[key]
		if v == nil {
			return reply{status: http.StatusNoContent}
		}
		if e := s.conflict(key); e != nil {
			return failed(e)
		}
		if gws := s.st.gatewaysIn(key); len(gws) > 0 {
			return failed(inUseSubnet(gws[0]))
		}
		if v.Properties == nil {
			v.Properties = &armnetwork.VirtualNetworkPropertiesFormat{}
		}
		v.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateDeleting)
		op := s.startOp(r, r.PathValue("sub"), str(v.Location), []estate.Key{key}, func() {
			s.st.removeVNet(key)
			s.publish(info, *v.ID, estate.TypeVNet+"/delete", true)
		})
		return reply{status: http.StatusAccepted, op: op}
	})
}

func validateVNet(id string, body *armnetwork.VirtualNetwork) *armError {
	if strings.TrimSpace(str(body.Location)) == "" {
		return badRequest("LocationRequired", "The location property is required for this definition.")
	}
	if bad, ok := badPrefix(spaceOf(body)); ok {
		return badRequest("InvalidAddressPrefixFormat",
			"Address prefix %s of resource %s is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.", bad, id)
	}
	return nil
}

// newVNet builds the stored form of a VNet PUT: the body with the
// server-set fields (ID, name, type, new etag, provisioningState Updating,
// subnet IDs) and the existing inline peerings.
func newVNet(id string, body, old *armnetwork.VirtualNetwork) *armnetwork.VirtualNetwork {
	v := clone(body)
	v.ID, v.Name, v.Type, v.Etag = ptr(id), ptr(estate.LastSegment(id)), ptr(estate.TypeVNet), ptr(newEtag())
	if v.Properties == nil {
		v.Properties = &armnetwork.VirtualNetworkPropertiesFormat{}
	}
	p := v.Properties
	p.ProvisioningState = ptr(armnetwork.ProvisioningStateUpdating)
	p.ResourceGUID = ptr(newID())
	p.VirtualNetworkPeerings = nil
	if old != nil && old.Properties != nil {
		p.ResourceGUID = old.Properties.ResourceGUID
		p.VirtualNetworkPeerings = old.Properties.VirtualNetworkPeerings
	}
	for _, sn := range p.Subnets {
		name := str(sn.Name)
		if name == "" {
			name = estate.LastSegment(str(sn.ID))
		}
		sn.ID, sn.Name, sn.Type, sn.Etag = ptr(id+"/subnets/"+name), ptr(name), ptr(typeSubnet), ptr(newEtag())
		if sn.Properties == nil {
			sn.Properties = &armnetwork.SubnetPropertiesFormat{}
		}
		sn.Properties.ProvisioningState = ptr(armnetwork.ProvisioningStateSucceeded)
	}
	return v
}
