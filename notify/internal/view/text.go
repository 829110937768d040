package view

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// ExemptionNote explains an "exemption expired" finding.
const ExemptionNote = "The baseline exemption for this drift has expired and the drift is still there."

// Subject is the email subject line of a message.
func (m Message) Subject() string { return "[vnetdrift] " + m.Title }

func title(m Message) string {
	switch m.Kind {
	case KindDigest:
		return digestTitle(m)
	case KindResolved:
		verb := "resolved"
		if m.Resolved[0].Reason == alert.RemediationRemediated {
			verb = alert.RemediationRemediated
		}
		return verb + ": " + headline(m.Resolved[0], false) + more(m.Total()-1)
	}
	lead := m.Active[0]
	prefix := ""
	switch lead.Reason {
	case alert.ReasonExemptionExpired.String(), alert.ReasonRepeat.String(),
		alert.ReasonRemediationFailed.String(), alert.ReasonRemediationStopped.String():
		prefix = lead.Reason + ": "
	}
	return prefix + headline(lead, true) + more(m.Total()-1)
}

func headline(f Finding, severity bool) string {
	s := f.Rule + " on " + f.VNet.Text
	if severity {
		s = f.SeverityLabel + " " + s
	}
	return s
}

func more(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" (+%d more)", n)
}

