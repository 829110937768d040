package report

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/vnetdrift/vnetdrift/detector"
)

// WriteSARIF writes a SARIF 2.1.0 log with one rule per rule ID (help text
// and a link to docs/rules.md) and, where the finding's VNet is in the
// baseline, a physical location at that VNet's line so code scanning
// annotates the baseline file. Other findings get a logical location named
// by the resource ID.
func WriteSARIF(w io.Writer, findings []detector.Finding, opt Options) error {
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("creating SARIF report: %w", err)
	}
	run := sarif.NewRunWithInformationURI("vnetdrift", "https://github.com/vnetdrift/vnetdrift")
	if opt.Version != "" {
		run.Tool.Driver.WithVersion(opt.Version)
	}
	for _, r := range detector.Catalogue {
		run.AddRule(r.ID).
			WithName(r.ID).
			WithShortDescription(sarif.NewMultiformatMessageString(r.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString(r.Help)).
			WithHelpURI(r.HelpURI()).
			WithTextHelp(r.Help + " See " + r.HelpURI()).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level(r.Severity)))
	}
	uri := filepath.ToSlash(opt.BaselinePath)
	for _, f := range findings {
		run.AddResult(result(f, uri))
	}
	rep.AddRun(run)
	if err := rep.PrettyWrite(w); err != nil {
		return fmt.Errorf("writing SARIF report: %w", err)
	}
	return nil
}

func result(f detector.Finding, baselineURI string) *sarif.Result {
	res := sarif.NewRuleResult(f.Rule).
		WithLevel(level(f.Severity)).
		WithMessage(sarif.NewTextMessage(f.Message)).
		WithPartialFingerPrints(map[string]any{"vnetdrift/v1": f.Fingerprint})
	loc := sarif.NewLocation().WithLogicalLocations([]*sarif.LogicalLocation{
		sarif.NewLogicalLocation().WithFullyQualifiedName(f.ResourceID).WithKind("resource"),
	})
	if baselineURI != "" && f.Line > 0 {
		loc.WithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(baselineURI)).
			WithRegion(sarif.NewSimpleRegion(f.Line, f.Line)))
	}
	res.AddLocation(loc)
	props := sarif.NewPropertyBag()
	props.Add("resourceId", f.ResourceID)
	props.Add("vnetId", f.VNetID)
	props.Add("severity", f.Severity.String())
	if f.Expected != "" {
		props.Add("expected", f.Expected)
	}
	if f.Actual != "" {
		props.Add("actual", f.Actual)
	}
	if f.Exemption != nil {
		// go-sarif's Suppression writes null fields that the SARIF schema
		// rejects, so an exempted finding is reported as informational.
		res.WithKind("informational").WithLevel("none")
		props.Add("exemption", f.Exemption.Reason+" (owner "+f.Exemption.Owner+")")
	}
	res.AttachPropertyBag(props)
	return res
}

func level(s detector.Severity) string {
	switch s {
	case detector.SeverityHigh:
		return "error"
	case detector.SeverityMedium:
		return "warning"
	}
	return "note"
}
