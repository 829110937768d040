package opa

import (
	"slices"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Rules are the rule IDs both tools check, in report order.
var Rules = []string{
	detector.RuleAddressOverlap,
	detector.RulePeeringNotConnected,
	detector.RulePeeringNotInSync,
	detector.RuleGatewaySettingsDrift,
	detector.RuleGatewayPolicyBasedUnsupported,
}

// Counts are findings per rule ID, for the rules in Rules only.
type Counts map[string]int

// Total is the number of findings over all rules.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// shared reports whether both tools check a rule.
func shared(rule string) bool { return slices.Contains(Rules, rule) }

// CountFindings counts vnetdrift's findings of the shared rules.
func CountFindings(fs []detector.Finding) Counts {
	c := zero()
	for _, f := range fs {
		if shared(f.Rule) {
			c[f.Rule]++
		}
	}
	return c
}

// CountViolations counts OPA's violations of the shared rules.
func CountViolations(vs []Violation) Counts {
	c := zero()
	for _, v := range vs {
		if shared(v.Rule) {
			c[v.Rule]++
		}
	}
	return c
}

func zero() Counts {
	c := make(Counts, len(Rules))
	for _, r := range Rules {
		c[r] = 0
	}
	return c
}

// FindingKeys returns "rule resource vnet" (IDs lower-cased) for each
// finding of a shared rule, sorted: what must equal ViolationKeys.
func FindingKeys(fs []detector.Finding) []string {
	var out []string
	for _, f := range fs {
		if shared(f.Rule) {
			out = append(out, key(f.Rule, f.ResourceID, f.VNetID))
		}
	}
	slices.Sort(out)
	return out
}

// ViolationKeys is FindingKeys for OPA's violations.
func ViolationKeys(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		if shared(v.Rule) {
			out = append(out, key(v.Rule, v.Resource, v.VNet))
		}
	}
	slices.Sort(out)
	return out
}

func key(rule, resource, vnet string) string {
	return rule + " " + string(estate.KeyOf(resource)) + " " + string(estate.KeyOf(vnet))
}
