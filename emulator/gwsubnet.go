package emulator

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// view returns a VNet as ARM shows it: a copy whose subnets list, under
// properties.ipConfigurations, the gateway IP configurations deployed in
// them. ARM derives this back-reference from the gateways; readers find a
// VNet's gateway through it. The caller holds s.mu.
func (st *store) view(v *armnetwork.VirtualNetwork) *armnetwork.VirtualNetwork {
	out := clone(v)
	if out.Properties == nil {
		return out
	}
	refs := st.gatewayIPConfigsBySubnet(estate.KeyOf(str(v.ID)))
	for _, sn := range out.Properties.Subnets {
		if sn == nil {
			continue
		}
		id := str(sn.ID)
		if id == "" {
			id = str(v.ID) + "/subnets/" + str(sn.Name)
		}
		if len(refs[estate.KeyOf(id)]) == 0 {
			continue
		}
		if sn.Properties == nil {
			sn.Properties = &armnetwork.SubnetPropertiesFormat{}
		}
		sn.Properties.IPConfigurations = mergeIPConfigs(sn.Properties.IPConfigurations, refs[estate.KeyOf(id)])
	}
	return out
}

// viewAll applies view to each VNet.
func (st *store) viewAll(vs []*armnetwork.VirtualNetwork) []*armnetwork.VirtualNetwork {
	out := make([]*armnetwork.VirtualNetwork, len(vs))
	for i, v := range vs {
		out[i] = st.view(v)
	}
	return out
}

// gatewayIPConfigsBySubnet maps subnet keys of vnet to the IDs of the
// gateway IP configurations placed in them.
func (st *store) gatewayIPConfigsBySubnet(vnet estate.Key) map[estate.Key][]string {
	refs := map[estate.Key][]string{}
	for _, g := range st.gatewaysIn(vnet) {
		for _, ipc := range g.Properties.IPConfigurations {
			if ipc == nil || ipc.Properties == nil || ipc.Properties.Subnet == nil {
				continue
			}
			id := str(ipc.ID)
			if id == "" {
				id = str(g.ID) + "/ipConfigurations/" + str(ipc.Name)
			}
			sub := estate.KeyOf(str(ipc.Properties.Subnet.ID))
			refs[sub] = append(refs[sub], id)
		}
	}
	return refs
}

// mergeIPConfigs adds the gateway references not already listed.
func mergeIPConfigs(have []*armnetwork.IPConfiguration, ids []string) []*armnetwork.IPConfiguration {
	for _, id := range ids {
		found := false
		for _, h := range have {
			found = found || (h != nil && strings.EqualFold(str(h.ID), id))
		}
		if !found {
			have = append(have, &armnetwork.IPConfiguration{ID: ptr(id)})
		}
	}
	return have
}
