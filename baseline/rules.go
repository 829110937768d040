package baseline

// RuleIDs lists the rule IDs a baseline may name, in the detector's
// catalogue order. It is a copy, because the detector imports this
// package; a test elsewhere checks that it matches detector.Catalogue.
var RuleIDs = []string{
	"VNET_MISSING",
	"ADDRESS_SPACE_DRIFT",
	"ADDRESS_OVERLAP",
	"PEERING_MISSING",
	"PEERING_UNEXPECTED",
	"PEERING_NOT_CONNECTED",
	"PEERING_NOT_IN_SYNC",
	"PEERING_SETTINGS_DRIFT",
	"GATEWAY_TRANSIT_CONFLICT",
	"GATEWAY_MISSING",
	"GATEWAY_SETTINGS_DRIFT",
	"GATEWAY_POLICY_BASED_UNSUPPORTED",
	"CONNECTION_MISSING",
	"CONNECTION_NOT_CONNECTED",
	"CONNECTION_SETTINGS_DRIFT",
	"LOCAL_GATEWAY_DRIFT",
	"LOCAL_GATEWAY_STALE",
	"REDUNDANT_VNET2VNET",
}

// AnyRule is the exemption rule that matches every rule.
const AnyRule = "*"

// RuleEnabled reports whether a rule runs: true unless the baseline sets
// enabled: false for it. A nil baseline enables every rule.
func (b *Baseline) RuleEnabled(id string) bool {
	if b == nil {
		return true
	}
	s, ok := b.Rules[id]
	return !ok || s.Enabled == nil || *s.Enabled
}

// SeverityOverride returns the severity the baseline sets for a rule
// ("high", "medium" or "low"), or "" to keep the rule's default.
func (b *Baseline) SeverityOverride(id string) string {
	if b == nil {
		return ""
	}
	return b.Rules[id].Severity
}
