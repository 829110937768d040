// Package report renders findings for people and pipelines: a text table,
// JSON, and SARIF 2.1.0 for code-scanning annotations.
package report

import (
	"fmt"
	"io"

	"github.com/vnetdrift/vnetdrift/detector"
)

// Summary counts findings.
type Summary struct {
	Total      int            `json:"total"`
	Exempted   int            `json:"exempted"`
	BySeverity map[string]int `json:"bySeverity"`
	ByRule     map[string]int `json:"byRule"`
	VNets      int            `json:"vnetsEvaluated"`
}

// Summarize counts findings (exempted ones only in Exempted).
func Summarize(findings []detector.Finding, vnets int) Summary {
	s := Summary{BySeverity: map[string]int{"high": 0, "medium": 0, "low": 0}, ByRule: map[string]int{}, VNets: vnets}
	for _, f := range findings {
		if f.Exemption != nil {
			s.Exempted++
			continue
		}
		s.Total++
		s.BySeverity[f.Severity.String()]++
		s.ByRule[f.Rule]++
	}
	return s
}

// Failing reports whether any non-exempt finding is at or above min.
func Failing(findings []detector.Finding, min detector.Severity) bool {
	for _, f := range findings {
		if f.Exemption == nil && f.Severity >= min {
			return true
		}
	}
	return false
}

// Format names an output format.
type Format string

// Output formats.
const (
	FormatText  Format = "text"
	FormatJSON  Format = "json"
	FormatSARIF Format = "sarif"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatText, FormatJSON, FormatSARIF:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: want text, json or sarif", s)
}

// Options carry what some formats need besides the findings.
type Options struct {
	BaselinePath string // for SARIF physical locations; "" if none
	VNets        int    // number of VNets evaluated, for the summary
	Version      string // tool version for SARIF
}

// Write renders findings in the given format.
func Write(w io.Writer, f Format, findings []detector.Finding, opt Options) error {
	switch f {
	case FormatJSON:
		return WriteJSON(w, findings, opt)
	case FormatSARIF:
		return WriteSARIF(w, findings, opt)
	}
	return WriteText(w, findings, opt)
}
