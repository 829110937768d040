package opa

import (
	"fmt"
	"time"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// Evaluate runs vnetdrift's detector on an estate and baseline: every rule,
// not only the shared ones.
func Evaluate(e *estate.Estate, b *baseline.Baseline) []detector.Finding {
	return detector.Evaluate(detector.Input{Baseline: b, Estate: e, Now: time.Unix(0, 0)})
}

// Scan is what `vnetdrift scan --baseline` does with files: load the ARM
// estate, parse the baseline YAML, evaluate.
func Scan(estatePath string, baselineYAML []byte) ([]detector.Finding, error) {
	e, err := estate.Load(estatePath)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", estatePath, err)
	}
	b, err := baseline.Parse("baseline.yaml", baselineYAML)
	if err != nil {
		return nil, fmt.Errorf("parsing the baseline: %w", err)
	}
	return Evaluate(e, b), nil
}
