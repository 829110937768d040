package notify

import "github.com/vnetdrift/vnetdrift/alert"

// groups splits a target's items (indexes into n.Items) into messages:
// one per change, in order of first appearance, or one for a digest. An
// open item belongs to the change that opened it, a resolution to the
// evaluation that found it gone (n.By).
func groups(n alert.Notice, idx []int) [][]int {
	if n.Digest {
		return [][]int{idx}
	}
	var out [][]int
	pos := map[string]int{}
	for _, i := range idx {
		k := changeKey(n.Items[i], n.By)
		g, ok := pos[k]
		if !ok {
			g = len(out)
			pos[k] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
	}
	return out
}

// changeKey identifies the change an item belongs to.
func changeKey(it alert.Item, by alert.Attribution) string {
	a := it.OpenedBy
	if it.Resolved {
		a = by
	}
	switch {
	case a.CorrelationID != "":
		return "correlation:" + a.CorrelationID
	case a.EventID != "":
		return "event:" + a.EventID
	case a.Reconcile:
		return "reconcile"
	}
	return ""
}
