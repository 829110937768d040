package emulator

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// spaceOf returns a VNet's address space, or nil.
func spaceOf(v *armnetwork.VirtualNetwork) *armnetwork.AddressSpace {
	if v == nil || v.Properties == nil {
		return nil
	}
	return v.Properties.AddressSpace
}

// encryptionOf returns a copy of a VNet's encryption settings, or nil.
func encryptionOf(v *armnetwork.VirtualNetwork) *armnetwork.VirtualNetworkEncryption {
	if v == nil || v.Properties == nil {
		return nil
	}
	return clone(v.Properties.Encryption)
}

// prefixesOf parses an address space, skipping entries that do not parse
// (a loaded estate may hold them; writes are validated).
func prefixesOf(a *armnetwork.AddressSpace) []netip.Prefix {
	if a == nil {
		return nil
	}
	var out []netip.Prefix
	for _, s := range a.AddressPrefixes {
		if s == nil {
			continue
		}
		if p, err := netip.ParsePrefix(strings.TrimSpace(*s)); err == nil {
			out = append(out, p.Masked())
		}
	}
	return out
}

// badPrefix returns the first entry of a that is not a CIDR prefix, or "".
func badPrefix(a *armnetwork.AddressSpace) (string, bool) {
	if a == nil {
		return "", false
	}
	for _, s := range a.AddressPrefixes {
		if s == nil {
			continue
		}
		if _, err := netip.ParsePrefix(strings.TrimSpace(*s)); err != nil {
			return *s, true
		}
	}
	return "", false
}

// overlapping returns the prefixes of a that overlap a prefix of b, as text.
func overlapping(a, b []netip.Prefix) []string {
	var out []string
	for _, p := range a {
		for _, q := range b {
			if p.Overlaps(q) {
				out = append(out, p.String())
				break
			}
		}
	}
	return out
}

// sameSpace reports whether two address spaces hold the same prefixes,
// in any order.
func sameSpace(a, b *armnetwork.AddressSpace) bool {
	key := func(a *armnetwork.AddressSpace) []string {
		var out []string
		for _, p := range prefixesOf(a) {
			out = append(out, p.String())
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(key(a), key(b))
}

// markNotInSync adds the Local and/or Remote "not in sync" flag to a
// peering's sync level.
func markNotInSync(p *armnetwork.VirtualNetworkPeering, local, remote bool) {
	if p.Properties == nil {
		return
	}
	cur := armnetwork.VirtualNetworkPeeringLevelFullyInSync
	if p.Properties.PeeringSyncLevel != nil {
		cur = *p.Properties.PeeringSyncLevel
	}
	local = local || cur == armnetwork.VirtualNetworkPeeringLevelLocalNotInSync || cur == armnetwork.VirtualNetworkPeeringLevelLocalAndRemoteNotInSync
	remote = remote || cur == armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync || cur == armnetwork.VirtualNetworkPeeringLevelLocalAndRemoteNotInSync
	level := armnetwork.VirtualNetworkPeeringLevelFullyInSync
	switch {
	case local && remote:
		level = armnetwork.VirtualNetworkPeeringLevelLocalAndRemoteNotInSync
	case local:
		level = armnetwork.VirtualNetworkPeeringLevelLocalNotInSync
	case remote:
		level = armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync
	}
	p.Properties.PeeringSyncLevel = &level
}

// remoteKeyOf returns the key of the VNet a peering points to, or "".
func remoteKeyOf(p *armnetwork.VirtualNetworkPeering) estate.Key {
	if p.Properties == nil || p.Properties.RemoteVirtualNetwork == nil || str(p.Properties.RemoteVirtualNetwork.ID) == "" {
		return ""
	}
	return estate.KeyOf(*p.Properties.RemoteVirtualNetwork.ID)
}
