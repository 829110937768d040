package eventgrid

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/messaging/eventgrid/azsystemevents"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Validation is an Event Grid SubscriptionValidation event: the webhook
// proves it wants the events by echoing Code (never by fetching URL).
type Validation struct{ EventID, Code, URL string }

// envelope is one event in either schema. It is decoded with encoding/json,
// which matches keys case-insensitively, so "specVersion" (used by an
// azure-rest-api-specs example) or "EventType" decode too; the SDK's
// azsystemevents.EventGridEvent and azcore messaging.CloudEvent match keys
// case-sensitively and would need two passes to tell the schemas apart.
type envelope struct {
	ID          json.RawMessage `json:"id"`
	Subject     string          `json:"subject"`
	EventType   string          `json:"eventType"` // EventGridSchema
	EventTime   string          `json:"eventTime"` // EventGridSchema
	Type        string          `json:"type"`      // CloudEvents
	Time        string          `json:"time"`      // CloudEvents
	SpecVersion string          `json:"specversion"`
	Data        json.RawMessage `json:"data"`
	DataBase64  string          `json:"data_base64"` // CloudEvents binary data
}

// DecodeBatch decodes an Event Grid delivery: an EventGridSchema array (or
// single object), or a CloudEvents single event or batch. It returns the
// resource changes and the subscription validation events separately.
//
// A body that is not a JSON object or array is an error with no results.
// Otherwise every event that decodes is returned, and err joins one
// *EventError per event that does not, so that one bad event does not
// block the rest of a batch.
func DecodeBatch(body []byte) ([]Change, []Validation, error) {
	raws, err := splitBatch(body)
	if err != nil {
		return nil, nil, err
	}
	var (
		changes     []Change
		validations []Validation
		errs        []error
	)
	for i, raw := range raws {
		c, v, err := decodeEvent(i, raw)
		switch {
		case err != nil:
			errs = append(errs, err)
		case v != nil:
			validations = append(validations, *v)
		default:
			changes = append(changes, c)
		}
	}
	return changes, validations, errors.Join(errs...)
}

// splitBatch returns the events of a body holding an array or one object.
func splitBatch(body []byte) ([]json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, errors.New("decoding event batch: empty body")
	}
	switch body[0] {
	case '[':
		var raws []json.RawMessage
		if err := json.Unmarshal(body, &raws); err != nil {
			return nil, fmt.Errorf("decoding event batch: %w", err)
		}
		return raws, nil
	case '{':
		if !json.Valid(body) {
			return nil, errors.New("decoding event: body is not valid JSON")
		}
		return []json.RawMessage{body}, nil
	}
	return nil, errors.New("decoding event batch: want a JSON array or object")
}

// decodeEvent decodes one event; a validation event also yields a
// Validation (and a Change that has only the envelope fields).
func decodeEvent(index int, raw json.RawMessage) (Change, *Validation, error) {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return Change{}, nil, eventError(index, peekID(raw), err)
	}
	id, err := eventID(env.ID)
	if err != nil {
		return Change{}, nil, eventError(index, "", &fieldError{"id", err})
	}
	c, err := env.change(id)
	if err != nil {
		return Change{}, nil, eventError(index, id, err)
	}
	if c.IsValidation() {
		v, err := validationOf(id, env.Data)
		if err != nil {
			return Change{}, nil, eventError(index, id, err)
		}
		return c, &v, nil
	}
	return c, nil, nil
}

// change builds the Change of an envelope whose id is id.
func (env *envelope) change(id string) (Change, error) {
	c := Change{EventID: id, Subject: env.Subject}
	timeField, timeText := "eventTime", env.EventTime
	switch {
	case env.EventType != "":
		c.Schema, c.EventType = SchemaEventGrid, env.EventType
	case env.Type != "":
		c.Schema, c.EventType, timeField, timeText = SchemaCloudEvents, env.Type, "time", env.Time
	default:
		return Change{}, &fieldError{"eventType", errors.New("missing (neither eventType nor CloudEvents type is set)")}
	}
	if c.Schema == SchemaCloudEvents && env.SpecVersion != "" && env.SpecVersion != "1.0" {
		return Change{}, &fieldError{"specversion", fmt.Errorf("unsupported CloudEvents version %q", clip(env.SpecVersion))}
	}
	t, err := parseTime(timeText)
	if err != nil {
		return Change{}, &fieldError{timeField, err}
	}
	c.EventTime = t
	if c.IsValidation() {
		return c, nil
	}
	data, err := env.data()
	if err == nil {
		err = decodeData(data, &c)
	}
	if err != nil {
		return Change{}, inField("data", err)
	}
	fillFromResourceID(&c)
	return c, nil
}

// data returns the event data, decoding CloudEvents data_base64 if that is
// where it is.
func (env *envelope) data() (json.RawMessage, error) {
	if len(env.Data) > 0 || env.DataBase64 == "" {
		return env.Data, nil
	}
	b, err := base64.StdEncoding.DecodeString(env.DataBase64)
	if err != nil {
		return nil, fmt.Errorf("decoding data_base64: %w", err)
	}
	return b, nil
}

// fillFromResourceID completes the subscription and resource group from
// the resource ID when data does not carry them (resourceGroup is absent
// in older payloads).
func fillFromResourceID(c *Change) {
	id := c.ResourceID()
	if c.SubscriptionID == "" {
		c.SubscriptionID = estate.SubscriptionOf(id)
	}
	if c.ResourceGroup == "" {
		c.ResourceGroup = estate.ResourceGroupOf(id)
	}
}

// eventID reads the required id, a JSON string.
func eventID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", errors.New("missing")
	}
	var id string
	if err := json.Unmarshal(raw, &id); err != nil {
		return "", errors.New("want a string")
	}
	if id = strings.TrimSpace(id); id == "" {
		return "", errors.New("empty")
	}
	return id, nil
}

// peekID returns the id of an event that failed to decode, if readable.
func peekID(raw json.RawMessage) string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &v) // best effort: the id only improves the error message
	return v.ID
}

// validationOf decodes a SubscriptionValidation event's data with the SDK
// type: Event Grid itself writes this event, always with camelCase keys.
func validationOf(id string, raw json.RawMessage) (Validation, error) {
	var d azsystemevents.SubscriptionValidationEventData
	if len(raw) == 0 {
		return Validation{}, &fieldError{"data", errors.New("missing")}
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return Validation{}, &fieldError{"data", err}
	}
	if d.ValidationCode == nil || *d.ValidationCode == "" {
		return Validation{}, &fieldError{"data.validationCode", errors.New("missing")}
	}
	v := Validation{EventID: id, Code: *d.ValidationCode}
	if d.ValidationURL != nil {
		v.URL = *d.ValidationURL
	}
	return v, nil
}
