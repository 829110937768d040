package remediate

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/vnetdrift/vnetdrift/estate"
)

// WritePlan writes actions for people: what, why, before/after and the
// exact request (method, path with api-version and query, JSON body).
func WritePlan(w io.Writer, actions []Action) error {
	if len(actions) == 0 {
		_, err := fmt.Fprintln(w, "Nothing to remediate.")
		return err
	}
	for i, a := range actions {
		if err := writeAction(w, i+1, a); err != nil {
			return err
		}
	}
	return nil
}

func writeAction(w io.Writer, n int, a Action) error {
	p := &printer{w: w}
	p.printf("%d. %s  %s  [%s]\n", n, a.Finding.Rule, estate.LastSegment(a.ResourceID), a.Mode)
	if a.Skipped != "" {
		p.printf("   not sent: %s\n", a.Skipped)
	}
	if a.Reason != "" {
		p.printf("   why:    %s\n", a.Reason)
	}
	if a.Before != "" || a.After != "" {
		p.printf("   before: %s\n   after:  %s\n", a.Before, a.After)
	}
	if a.Method != "" {
		p.printf("   %s\n   %s\n", a.Request(), a.Body)
	}
	p.printf("\n")
	return p.err
}

// WriteOutcomes writes the outcome of each action, one line each plus detail.
func WriteOutcomes(w io.Writer, out []Outcome) error {
	p := &printer{w: w}
	for i, o := range out {
		p.printf("%d. %-18s %s  %s\n", i+1, o.Status, o.Action.Finding.Rule, estate.LastSegment(o.Action.ResourceID))
		if o.Detail != "" {
			p.printf("   %s\n", o.Detail)
		}
	}
	return p.err
}

// WriteJSON writes v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printer keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
