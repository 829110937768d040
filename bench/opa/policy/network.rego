# Compliance checks for Azure virtual networks, written as a compliance team
# would write them, over an inventory document shaped like ARM's own JSON:
#
#   input.virtualNetworks[]          ARM VNets with their inline peerings
#   input.virtualNetworkGateways[]   ARM virtual network gateways
#   input.connections[]              ARM gateway connections
#   input.localNetworkGateways[]     ARM local network gateways
#   input.expected.gateway           the settings every VPN gateway must have
#
# Query data.azure.network.violations: a set of objects, each with the rule
# ID (vnetdrift's rule IDs, so the two tools can be compared), the resource
# and the VNet it belongs to. Resource IDs compare case-insensitively, as
# Azure compares them.
package azure.network

# VNets by lower-cased resource ID.
vnets_by_id := {lower(v.id): v | some v in input.virtualNetworks}

# The ID of the VNet that holds a child resource (a peering, a subnet).
parent_vnet_id(id) := concat("/", array.slice(parts, 0, 9)) if {
	parts := split(id, "/")
	count(parts) >= 9
}