func digestTitle(m Message) string {
	if m.Total() == 0 {
		return "reconcile: no drift"
	}
	bySev := map[detector.Severity]int{}
	for _, f := range m.Active {
		bySev[f.Severity]++
	}
	var parts []string
	for _, s := range []detector.Severity{detector.SeverityHigh, detector.SeverityMedium, detector.SeverityLow} {
		if bySev[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", bySev[s], s))
		}
	}
	t := "reconcile: " + plural(len(m.Active), "open drift")
	if len(parts) > 0 {
		t += " (" + strings.Join(parts, ", ") + ")"
	}
	if len(m.Resolved) > 0 {
		t += fmt.Sprintf(", %d resolved", len(m.Resolved))
	}
	return t
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Group is a labelled run of findings, for digests.
type Group struct {
	Label    string // "Opened", "Exemption expired", "Still open", "Open", "Resolved"
	Findings []Finding
}

// Groups splits the findings by reason, in the order a reader wants them:
// new first, resolved last. Empty groups are left out.
func (m Message) Groups() []Group {
	order := []string{"opened", "remediation failed", "remediation stopped", "exemption expired", "still open", "open"}
	var out []Group
	for _, r := range order {
		var fs []Finding
		for _, f := range m.Active {
			if f.Reason == r {
				fs = append(fs, f)
			}
		}
		if len(fs) > 0 {
			out = append(out, Group{Label: capitalize(r), Findings: fs})
		}
	}
	if len(m.Resolved) > 0 {
		out = append(out, Group{Label: "Resolved", Findings: m.Resolved})
	}
	return out
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// Fact is one title/value row.
type Fact struct{ Title, Value string }

// Facts lists what a reader needs to know about a finding besides its
// message: where, expected vs actual, why now.
func (f Finding) Facts() []Fact {
	facts := []Fact{{"VNet", f.VNet.Text}}
	if f.Resource.Text != "" {
		facts = append(facts, Fact{"Resource", f.Resource.Text})
	}
	facts = appendIf(facts, "Expected", f.Expected)
	facts = appendIf(facts, "Actual", f.Actual)
	if f.Reason != "opened" {
		facts = appendIf(facts, "First seen", f.FirstSeen)
	}
	if f.OpenedBy != nil {
		facts = append(facts, Fact{f.OpenedBy.Label, f.OpenedBy.Summary()})
	}
	facts = append(facts, f.RemediationFacts()...)
	return appendIf(facts, "Fingerprint", f.Fingerprint)
}

// RemediationFacts are the facts of the finding's remediations; compact
// layouts (resolved findings) show only these.
func (f Finding) RemediationFacts() []Fact {
	var facts []Fact
	for _, r := range f.Remediation {
		facts = append(facts, remediationFacts(r)...)
	}
	return facts
}

// Good reports whether the finding reads as good news: resolved or remediated.
func (f Finding) Good() bool { return f.resolved }

// Kicker is the one-word state of a message for banners: the lead
// finding's reason, "resolved" or "remediated".
func (m Message) Kicker() string {
	switch {
	case m.Kind == KindDigest:
		return "reconcile digest"
	case len(m.Active) > 0:
		return m.Active[0].Reason
	case len(m.Resolved) > 0 && m.Resolved[0].Reason == alert.RemediationRemediated:
		return alert.RemediationRemediated
	}
	return "resolved"
}

// remediationTitles name a remediation's status for a reader.
var remediationTitles = map[string]string{
	alert.RemediationPlanned:    "Planned fix (plan mode: not sent)",
	alert.RemediationSending:    "Fix being sent",
	alert.RemediationSkipped:    "Fix not sent",
	alert.RemediationRemediated: "Fixed by vnetdrift",
	alert.RemediationFailed:     "Fix failed",
	alert.RemediationLoop:       "Remediation stopped",
}

// remediationFacts show one ARM request: status and why, the request
// line, the body, before/after and, for a loop, who reverted it.
func remediationFacts(r alert.Remediation) []Fact {
	title := remediationTitles[r.Status]
	if title == "" {
		title = "Remediation " + r.Status
	}
	facts := []Fact{{title, Clip(r.Request, maxValue)}}
	facts = appendIf(facts, "Why", Clip(r.Detail, maxValue))
	facts = appendIf(facts, "Reason", Clip(r.Reason, maxValue))
	facts = appendIf(facts, "Before", Clip(r.Before, maxValue))
	facts = appendIf(facts, "After", Clip(r.After, maxValue))
	facts = appendIf(facts, "Request body", Clip(string(r.Body), maxValue))
	if len(r.Callers) > 0 {
		facts = append(facts, Fact{"Reverted by", Clip(strings.Join(r.Callers, "; "), maxValue)})
	}
	return facts
}

// Facts lists the change's caller, operation, time and correlation ID.
func (c Change) Facts() []Fact {
	var facts []Fact
	facts = appendIf(facts, "Caller", c.Caller)
	facts = appendIf(facts, "Operation", c.Operation)
	facts = appendIf(facts, "Time", c.Time)
	return appendIf(facts, "Correlation ID", c.CorrelationID)
}

// Summary is the change on one line: "alice@contoso.com · write … · time".
func (c Change) Summary() string {
	var parts []string
	for _, f := range c.Facts() {
		if f.Title != "Correlation ID" {
			parts = append(parts, f.Value)
		}
	}
	return strings.Join(parts, " · ")
}

func appendIf(facts []Fact, title, value string) []Fact {
	if value == "" {
		return facts
	}
	return append(facts, Fact{title, value})
}

func changeOf(a alert.Attribution, label string) *Change {
	if a.Reconcile {
		return nil
	}
	c := Change{Label: label, Caller: callerOf(a), Operation: a.OperationName,
		Time: formatTime(a.EventTime), CorrelationID: a.CorrelationID}
	if c.Caller == "" && c.Operation == "" && c.CorrelationID == "" {
		return nil
	}
	return &c
}

func sameChange(a, b Change) bool {
	return a.Caller == b.Caller && a.Operation == b.Operation && a.Time == b.Time && a.CorrelationID == b.CorrelationID
}

func callerOf(a alert.Attribution) string {
	switch {
	case a.Caller != "":
		return a.Caller
	case a.CallerAppID != "":
		return "app " + a.CallerAppID
	case a.CallerObject != "":
		return "object " + a.CallerObject
	}
	return ""
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// Clip shortens s to at most n bytes, cutting at a rune boundary and
// ending with "…" when it cut.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// ResourceName names a resource for people: the names after the provider
// joined by "/", e.g. "vnet-hub-weu/peer-hub-to-spoke" for a peering.
func ResourceName(id string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	for i := range parts {
		if strings.EqualFold(parts[i], "providers") && i+2 < len(parts) {
			var names []string
			for j := i + 3; j < len(parts); j += 2 {
				names = append(names, parts[j])
			}
			if len(names) > 0 {
				return strings.Join(names, "/")
			}
		}
	}
	return estate.LastSegment(id)
}

// PortalURL links a resource in the Azure portal; "" for an empty or
// malformed ID.
func PortalURL(portal, id string) string {
	if !strings.HasPrefix(id, "/") {
		return ""
	}
	return portal + "/#@/resource" + id
}
