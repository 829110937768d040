package state

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// Attributions.
var (
	alice = alert.Attribution{EventID: "ev-1", Caller: "alice@example.com", OperationName: "Microsoft.Network/virtualNetworks/write", CorrelationID: "c-1", EventTime: t0}
	bob   = alert.Attribution{EventID: "ev-2", Caller: "bob@example.com", OperationName: "Microsoft.Network/virtualNetworks/write", CorrelationID: "c-2", EventTime: t0.Add(time.Hour)}
	timer = alert.Attribution{Reconcile: true}
)

func vnetID(name string) string {
	return "/subscriptions/0000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/" + name
}

// fnd returns a finding of rule on VNet name.
func fnd(name, rule string) detector.Finding {
	id := vnetID(name)
	return detector.Finding{Rule: rule, Severity: detector.SeverityHigh, ResourceID: id, VNetID: id,
		Message: rule + " on " + name, Expected: "10.0.0.0/16", Actual: "10.1.0.0/16", Fingerprint: detector.Fingerprint(rule, id, "")}
}

// exempt returns f covered by an exemption.
func exempt(f detector.Finding) detector.Finding {
	f.Exemption = &detector.ExemptionRef{Reason: "migration", Owner: "netops", Line: 7}
	return f
}

// keys returns the scope of VNet names; nil for nil.
func keys(names ...string) []estate.Key {
	if names == nil {
		return nil
	}
	out := []estate.Key{}
	for _, n := range names {
		out = append(out, estate.KeyOf(vnetID(n)))
	}
	return out
}

// describe writes an item as "reason name [delivered]", where name is the
// VNet name and rule, for compact expectations.
func describe(it alert.Item) string {
	name := it.Finding.VNetID[strings.LastIndex(it.Finding.VNetID, "/")+1:]
	s := it.Reason.String()
	if it.Original != 0 {
		s += "(" + it.Original.String() + ")"
	}
	s += " " + name + " " + it.Finding.Rule
	if len(it.Delivered) > 0 {
		d := slices.Clone(it.Delivered)
		slices.Sort(d)
		s += fmt.Sprint(" ", d)
	}
	return s
}

func describeAll(items []alert.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, describe(it))
	}
	return out
}
