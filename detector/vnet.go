package detector

import (
	"fmt"
	"strings"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// checkVNets runs VNET_MISSING and ADDRESS_SPACE_DRIFT.
func checkVNets(ev *evaluator) {
	for _, bv := range ev.b.VNets {
		if !ev.wants(bv.Key) {
			continue
		}
		v := ev.e.VNets[bv.Key]
		if v == nil {
			ev.emit("vnet", Finding{
				Rule: RuleVNetMissing, ResourceID: bv.ID, VNetID: bv.ID,
				Message:  fmt.Sprintf("Virtual network %s is declared in the baseline but does not exist.", name(bv.ID)),
				Expected: "virtual network exists", Actual: "not found",
			})
			continue
		}
		addressSpaceDrift(ev, bv, v)
	}
}

// addressSpaceDrift reports a VNet whose prefixes differ from the declared ones.
func addressSpaceDrift(ev *evaluator, bv *baseline.VNet, v *estate.VNet) {
	if bv.AddressPrefixes == nil {
		return
	}
	added, removed := prefixDiff(bv.AddressPrefixes, v.Prefixes)
	if len(added) == 0 && len(removed) == 0 {
		return
	}
	var change []string
	if len(added) > 0 {
		change = append(change, joinPrefixes(added)+" added")
	}
	if len(removed) > 0 {
		change = append(change, joinPrefixes(removed)+" removed")
	}
	ev.emit("addressPrefixes", Finding{
		Rule: RuleAddressSpaceDrift, ResourceID: v.ID, VNetID: v.ID,
		Message: fmt.Sprintf("The address space of VNet %s differs from the baseline (%s).",
			v.Name, strings.Join(change, "; ")),
		Expected: joinPrefixes(bv.AddressPrefixes), Actual: joinPrefixes(v.Prefixes),
	})
}
