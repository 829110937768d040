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

// DecodeFunctionsInvocation decodes the event of an eventGridTrigger
// invocation, {"Data":{"event":…},"Metadata":{…}}. The event may be a JSON
// object (what the host sends) or a JSON string holding the object (how the
// host serializes string-typed binding values), in either schema. A
// subscription validation event decodes to a Change whose IsValidation
// reports true. Errors are *EventError (with Index -1) once the event is
// found.
func DecodeFunctionsInvocation(body []byte) (Change, error) {
	data, err := invocationData(body)
	if err == nil {
		var name string
		if name, err = triggerBinding(data); err == nil {
			return decodeTrigger(name, data[name])
		}
	}
	return Change{}, fmt.Errorf("decoding Functions invocation: %w", err)
}

// invocationData returns the Data object of the body the Functions host
// posts to a custom handler: {"Data": {<binding>: value}, "Metadata": {…}}.
// The key is matched exactly (the host always writes "Data") so that a bare
// event, whose "data" encoding/json would match case-insensitively, is not
// mistaken for an invocation. Metadata (trigger binding data, sys,
// RetryContext) is not needed to decode the event.
func invocationData(body []byte) (map[string]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	raw, ok := top["Data"]
	if !ok {
		return nil, nil
	}
	var data map[string]json.RawMessage
	if err := json.Unmarshal(raw, &data); err != nil {
		return nil, fmt.Errorf(`field "Data": %w`, err)
	}
	return data, nil
}

// decodeTrigger decodes the value of trigger binding name.
func decodeTrigger(name string, value json.RawMessage) (Change, error) {
	raw, err := unwrapString(value)
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
