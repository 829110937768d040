package emulator

import (
	"encoding/json"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Generic access to SDK models through their REST JSON form: every ARM
// resource has id/name/type/location/tags/etag at the top and
// properties.provisioningState, which the Go types cannot reach generically.

// head is the envelope of an ARM resource.
type head struct {
	ID       string             `json:"id"`
	Name     string             `json:"name"`
	Type     string             `json:"type"`
	Location string             `json:"location"`
	Tags     map[string]*string `json:"tags"`
	Props    json.RawMessage    `json:"properties"`
}

func (h head) hasProperties() bool { return len(h.Props) > 0 && string(h.Props) != "null" }

// guid returns properties.resourceGuid, or "".
func (h head) guid() string {
	var p struct {
		ResourceGUID string `json:"resourceGuid"`
	}
	_ = json.Unmarshal(h.Props, &p) // absent or malformed: no GUID
	return p.ResourceGUID
}

// headOf reads the envelope of an SDK model value.
func headOf(v any) head {
	var h head
	_ = json.Unmarshal(mustJSON(v), &h) // SDK models always marshal to an object
	return h
}

// stamp returns a copy of v with the fields the server sets on a write:
// id, name, type, a new etag, properties.provisioningState and
// properties.resourceGuid (dropped by the SDK type if it has none).
func stamp[T any](v *T, id, typ string, state armnetwork.ProvisioningState, guid string) *T {
	m := toMap(v)
	m["id"], m["name"], m["type"], m["etag"] = id, estate.LastSegment(id), typ, newEtag()
	props := propsOf(m)
	props["provisioningState"] = string(state)
	props["resourceGuid"] = guid
	return fromMap[T](m)
}

// withState returns a copy of v with another provisioningState.
func withState[T any](v *T, state armnetwork.ProvisioningState) *T {
	m := toMap(v)
	propsOf(m)["provisioningState"] = string(state)
	return fromMap[T](m)
}

func propsOf(m map[string]any) map[string]any {
	props, _ := m["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
		m["properties"] = props
	}
	return props
}

// toMap returns the REST JSON of v as a map.
func toMap(v any) map[string]any {
	m := map[string]any{}
	if err := json.Unmarshal(mustJSON(v), &m); err != nil {
		panic(fmt.Sprintf("emulator: decoding %T: %v", v, err))
	}
	return m
}

func fromMap[T any](m map[string]any) *T {
	out := new(T)
	if err := json.Unmarshal(mustJSON(m), out); err != nil {
		panic(fmt.Sprintf("emulator: decoding %T: %v", out, err))
	}
	return out
}

// mustJSON marshals values the emulator built itself (SDK models and
// maps decoded from JSON), which cannot fail to encode.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("emulator: encoding %T: %v", v, err))
	}
	return b
}
