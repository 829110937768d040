package azure.network

# PEERING_NOT_CONNECTED: a peering that is Initiated (the other half is
# missing) or Disconnected (the other half was deleted) carries no traffic.
violations contains {
	"rule": "PEERING_NOT_CONNECTED",
	"resource": p.id,
	"vnet": vnet.id,
	"actual": p.properties.peeringState,
} if {
	some vnet in input.virtualNetworks
	some p in vnet.properties.virtualNetworkPeerings
	lower(p.properties.peeringState) in {"initiated", "disconnected"}
}

# PEERING_NOT_IN_SYNC: an address space changed and the peering was not
# synced, so the new prefixes are not reachable across it.
violations contains {
	"rule": "PEERING_NOT_IN_SYNC",
	"resource": p.id,
	"vnet": vnet.id,
	"actual": p.properties.peeringSyncLevel,
} if {
	some vnet in input.virtualNetworks
	some p in vnet.properties.virtualNetworkPeerings
	lower(p.properties.peeringSyncLevel) != "fullyinsync"
}
