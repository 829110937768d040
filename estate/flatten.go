package estate

import (
	"encoding/json"
	"fmt"
	"strings"
)

// envelopeKeys are the top-level keys of an ARM resource that are not
// properties. The az CLI flattens everything else to the top level.
var envelopeKeys = map[string]bool{
	"id": true, "name": true, "type": true, "location": true, "tags": true, "etag": true,
	"extendedLocation": true, "identity": true, "zones": true, "resourceGroup": true,
	"subscriptionId": true, "kind": true, "managedBy": true, "tenantId": true,
}

// childArrays names the nested arrays whose elements are sub-resources that
// the az CLI flattens as well.
var childArrays = []string{"subnets", "virtualNetworkPeerings", "ipConfigurations"}

// unflatten rewrites an az CLI style resource (properties at the top level)
// into REST shape (properties under "properties").
func unflatten(raw json.RawMessage, typ string) (json.RawMessage, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	out, err := json.Marshal(nest(m, strings.EqualFold(typ, TypePublicIP)))
	if err != nil {
		return nil, fmt.Errorf("re-encoding flattened resource: %w", err)
	}
	return out, nil
}

func nest(m map[string]any, skuOnTop bool) map[string]any {
	if _, ok := m["properties"]; ok {
		return m
	}
	props := map[string]any{}
	out := map[string]any{"properties": props}
	for k, v := range m {
		if envelopeKeys[k] || (skuOnTop && k == "sku") {
			out[k] = v
			continue
		}
		props[k] = v
	}
	for _, name := range childArrays {
		items, _ := props[name].([]any)
		for i, it := range items {
			if child, ok := it.(map[string]any); ok {
				items[i] = nest(child, false)
			}
		}
	}
	return out
}
