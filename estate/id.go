package estate

import "strings"

// Key is a resource ID normalized for comparison: lower-case, without a
// trailing slash. Azure treats resource IDs case-insensitively and mixes
// "resourceGroups" with "resourcegroups"; Key makes them compare equal while
// the original spelling is kept for printing.
type Key string

// KeyOf returns the comparison key of a resource ID.
func KeyOf(id string) Key {
	return Key(strings.ToLower(strings.TrimRight(strings.TrimSpace(id), "/")))
}

// Segment returns the value that follows name (case-insensitive) in an ARM
// resource ID, e.g. Segment(id, "resourceGroups"); "" if absent.
func Segment(id, name string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	for i := 0; i+1 < len(parts); i += 2 {
		if strings.EqualFold(parts[i], name) {
			return parts[i+1]
		}
	}
	return ""
}

// SubscriptionOf returns the subscription ID in a resource ID, or "".
func SubscriptionOf(id string) string { return Segment(id, "subscriptions") }

// ResourceGroupOf returns the resource group name in a resource ID, or "".
func ResourceGroupOf(id string) string { return Segment(id, "resourceGroups") }

// ParentVNetID returns the ID of the virtual network that contains a child
// resource (peering or subnet), as spelled in id; "" if id names none.
func ParentVNetID(id string) string {
	parts := strings.Split(strings.TrimRight(id, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "virtualNetworks") {
			return strings.Join(parts[:i+2], "/")
		}
	}
	return ""
}

// LastSegment returns the final name in a resource ID.
func LastSegment(id string) string {
	id = strings.TrimRight(id, "/")
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}

// TypeFromID infers the ARM resource type from a resource ID, e.g.
// "Microsoft.Network/virtualNetworks/virtualNetworkPeerings". It returns ""
// when id has no provider segment. Peering bodies in ARM responses carry no
// "type" field, so the type has to come from the ID.
func TypeFromID(id string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	for i := 0; i < len(parts); i++ {
		if !strings.EqualFold(parts[i], "providers") || i+1 >= len(parts) {
			continue
		}
		typ := parts[i+1]
		for j := i + 2; j < len(parts); j += 2 {
			typ += "/" + parts[j]
		}
		return typ
	}
	return ""
}
