package azure.network_test

import data.azure.network

# A tiny inventory: hub (10.0.0.0/16) and spoke (10.1.0.0/24), peered both
# ways, each half Connected and FullyInSync; one RouteBased gateway.
hub_id := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"

spoke_id := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke"

gw_id := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gw"

peering(from, to, state, sync) := {
	"id": concat("/", [from, "virtualNetworkPeerings", "p"]),
	"name": "p",
	"properties": {"remoteVirtualNetwork": {"id": to}, "peeringState": state, "peeringSyncLevel": sync},
}

vnet(id, prefixes, peerings) := {"id": id, "name": "v", "properties": {
	"addressSpace": {"addressPrefixes": prefixes},
	"virtualNetworkPeerings": peerings,
}}

gateway(props) := {"id": gw_id, "name": "gw", "properties": object.union(
	{
		"gatewayType": "Vpn", "vpnType": "RouteBased", "sku": {"name": "VpnGw2AZ"}, "activeActive": false,
		"enableBgp": true, "vpnGatewayGeneration": "Generation2",
		"ipConfigurations": [{"properties": {"subnet": {"id": concat("/", [hub_id, "subnets", "GatewaySubnet"])}}}],
	},
	props,
)}

expected := {"gateway": {"vpnType": "RouteBased", "sku": "VpnGw2AZ", "activeActive": false, "enableBgp": true}}

inventory(spoke_prefixes, hub_to_spoke, spoke_to_hub, gw, conns) := {
	"expected": expected,
	"virtualNetworks": [
		vnet(hub_id, ["10.0.0.0/16"], hub_to_spoke),
		vnet(spoke_id, spoke_prefixes, spoke_to_hub),
	],
	"virtualNetworkGateways": [gw],
	"connections": conns,
	"localNetworkGateways": [],
}

both_ways := [
	[peering(hub_id, spoke_id, "Connected", "FullyInSync")],
	[peering(spoke_id, hub_id, "Connected", "FullyInSync")],
]

rules(vs) := [v.rule | some v in vs]

test_clean_inventory_has_no_violation if {
	count(network.violations) == 0 with input as inventory(["10.1.0.0/24"], both_ways[0], both_ways[1], gateway({}), [])
}

test_overlap_is_reported_on_both_sides if {
	vs := network.violations with input as inventory(["10.1.0.0/24", "10.0.8.0/26"], both_ways[0], both_ways[1], gateway({}), [])
	{v.vnet | some v in vs; v.rule == "ADDRESS_OVERLAP"} == {hub_id, spoke_id}
	count(vs) == 2
}

test_overlap_counts_a_one_sided_peering_with_different_id_case if {
	one := [peering(upper(spoke_id), hub_id, "Initiated", "FullyInSync")]
	vs := network.violations with input as inventory(["10.0.0.0/24"], [], one, gateway({}), [])
	sort(rules(vs)) == ["ADDRESS_OVERLAP", "ADDRESS_OVERLAP", "PEERING_NOT_CONNECTED"]
}

test_unknown_peering_state_is_not_reported if {
	half := {"id": "p", "name": "p", "properties": {"remoteVirtualNetwork": {"id": hub_id}}}
	count(network.violations) == 0 with input as inventory(["10.1.0.0/24"], both_ways[0], [half], gateway({}), [])
}

test_disconnected_and_not_in_sync if {
	broken := [peering(spoke_id, hub_id, "Disconnected", "RemoteNotInSync")]
	vs := network.violations with input as inventory(["10.1.0.0/24"], both_ways[0], broken, gateway({}), [])
	sort(rules(vs)) == ["PEERING_NOT_CONNECTED", "PEERING_NOT_IN_SYNC"]
}

test_gateway_settings_compare_case_insensitively_and_name_each_field if {
	gw := gateway({"vpnType": "routebased", "sku": {"name": "VpnGw1"}, "activeActive": true})
	vs := network.violations with input as inventory(["10.1.0.0/24"], both_ways[0], both_ways[1], gw, [])
	[v] := [v | some v in vs]
	v.rule == "GATEWAY_SETTINGS_DRIFT"
	v.fields == {"sku", "activeActive"}
	v.vnet == hub_id
}

conn(type, gw1, gw2) := {"id": "c", "name": concat("-", [type, gw2]), "properties": {
	"connectionType": type,
	"virtualNetworkGateway1": {"id": gw1},
	"virtualNetworkGateway2": {"id": gw2},
}}

test_policy_based_with_one_site_is_allowed if {
	vs := network.violations with input as inventory(["10.1.0.0/24"], both_ways[0], both_ways[1], gateway({"vpnType": "PolicyBased"}), [conn("IPsec", gw_id, "")])
	rules(vs) == ["GATEWAY_SETTINGS_DRIFT"]
}

test_policy_based_with_two_sites_or_vnet2vnet_is_unsupported if {
	some conns in [
		[conn("IPsec", gw_id, "a"), conn("IPsec", gw_id, "b")],
		[conn("Vnet2Vnet", "other", upper(gw_id))],
	]
	vs := network.violations with input as inventory(["10.1.0.0/24"], both_ways[0], both_ways[1], gateway({"vpnType": "PolicyBased"}), conns)
	sort(rules(vs)) == ["GATEWAY_POLICY_BASED_UNSUPPORTED", "GATEWAY_SETTINGS_DRIFT"]
}
