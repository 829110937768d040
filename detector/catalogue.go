package detector

// Rule IDs. They are part of the public contract: never rename one.
const (
	RuleVNetMissing                   = "VNET_MISSING"
	RuleAddressSpaceDrift             = "ADDRESS_SPACE_DRIFT"
	RuleAddressOverlap                = "ADDRESS_OVERLAP"
	RulePeeringMissing                = "PEERING_MISSING"
	RulePeeringUnexpected             = "PEERING_UNEXPECTED"
	RulePeeringNotConnected           = "PEERING_NOT_CONNECTED"
	RulePeeringNotInSync              = "PEERING_NOT_IN_SYNC"
	RulePeeringSettingsDrift          = "PEERING_SETTINGS_DRIFT"
	RuleGatewayTransitConflict        = "GATEWAY_TRANSIT_CONFLICT"
	RuleGatewayMissing                = "GATEWAY_MISSING"
	RuleGatewaySettingsDrift          = "GATEWAY_SETTINGS_DRIFT"
	RuleGatewayPolicyBasedUnsupported = "GATEWAY_POLICY_BASED_UNSUPPORTED"
	RuleConnectionMissing             = "CONNECTION_MISSING"
	RuleConnectionNotConnected        = "CONNECTION_NOT_CONNECTED"
	RuleConnectionSettingsDrift       = "CONNECTION_SETTINGS_DRIFT"
	RuleLocalGatewayDrift             = "LOCAL_GATEWAY_DRIFT"
	RuleLocalGatewayStale             = "LOCAL_GATEWAY_STALE"
	RuleRedundantVNet2VNet            = "REDUNDANT_VNET2VNET"
)

// RuleInfo describes a rule for humans and for SARIF.
type RuleInfo struct {
	ID       string
	Severity Severity // default severity
	// NeedsBaseline reports whether the rule compares against the baseline;
	// rules that do not also run on VNets the baseline does not list.
	NeedsBaseline bool
	Title         string // short description
	Help          string // one-paragraph explanation
}

// DocsURL is where docs/rules.md is published; a rule's anchor is its ID in lower case.
const DocsURL = "https://github.com/vnetdrift/vnetdrift/blob/main/docs/rules.md"

// HelpURI returns the link to a rule's section in docs/rules.md.
func (r RuleInfo) HelpURI() string { return DocsURL + "#" + lower(r.ID) }

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Catalogue lists every rule in a stable order.
var Catalogue = []RuleInfo{
	{RuleVNetMissing, SeverityHigh, true, "Baseline VNet does not exist", "A virtual network declared in the baseline is not in the estate."},
	{RuleAddressSpaceDrift, SeverityHigh, true, "VNet address space differs from the baseline", "The VNet's address prefixes were added to or removed from since the baseline was written."},
	{RuleAddressOverlap, SeverityHigh, false, "Connected networks overlap", "Two networks that can reach each other (peering, VNet-to-VNet or Site-to-Site connection, shared hub gateway, on-premises site) have overlapping address space; traffic to the overlapping range is ambiguous or dropped."},
	{RulePeeringMissing, SeverityHigh, true, "Baseline peering does not exist", "A peering half declared in the baseline (or the reverse half of one) does not exist."},
	{RulePeeringUnexpected, SeverityMedium, true, "Peering not in the baseline", "A VNet listed in the baseline has a peering the baseline does not declare."},
	{RulePeeringNotConnected, SeverityHigh, false, "Peering is not Connected", "The peering is Initiated (the other half is missing) or Disconnected (the other half was deleted); no traffic flows until both halves are Connected."},
	{RulePeeringNotInSync, SeverityMedium, false, "Peering is not in sync", "The address space of one side changed and the peering was not synced; the new prefixes are not reachable across the peering."},
	{RulePeeringSettingsDrift, SeverityMedium, true, "Peering flags differ from the baseline", "allowVirtualNetworkAccess, allowForwardedTraffic, allowGatewayTransit or useRemoteGateways differ from the baseline."},
	{RuleGatewayTransitConflict, SeverityHigh, false, "Gateway transit cannot work", "useRemoteGateways is set but the VNet has its own gateway, the remote VNet has no gateway, or the remote half does not allow gateway transit."},
	{RuleGatewayMissing, SeverityHigh, true, "Baseline gateway does not exist", "The VPN gateway declared for a VNet does not exist."},
	{RuleGatewaySettingsDrift, SeverityMedium, true, "Gateway settings differ from the baseline", "gatewayType, vpnType, SKU, active-active, BGP, ASN or generation differ from the baseline."},
	{RuleGatewayPolicyBasedUnsupported, SeverityHigh, false, "Policy-based gateway used where route-based is required", "A PolicyBased VPN gateway carries a VNet-to-VNet connection or more than one Site-to-Site connection; both need RouteBased."},
	{RuleConnectionMissing, SeverityHigh, true, "Baseline connection does not exist", "A connection declared in the baseline (or the reverse half of a VNet-to-VNet pair) does not exist."},
	{RuleConnectionNotConnected, SeverityHigh, false, "Connection is not Connected", "The connection's status is not Connected."},
	{RuleConnectionSettingsDrift, SeverityMedium, true, "Connection settings differ from the baseline", "Connection type, protocol, BGP, policy-based traffic selectors or IPsec policies differ from the baseline."},
	{RuleLocalGatewayDrift, SeverityMedium, true, "Local network gateway differs from the baseline", "A local network gateway's prefixes, gateway IP or BGP settings differ from the baseline."},
	{RuleLocalGatewayStale, SeverityHigh, false, "Local network gateway no longer matches the VNet it represents", "A local network gateway that stands for an Azure VNet (Site-to-Site between VNets) lists prefixes that differ from that VNet's address space; Site-to-Site does not follow address-space changes by itself."},
	{RuleRedundantVNet2VNet, SeverityLow, false, "VNets both peered and joined by VNet-to-VNet", "Two VNets are peered and also joined by a VNet-to-VNet connection; traffic takes the peering, so the VPN path is idle cost."},
}

// Info returns the catalogue entry of a rule ID.
func Info(id string) (RuleInfo, bool) {
	for _, r := range Catalogue {
		if r.ID == id {
			return r, true
		}
	}
	return RuleInfo{}, false
}
