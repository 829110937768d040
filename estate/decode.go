package estate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
)

// Resources is what estate input holds, as the Azure SDK's model values.
// The emulator serves these; Build converts them into an Estate.
type Resources struct {
	VNets         []*armnetwork.VirtualNetwork
	Peerings      []*armnetwork.VirtualNetworkPeering // standalone peering resources
	Gateways      []*armnetwork.VirtualNetworkGateway
	Connections   []*armnetwork.VirtualNetworkGatewayConnection
	LocalGateways []*armnetwork.LocalNetworkGateway
	PublicIPs     []*armnetwork.PublicIPAddress
	// Skipped counts elements of unmodelled resource types, by type.
	Skipped map[string]int
}

// Merge appends the resources of o to r.
func (r *Resources) Merge(o *Resources) {
	r.VNets = append(r.VNets, o.VNets...)
	r.Peerings = append(r.Peerings, o.Peerings...)
	r.Gateways = append(r.Gateways, o.Gateways...)
	r.Connections = append(r.Connections, o.Connections...)
	r.LocalGateways = append(r.LocalGateways, o.LocalGateways...)
	r.PublicIPs = append(r.PublicIPs, o.PublicIPs...)
	for t, n := range o.Skipped {
		if r.Skipped == nil {
			r.Skipped = map[string]int{}
		}
		r.Skipped[t] += n
	}
}

// MarshalJSON writes the resources as one JSON array of ARM resources in
// REST shape: the same shape Decode reads.
func (r *Resources) MarshalJSON() ([]byte, error) {
	var all []any
	for _, v := range r.VNets {
		all = append(all, v)
	}
	for _, v := range r.Peerings {
		all = append(all, v)
	}
	for _, v := range r.Gateways {
		all = append(all, v)
	}
	for _, v := range r.Connections {
		all = append(all, v)
	}
	for _, v := range r.LocalGateways {
		all = append(all, v)
	}
	for _, v := range r.PublicIPs {
		all = append(all, v)
	}
	if all == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(all)
}

// ReadFile decodes an estate file. See Decode for the accepted shapes.
func ReadFile(path string) (*Resources, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading estate file: %w", err)
	}
	return Decode(path, data)
}

// Decode parses estate input named name (used in errors). It accepts a JSON
// array of ARM resources, an ARM list envelope {"value":[…]}, an Azure
// Resource Graph response {"data":[…]}, and the az CLI's flattened output
// where properties sit at the top level. A single resource object is
// accepted too. Unknown resource types are counted in Skipped.
func Decode(name string, data []byte) (*Resources, error) {
	elems, err := splitElements(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	res := &Resources{Skipped: map[string]int{}}
	for i, raw := range elems {
		if err := res.add(raw); err != nil {
			return nil, fmt.Errorf("%s: element %d: %w", name, i, err)
		}
	}
	return res, nil
}

// splitElements returns the resource elements of any accepted top-level shape.
func splitElements(data []byte) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("empty input: want a JSON array or object of ARM resources")
	}
	var elems []json.RawMessage
	if trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &elems); err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		return elems, nil
	}
	var env struct {
		ID    *string           `json:"id"`
		Value []json.RawMessage `json:"value"`
		Data  json.RawMessage   `json:"data"`
	}
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	switch {
	case env.ID != nil:
		return []json.RawMessage{trimmed}, nil
	case env.Value != nil:
		return env.Value, nil
	case len(env.Data) > 0 && env.Data[0] == '[':
		if err := json.Unmarshal(env.Data, &elems); err != nil {
			return nil, fmt.Errorf("invalid JSON in \"data\": %w", err)
		}
		return elems, nil
	case len(env.Data) > 0:
		return nil, errors.New("\"data\" is not an array: Resource Graph table form is not supported, use resultFormat objectArray")
	}
	return nil, errors.New("want a JSON array of resources, {\"value\":[…]} or {\"data\":[…]}")
}

type header struct {
	ID         *string         `json:"id"`
	Type       string          `json:"type"`
	Properties json.RawMessage `json:"properties"`
}

func (r *Resources) add(raw json.RawMessage) error {
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if h.ID == nil || strings.TrimSpace(*h.ID) == "" {
		return errors.New("missing \"id\"")
	}
	typ := h.Type
	if typ == "" {
		typ = TypeFromID(*h.ID)
	}
	if h.Properties == nil {
		flat, err := unflatten(raw, typ)
		if err != nil {
			return err
		}
		raw = flat
	}
	if err := r.addTyped(typ, raw); err != nil {
		return fmt.Errorf("%s %q: %w", typ, *h.ID, err)
	}
	return nil
}

func (r *Resources) addTyped(typ string, raw json.RawMessage) error {
	switch kindOf(typ) {
	case kindVNet:
		return decodeInto(raw, &r.VNets)
	case kindPeering:
		return decodeInto(raw, &r.Peerings)
	case kindGateway:
		return decodeInto(raw, &r.Gateways)
	case kindConnection:
		return decodeInto(raw, &r.Connections)
	case kindLocalGateway:
		return decodeInto(raw, &r.LocalGateways)
	case kindPublicIP:
		return decodeInto(raw, &r.PublicIPs)
	}
	r.Skipped[skippedName(typ)]++
	return nil
}

func decodeInto[T any](raw json.RawMessage, dst *[]*T) error {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decoding: %w", err)
	}
	*dst = append(*dst, v)
	return nil
}
