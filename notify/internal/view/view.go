// Package view turns an alert.Notice into a channel-neutral message (title,
// findings with facts and links, who changed what) that the Teams card and
// the email both render, so every channel says the same thing.
package view

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// DefaultPortalBaseURL is the Azure portal of the public cloud.
const DefaultPortalBaseURL = "https://portal.azure.com"

// Kind is the shape of a message.
type Kind int

// Kinds.
const (
	KindChange   Kind = iota // findings of one change (opened, still open, exemption expired; maybe resolved ones)
	KindResolved             // every item is resolved
	KindDigest               // a reconcile summary
)

// Message is what a notice says, ready to render.
type Message struct {
	Kind     Kind
	Title    string            // e.g. "HIGH ADDRESS_OVERLAP on vnet-hub-weu (+2 more)"
	Severity detector.Severity // highest of the active findings
	Active   []Finding         // findings still there, most severe first
	Resolved []Finding         // findings that are gone
	Change   *Change           // the change that triggered the notice; nil for the timer
}

// Finding is one item of a message.
type Finding struct {
	Rule, RuleTitle  string
	Severity         detector.Severity
	Reason           string // "opened", "resolved", "still open", "exemption expired", "open"
	Message          string
	Expected, Actual string
	VNet, Resource   Link   // Resource is empty when it is the VNet itself
	Docs             string // the rule's section in docs/rules.md
	Fingerprint      string
	FirstSeen        string  // formatted; "" when unknown
	OpenedBy         *Change // the change that opened it, when not Message.Change
	ExemptionExpired bool
	SeverityLabel    string // "HIGH", "MEDIUM", "LOW"
	// Remediation is what vnetdrift did or would do about it.
	Remediation       []alert.Remediation
	resolved          bool
	resourceSortValue string
}

// Link is a name and the portal address of a resource.
type Link struct{ Text, URL string }

// Change says who changed what: the event behind a notice or a finding.
type Change struct {
	Label         string // "Changed by" or "Opened by"
	Caller        string
	Operation     string
	Time          string
	CorrelationID string
}

// Limits on the text of one finding, so that one odd message cannot fill a
// card on its own.
const (
	maxMessage = 1500
	maxValue   = 600
)

// Build turns a notice into a message; portal is the Azure portal's base
// URL ("" for the public cloud).
func Build(n alert.Notice, portal string) Message {
	if portal == "" {
		portal = DefaultPortalBaseURL
	}
	portal = strings.TrimRight(portal, "/")
	m := Message{Change: changeOf(n.By, "Changed by")}
	for _, it := range n.Items {
		f := finding(it, portal)
		if f.OpenedBy != nil && m.Change != nil && sameChange(*f.OpenedBy, *m.Change) {
			f.OpenedBy = nil
		}
		if f.resolved {
			m.Resolved = append(m.Resolved, f)
		} else {
			m.Active = append(m.Active, f)
		}
	}
	sortFindings(m.Active)
	sortFindings(m.Resolved)
	m.Kind = kindOf(n, m)
	if len(m.Active) > 0 {
		m.Severity = m.Active[0].Severity
	}
	m.Title = title(m)
	return m
}

func kindOf(n alert.Notice, m Message) Kind {
	switch {
	case n.Digest:
		return KindDigest
	case len(m.Active) == 0 && len(m.Resolved) > 0:
		return KindResolved
	}
	return KindChange
}

func finding(it alert.Item, portal string) Finding {
	f := it.Finding
	info, _ := detector.Info(f.Rule)
	out := Finding{
		Rule: f.Rule, RuleTitle: info.Title, Severity: f.Severity,
		SeverityLabel: strings.ToUpper(f.Severity.String()),
		Reason:        reasonText(it),
		Message:       Clip(f.Message, maxMessage),
		Expected:      Clip(f.Expected, maxValue),
		Actual:        Clip(f.Actual, maxValue),
		VNet:          Link{Text: ResourceName(f.VNetID), URL: PortalURL(portal, f.VNetID)},
		Fingerprint:   f.Fingerprint,
		FirstSeen:     formatTime(it.FirstSeen),
		OpenedBy:      changeOf(it.OpenedBy, "Opened by"),
		resolved:      it.Resolved || it.Reason == alert.ReasonResolved,
		Remediation:   it.Remediation,
	}
	if info.ID != "" {
		out.Docs = info.HelpURI()
	}
	if !strings.EqualFold(strings.TrimRight(f.ResourceID, "/"), strings.TrimRight(f.VNetID, "/")) {
		out.Resource = Link{Text: ResourceName(f.ResourceID), URL: PortalURL(portal, f.ResourceID)}
	}
	out.ExemptionExpired = Effective(it) == alert.ReasonExemptionExpired
	out.resourceSortValue = strings.ToLower(f.ResourceID)
	return out
}

// reasonText names why an item is in the message. A retry says what the
// retried message said (Item.Original); without it, "open" or "resolved".
func reasonText(it alert.Item) string {
	r := Effective(it)
	switch {
	case it.Remediated() && (it.Resolved || r == alert.ReasonResolved):
		return alert.RemediationRemediated
	case r != alert.ReasonRetry:
		return r.String()
	case it.Resolved:
		return alert.ReasonResolved.String()
	}
	return "open"
}

// Effective is the reason an item's message gives: its Reason, or for a
// retry the reason of the message being retried when known.
func Effective(it alert.Item) alert.Reason {
	if it.Reason == alert.ReasonRetry && it.Original != 0 {
		return it.Original
	}
	return it.Reason
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.resourceSortValue, b.resourceSortValue),
			cmp.Compare(a.Fingerprint, b.Fingerprint),
		)
	})
}

// Total is the number of findings in the message.
func (m Message) Total() int { return len(m.Active) + len(m.Resolved) }
