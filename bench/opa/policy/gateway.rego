package azure.network

# The settings of a gateway that input.expected.gateway can name, with
# ARM's defaults for the ones the inventory leaves out.
gateway_settings(gw) := {
	"gatewayType": object.get(gw.properties, "gatewayType", "Vpn"),
	"vpnType": object.get(gw.properties, "vpnType", ""),
	"sku": object.get(gw.properties, ["sku", "name"], ""),
	"activeActive": object.get(gw.properties, "activeActive", false),
	"enableBgp": object.get(gw.properties, "enableBgp", false),
	"vpnGatewayGeneration": object.get(gw.properties, "vpnGatewayGeneration", ""),
}

# The VNet of a gateway: the parent of the GatewaySubnet of its first IP
# configuration, or "" when the inventory does not say.
default gateway_vnet(_) := ""

gateway_vnet(gw) := parent_vnet_id(gw.properties.ipConfigurations[0].properties.subnet.id)

# Whether an actual setting differs from the expected one; names and enum
# values compare case-insensitively.
differs(want, got) if {
	is_string(want)
	lower(want) != lower(got)
}

differs(want, got) if {
	not is_string(want)
	want != got
}

# GATEWAY_SETTINGS_DRIFT: every gateway has the expected settings.
violations contains {
	"rule": "GATEWAY_SETTINGS_DRIFT",
	"resource": gw.id,
	"vnet": gateway_vnet(gw),
	"fields": fields,
} if {
	some gw in input.virtualNetworkGateways
	actual := gateway_settings(gw)
	fields := {field |
		some field, want in input.expected.gateway
		differs(want, actual[field])
	}
	count(fields) > 0
}

# GATEWAY_POLICY_BASED_UNSUPPORTED: a PolicyBased gateway supports one
# Site-to-Site connection and no VNet-to-VNet connection; anything more
# needs RouteBased.
violations contains {
	"rule": "GATEWAY_POLICY_BASED_UNSUPPORTED",
	"resource": gw.id,
	"vnet": gateway_vnet(gw),
	"vnet2vnet": v2v,
	"siteToSite": s2s,
} if {
	some gw in input.virtualNetworkGateways
	lower(gw.properties.vpnType) == "policybased"
	id := lower(gw.id)
	v2v := [c.name |
		some c in input.connections
		lower(c.properties.connectionType) == "vnet2vnet"
		id in {lower(c.properties.virtualNetworkGateway1.id), lower(object.get(c.properties, ["virtualNetworkGateway2", "id"], ""))}
	]
	s2s := [c.name |
		some c in input.connections
		lower(c.properties.connectionType) == "ipsec"
		lower(c.properties.virtualNetworkGateway1.id) == id
	]
	carries_too_much(v2v, s2s)
}

carries_too_much(v2v, _) if count(v2v) > 0

carries_too_much(_, s2s) if count(s2s) > 1
