// Package detector evaluates an estate against a baseline and returns
// findings. It is pure: no I/O, no clock reads, no Azure SDK calls.
package detector

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Severity ranks findings. The zero value is SeverityLow.
type Severity int

// Severities, lowest first.
const (
	SeverityLow Severity = iota
	SeverityMedium
	SeverityHigh
)

// String returns "low", "medium" or "high".
func (s Severity) String() string {
	switch s {
	case SeverityHigh:
		return "high"
	case SeverityMedium:
		return "medium"
	}
	return "low"
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses "high", "medium" or "low" (case-insensitive).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "high":
		return SeverityHigh, nil
	case "medium":
		return SeverityMedium, nil
	case "low":
		return SeverityLow, nil
	}
	return SeverityLow, fmt.Errorf("unknown severity %q: want high, medium or low", s)
}

// Finding is one drift or misconfiguration.
type Finding struct {
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	ResourceID string   `json:"resourceId"`
	VNetID     string   `json:"vnetId"`
	Message    string   `json:"message"`
	Expected   string   `json:"expected,omitempty"`
	Actual     string   `json:"actual,omitempty"`
	// Fingerprint identifies the drift across runs: same rule, same
	// resource, same subject → same fingerprint, whatever the actual value.
	Fingerprint string `json:"fingerprint"`
	// Exemption is set when a baseline exemption covers the finding; the
	// finding is still reported but does not fail a scan or notify.
	Exemption *ExemptionRef `json:"exemption,omitempty"`
	// Line is the line of the VNet's entry in the baseline file, 0 if none.
	Line int `json:"-"`
}

// ExemptionRef says which exemption covers a finding.
type ExemptionRef struct {
	Reason string `json:"reason"`
	Owner  string `json:"owner"`
	Line   int    `json:"line,omitempty"`
}

// VNetKey returns the comparison key of the finding's VNet.
func (f Finding) VNetKey() estate.Key { return estate.KeyOf(f.VNetID) }

// Fingerprint computes a stable fingerprint from the rule ID, the resource
// and a subject (the field or the other resource the finding is about).
// Resource IDs are compared case-insensitively.
func Fingerprint(rule, resourceID, subject string) string {
	h := sha256.New()
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(estate.KeyOf(resourceID)))
	h.Write([]byte{0})
	h.Write([]byte(strings.ToLower(subject)))
	return hex.EncodeToString(h.Sum(nil))[:16]
}
