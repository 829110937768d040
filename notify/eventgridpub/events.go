package eventgridpub

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/messaging"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/notify/internal/view"
)

// CloudEvent types.
const (
	TypeDriftOpened   = "Vnetdrift.DriftOpened"   // a drift is there: opened, still open, exemption expired
	TypeDriftResolved = "Vnetdrift.DriftResolved" // a drift is gone
)

// DriftData is the data of both event types: the finding, why it is
// published now, and who changed what. Consumers key tickets on
// Fingerprint.
type DriftData struct {
	Rule        string `json:"rule"`
	Severity    string `json:"severity"` // "high", "medium" or "low"
	ResourceID  string `json:"resourceId"`
	VNetID      string `json:"vnetId"`
	Message     string `json:"message"`
	Expected    string `json:"expected,omitempty"`
	Actual      string `json:"actual,omitempty"`
	Fingerprint string `json:"fingerprint"`
	// Reason is "opened", "resolved", "still open" or "exemption
	// expired"; for a retry of an earlier failed message, that message's
	// reason ("retry" only when it is unknown).
	Reason    string    `json:"reason"`
	Resolved  bool      `json:"resolved"`
	FirstSeen time.Time `json:"firstSeen,omitzero"`
	RuleTitle string    `json:"ruleTitle,omitempty"`
	HelpURI   string    `json:"helpUri,omitempty"`
	PortalURL string    `json:"portalUrl,omitempty"`
	// OpenedBy is the change that opened the drift; TriggeredBy is what
	// led to this event (the same change, a later one, or the timer).
	OpenedBy    *alert.Attribution `json:"openedBy,omitempty"`
	TriggeredBy alert.Attribution  `json:"triggeredBy"`
	// Remediation is what vnetdrift did or would do about the drift.
	Remediation []alert.Remediation `json:"remediation,omitempty"`
}

// Events returns one CloudEvent per item of n. IDs are derived from the
// fingerprint, the reason and the triggering event, so publishing the same
// notice again (a retry) repeats the IDs and consumers can drop the copies.
func Events(n alert.Notice, tenant, portalBaseURL string, now time.Time) []messaging.CloudEvent {
	if portalBaseURL == "" {
		portalBaseURL = view.DefaultPortalBaseURL
	}
	at := n.By.EventTime
	if at.IsZero() {
		at = now
	}
	at = at.UTC()
	out := make([]messaging.CloudEvent, 0, len(n.Items))
	for _, it := range n.Items {
		d := data(it, n.By, portalBaseURL)
		typ := TypeDriftOpened
		if d.Resolved {
			typ = TypeDriftResolved
		}
		subject, contentType := it.Finding.ResourceID, "application/json"
		out = append(out, messaging.CloudEvent{
			ID: eventID(it, n.By), Source: source(it.Finding.ResourceID, tenant), SpecVersion: "1.0", Type: typ,
			Subject: &subject, Time: &at, DataContentType: &contentType, Data: d,
		})
	}
	return out
}

func data(it alert.Item, by alert.Attribution, portal string) DriftData {
	f := it.Finding
	d := DriftData{
		Rule: f.Rule, Severity: f.Severity.String(), ResourceID: f.ResourceID, VNetID: f.VNetID, Message: f.Message,
		Expected: f.Expected, Actual: f.Actual, Fingerprint: f.Fingerprint, Reason: view.Effective(it).String(),
		Resolved: it.Resolved || it.Reason == alert.ReasonResolved, FirstSeen: it.FirstSeen.UTC(),
		PortalURL: view.PortalURL(strings.TrimRight(portal, "/"), f.ResourceID), TriggeredBy: by,
		Remediation: it.Remediation,
	}
	if info, ok := detector.Info(f.Rule); ok {
		d.RuleTitle, d.HelpURI = info.Title, info.HelpURI()
	}
	if it.OpenedBy != (alert.Attribution{}) {
		opened := it.OpenedBy
		d.OpenedBy = &opened
	}
	return d
}

// source is /vnetdrift/<subscription ID> of the resource, else
// /vnetdrift/<tenant>, else /vnetdrift.
func source(resourceID, tenant string) string {
	if sub := estate.SubscriptionOf(resourceID); sub != "" {
		return "/vnetdrift/" + strings.ToLower(sub)
	}
	if tenant != "" {
		return "/vnetdrift/" + tenant
	}
	return "/vnetdrift"
}

// eventID identifies the message about one drift episode: fingerprint,
// first-seen time and reason (for "still open", also the time of the
// sweep that repeats it). A retry of a failed publish gets the same ID.
func eventID(it alert.Item, by alert.Attribution) string {
	r := view.Effective(it)
	parts := []string{it.Finding.Fingerprint, it.FirstSeen.UTC().Format(time.RFC3339Nano), r.String()}
	if r == alert.ReasonRepeat || r == alert.ReasonRetry {
		parts = append(parts, by.EventID, by.EventTime.UTC().Format(time.RFC3339Nano))
	}
	if it.Resolved {
		parts = append(parts, "resolved")
	}
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
