package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// WriteText writes a readable table: one row per finding, then a summary.
func WriteText(w io.Writer, findings []detector.Finding, opt Options) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(findings) > 0 {
		fmt.Fprintln(tw, "SEVERITY\tRULE\tVNET\tRESOURCE\tMESSAGE")
	}
	for _, f := range findings {
		sev := strings.ToUpper(f.Severity.String())
		if f.Exemption != nil {
			sev = "exempt"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sev, f.Rule, short(f.VNetID), short(f.ResourceID), f.Message)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing text report: %w", err)
	}
	s := Summarize(findings, opt.VNets)
	if s.Total == 0 && s.Exempted == 0 {
		_, err := fmt.Fprintf(w, "No drift: %d VNets evaluated, 0 findings.\n", s.VNets)
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d findings (%d high, %d medium, %d low), %d exempted, %d VNets evaluated.\n",
		s.Total, s.BySeverity["high"], s.BySeverity["medium"], s.BySeverity["low"], s.Exempted, s.VNets)
	return err
}

// short prints a resource ID as resourceGroup/name (or parent/child) to keep
// the table narrow; the JSON and SARIF outputs carry full IDs.
func short(id string) string {
	if id == "" {
		return "-"
	}
	rg := estate.ResourceGroupOf(id)
	if parent := estate.ParentVNetID(id); parent != "" && !strings.EqualFold(parent, id) {
		return rg + "/" + estate.LastSegment(parent) + "/" + estate.LastSegment(id)
	}
	if rg == "" {
		return id
	}
	return rg + "/" + estate.LastSegment(id)
}
