package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/vnetdrift/vnetdrift/detector"
)

// JSONReport is the shape of --format json.
type JSONReport struct {
	Findings []detector.Finding `json:"findings"`
	Summary  Summary            `json:"summary"`
}

// WriteJSON writes {"findings":[…],"summary":{…}}.
func WriteJSON(w io.Writer, findings []detector.Finding, opt Options) error {
	if findings == nil {
		findings = []detector.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(JSONReport{Findings: findings, Summary: Summarize(findings, opt.VNets)}); err != nil {
		return fmt.Errorf("writing JSON report: %w", err)
	}
	return nil
}
