package remediate

import (
	"github.com/vnetdrift/vnetdrift/alert"
)

// Remediation describes the action for a notification, with status.
func (a Action) Remediation(status string) alert.Remediation {
	r := alert.Remediation{Status: status, Request: a.Request(), Body: a.Body, Before: a.Before, After: a.After, Reason: a.Reason}
	if a.Skipped != "" {
		r.Status, r.Detail = alert.RemediationSkipped, a.Skipped
	}
	return r
}

// Remediation describes the outcome for a notification: the request, the
// body actually sent (or planned), the status and its detail.
func (o Outcome) Remediation() alert.Remediation {
	r := o.Action.Remediation(string(o.Status))
	r.Status, r.Detail = string(o.Status), o.Detail
	if len(o.Sent) > 0 {
		r.Body = o.Sent
	}
	if o.Loop != nil {
		r.Status, r.Callers = alert.RemediationLoop, o.Loop.Callers
	}
	return r
}

// PlannedStatus is the status an action shows before Apply: planned in
// plan mode, sending in remediate mode, skipped when it will not be sent.
func (a Action) PlannedStatus() string {
	switch {
	case a.Skipped != "":
		return alert.RemediationSkipped
	case a.Mode == ModeRemediate:
		return alert.RemediationSending
	}
	return alert.RemediationPlanned
}
