package eventgrid

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// TriggerBindingName is the name the eventGridTrigger binding should have
// in function.json; the event arrives as Data[TriggerBindingName]. When
// Data holds a single entry it is used whatever its name.
const TriggerBindingName = "event"

// invocation is the body the Functions host posts to a custom handler:
// {"Data": {<binding>: value}, "Metadata": {...}}. Metadata (trigger
// binding data, sys, RetryContext) is not needed to decode the event.
type invocation struct {
	Data map[string]json.RawMessage `json:"Data"`
}

// DecodeFunctionsInvocation decodes the event of an eventGridTrigger
// invocation, {"Data":{"event":…},"Metadata":{…}}. The event may be a JSON
// object (what the host sends) or a JSON string holding the object (how the
// host serializes string-typed binding values), in either schema. A
// subscription validation event decodes to a Change whose IsValidation
// reports true. Errors are *EventError (with Index -1) once the event is
// found.
func DecodeFunctionsInvocation(body []byte) (Change, error) {
	var inv invocation
	if err := json.Unmarshal(body, &inv); err != nil {
		return Change{}, fmt.Errorf("decoding Functions invocation: %w", err)
	}
	name, err := triggerBinding(inv.Data)
	if err != nil {
		return Change{}, fmt.Errorf("decoding Functions invocation: %w", err)
	}
	raw, err := unwrapString(inv.Data[name])
	if err != nil {
		return Change{}, eventError(-1, "", inField("Data."+name, err))
	}
	c, _, err := decodeEvent(-1, raw)
	return c, err
}

// triggerBinding returns the key of the trigger binding's value in Data.
func triggerBinding(data map[string]json.RawMessage) (string, error) {
	keys := slices.Sorted(maps.Keys(data))
	if len(keys) == 1 {
		return keys[0], nil
	}
	for _, k := range keys {
		if strings.EqualFold(k, TriggerBindingName) {
			return k, nil
		}
	}
	if len(keys) == 0 {
		return "", errors.New(`field "Data": missing or empty`)
	}
	return "", fmt.Errorf(`field "Data": no %q binding among %d entries`, TriggerBindingName, len(keys))
}

var errNotEvent = errors.New("want an event object or a JSON string holding one")

// unwrapString undoes up to two levels of JSON string encoding around an
// event object.
func unwrapString(raw json.RawMessage) (json.RawMessage, error) {
	for range 2 {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] != '"' {
			break
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		raw = json.RawMessage(s)
	}
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' || !json.Valid(raw) {
		return nil, errNotEvent
	}
	return raw, nil
}
