// Package logsink is the notifier that writes each drift message as one
// structured log line: always on in `vnetdrift serve`, and what Application
// Insights collects from a Function App's logs.
package logsink

import (
	"context"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
)

// Sink logs notices. It never fails.
type Sink struct{ log *zap.Logger }

var _ alert.Notifier = (*Sink)(nil)

// New returns a Sink writing to log (nil: nowhere).
func New(log *zap.Logger) *Sink {
	if log == nil {
		log = zap.NewNop()
	}
	return &Sink{log: log.Named("findings")}
}

// Name returns "log".
func (*Sink) Name() string { return "log" }

// Notify logs one line per item: at warn level for a drift that is open,
// at info level for one that resolved.
func (s *Sink) Notify(_ context.Context, n alert.Notice) (bool, error) {
	for _, it := range n.Items {
		reason := it.Reason
		if reason == alert.ReasonRetry && it.Original != 0 {
			reason = it.Original
		}
		fields := fields(n, it, reason)
		if it.Resolved {
			s.log.Info("drift "+reason.String(), fields...)
		} else {
			s.log.Warn("drift "+reason.String(), fields...)
		}
	}
	return false, nil
}

// fields describe one item: the finding, why it is sent, and what
// triggered the evaluation.
func fields(n alert.Notice, it alert.Item, reason alert.Reason) []zap.Field {
	f := it.Finding
	out := []zap.Field{
		zap.String("reason", reason.String()),
		zap.String("rule", f.Rule),
		zap.Stringer("severity", f.Severity),
		zap.String("vnet_id", f.VNetID),
		zap.String("resource_id", f.ResourceID),
		zap.String("fingerprint", f.Fingerprint),
		zap.String("message", f.Message),
	}
	if f.Expected != "" || f.Actual != "" {
		out = append(out, zap.String("expected", f.Expected), zap.String("actual", f.Actual))
	}
	if it.Reason == alert.ReasonRetry {
		out = append(out, zap.Bool("retry", true))
	}
	if n.Digest {
		out = append(out, zap.Bool("digest", true))
	}
	if len(it.Remediation) > 0 {
		out = append(out, zap.Any("remediation", it.Remediation))
	}
	out = append(out, attribution("by", n.By))
	if ob := it.OpenedBy; (ob.EventID != "" || ob.Reconcile) && (ob.EventID != n.By.EventID || ob.Reconcile != n.By.Reconcile) {
		out = append(out, attribution("opened_by", it.OpenedBy))
	}
	return out
}

// attribution is a nested object naming what triggered an evaluation.
func attribution(key string, a alert.Attribution) zap.Field {
	return zap.Dict(key,
		zap.Bool("reconcile", a.Reconcile),
		zap.String("caller", a.Caller),
		zap.String("operation", a.OperationName),
		zap.String("resource_id", a.ResourceID),
		zap.String("event_id", a.EventID),
		zap.String("correlation_id", a.CorrelationID),
		zap.Time("event_time", a.EventTime),
	)
}
