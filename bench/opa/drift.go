package opa

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Drift says how many resources of each kind Inject breaks.
type Drift struct {
	Overlaps        int `json:"overlaps"`        // spokes given a prefix inside their hub's space
	NotConnected    int `json:"notConnected"`    // spoke → hub peerings set Initiated
	NotInSync       int `json:"notInSync"`       // spoke → hub peerings set LocalNotInSync
	GatewaySettings int `json:"gatewaySettings"` // gateways moved to another SKU
	PolicyBased     int `json:"policyBased"`     // gateways made PolicyBased (they carry VNet-to-VNet)
}

// DriftFor is the drift the benchmark injects into an estate of n VNets
// made by synth.Generate with hubs hubs: one peering of each kind per 200
// VNets, one gateway of each kind per 10 hubs, at least one of each.
func DriftFor(n, hubs int) Drift {
	peer := max(1, n/200)
	gw := max(1, hubs/10)
	d := Drift{Overlaps: peer, NotConnected: peer, NotInSync: peer, GatewaySettings: gw, PolicyBased: gw}
	if hubs < 2 {
		d.PolicyBased = 0 // a lone hub has no VNet-to-VNet connection to make unsupported
	}
	return d
}

// Want is what each tool must report for d: one overlap finding per VNet
// of each overlapping pair, and a settings finding for the PolicyBased
// gateways too (their vpnType is not the expected one).
func (d Drift) Want() Counts {
	return Counts{
		detector.RuleAddressOverlap:                2 * d.Overlaps,
		detector.RulePeeringNotConnected:           d.NotConnected,
		detector.RulePeeringNotInSync:              d.NotInSync,
		detector.RuleGatewaySettingsDrift:          d.GatewaySettings + d.PolicyBased,
		detector.RuleGatewayPolicyBasedUnsupported: d.PolicyBased,
	}
}

// Inject breaks resources of a synth.Generate estate as d says, spread
// over the estate: each kind of peering drift on its own spokes, settings
// drift on even-numbered hub gateways and PolicyBased on odd-numbered ones.
func Inject(r *estate.Resources, d Drift) error {
	spokes, hubs := spokesOf(r)
	if err := injectSpokes(spokes, hubs, d); err != nil {
		return err
	}
	return injectGateways(r.Gateways, d)
}

// spoke is a spoke VNet and its peering to its hub.
type spoke struct {
	vnet *armnetwork.VirtualNetwork
	peer *armnetwork.VirtualNetworkPeering
}

// spokesOf returns the VNets with one peering that uses the remote
// gateway, in input order, and every VNet by lower-cased ID.
func spokesOf(r *estate.Resources) ([]spoke, map[string]*armnetwork.VirtualNetwork) {
	var spokes []spoke
	byID := make(map[string]*armnetwork.VirtualNetwork, len(r.VNets))
	for _, v := range r.VNets {
		byID[strings.ToLower(*v.ID)] = v
		ps := v.Properties.VirtualNetworkPeerings
		if len(ps) == 1 && ps[0].Properties.UseRemoteGateways != nil && *ps[0].Properties.UseRemoteGateways {
			spokes = append(spokes, spoke{v, ps[0]})
		}
	}
	return spokes, byID
}

func injectSpokes(spokes []spoke, vnets map[string]*armnetwork.VirtualNetwork, d Drift) error {
	slots := map[string]int{} // hub ID → overlap prefixes handed out
	kinds := []struct {
		n     int
		apply func(spoke) error
	}{
		{d.Overlaps, func(s spoke) error { return overlapHub(s, vnets, slots) }},
		{d.NotConnected, func(s spoke) error {
			s.peer.Properties.PeeringState = to.Ptr(armnetwork.VirtualNetworkPeeringStateInitiated)
			return nil
		}},
		{d.NotInSync, func(s spoke) error {
			s.peer.Properties.PeeringSyncLevel = to.Ptr(armnetwork.VirtualNetworkPeeringLevelLocalNotInSync)
			return nil
		}},
	}
	total := d.Overlaps + d.NotConnected + d.NotInSync
	if total > len(spokes) {
		return fmt.Errorf("drift: %d peering drifts asked for, the estate has %d spokes", total, len(spokes))
	}
	step, i := len(spokes)/max(1, total), 0
	for _, k := range kinds {
		for range k.n {
			if err := k.apply(spokes[i*step]); err != nil {
				return err
			}
			i++
		}
	}
	return nil
}

// overlapHub adds to a spoke's address space a /26 of its hub's first
// prefix, a different one for each spoke of the hub so that the spokes
// do not overlap each other.
func overlapHub(s spoke, vnets map[string]*armnetwork.VirtualNetwork, slots map[string]int) error {
	hubID := strings.ToLower(*s.peer.Properties.RemoteVirtualNetwork.ID)
	hub := vnets[hubID]
	if hub == nil {
		return fmt.Errorf("drift: hub %s of spoke %s is not in the estate", hubID, *s.vnet.ID)
	}
	p, err := netip.ParsePrefix(*hub.Properties.AddressSpace.AddressPrefixes[0])
	if err != nil {
		return fmt.Errorf("drift: hub %s: %w", hubID, err)
	}
	slot := slots[hubID]
	slots[hubID]++
	if p.Bits() > 26 || slot >= 1<<(26-p.Bits()) {
		return fmt.Errorf("drift: hub %s has no /26 left for an overlap", hubID)
	}
	a := p.Addr().As4()
	n := (uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])) + uint32(slot)*64
	sub := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), 26)
	space := s.vnet.Properties.AddressSpace
	space.AddressPrefixes = append(space.AddressPrefixes, to.Ptr(sub.String()))
	return nil
}

func injectGateways(gws []*armnetwork.VirtualNetworkGateway, d Drift) error {
	if 2*d.GatewaySettings > len(gws)+1 || 2*d.PolicyBased > len(gws) {
		return fmt.Errorf("drift: %d gateway drifts asked for, the estate has %d gateways", d.GatewaySettings+d.PolicyBased, len(gws))
	}
	for i := range d.GatewaySettings {
		sku := armnetwork.VirtualNetworkGatewaySKUNameVPNGw1AZ
		gws[2*i].Properties.SKU = &armnetwork.VirtualNetworkGatewaySKU{Name: &sku}
	}
	for i := range d.PolicyBased {
		gws[2*i+1].Properties.VPNType = to.Ptr(armnetwork.VPNTypePolicyBased)
	}
	return nil
}
