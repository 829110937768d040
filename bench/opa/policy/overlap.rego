package azure.network

# ADDRESS_OVERLAP: two peered VNets must not share address space. A pair is
# peered when either VNet has a peering to the other; each VNet of an
# overlapping pair gets its own violation, naming every overlapping prefix.

# Ordered pairs [a, b] of lower-cased IDs of peered VNets, both directions.
peered contains pair if {
	some vnet in input.virtualNetworks
	some p in vnet.properties.virtualNetworkPeerings
	local := lower(vnet.id)
	remote := lower(p.properties.remoteVirtualNetwork.id)
	local != remote
	some pair in [[local, remote], [remote, local]]
}

violations contains {
	"rule": "ADDRESS_OVERLAP",
	"resource": vnet.id,
	"vnet": vnet.id,
	"other": other.id,
	"overlaps": overlaps,
} if {
	some [a, b] in peered
	vnet := vnets_by_id[a]
	other := vnets_by_id[b]
	overlaps := [sprintf("%s overlaps %s", [mine, theirs]) |
		some mine in vnet.properties.addressSpace.addressPrefixes
		some theirs in other.properties.addressSpace.addressPrefixes
		net.cidr_intersects(mine, theirs)
	]
	count(overlaps) > 0
}
