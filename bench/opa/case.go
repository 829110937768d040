package opa

import (
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Case is one estate, ready for both tools.
type Case struct {
	VNets, Peerings, Gateways int
	Drift                     Drift
	Expected                  Expected
	// ARM is the estate as the JSON array of ARM resources `vnetdrift scan`
	// reads; Estate is built from the same resources.
	ARM    []byte
	Estate *estate.Estate
	// Baseline declares the expected gateway settings for vnetdrift;
	// BaselineYAML is it as a file.
	Baseline     *baseline.Baseline
	BaselineYAML []byte
	// Input is the Rego input document as JSON; Value is it parsed.
	Input []byte
	Value ast.Value
}

// NewCase injects d into res (see Inject) and prepares both tools' inputs
// from the result.
func NewCase(res *estate.Resources, d Drift, want Expected) (*Case, error) {
	if err := Inject(res, d); err != nil {
		return nil, err
	}
	arm, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("encoding the estate: %w", err)
	}
	e, err := estate.Build(res)
	if err != nil {
		return nil, fmt.Errorf("building the estate: %w", err)
	}
	c := &Case{VNets: len(e.VNets), Peerings: len(e.Peerings), Gateways: len(e.Gateways),
		Drift: d, Expected: want, ARM: arm, Estate: e, Baseline: Baseline(e, want)}
	if c.BaselineYAML, err = baseline.Marshal(c.Baseline); err != nil {
		return nil, fmt.Errorf("encoding the baseline: %w", err)
	}
	if c.Input, err = json.Marshal(NewDocument(e, want)); err != nil {
		return nil, fmt.Errorf("encoding the Rego input: %w", err)
	}
	if c.Value, err = ParseInput(c.Input); err != nil {
		return nil, err
	}
	return c, nil
}
