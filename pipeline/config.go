package pipeline

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/handler"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultCoalesceWindow    = 250 * time.Millisecond
	DefaultSettle            = 50 * time.Millisecond
	DefaultRepeatInterval    = 24 * time.Hour
	DefaultEvaluationTimeout = 20 * time.Second
)

// LoneChangeVNets is how many VNets a change may affect and still be
// evaluated at once, without waiting Settle, when the pipeline is idle: a
// VNet write affects one, a peering two, a gateway or a connection its
// VNet and the far ends of its connections. A delivery about more VNets
// is a batch Event Grid made because events queued up: it waits Settle.
const LoneChangeVNets = 4

// Reader reads current state from Azure; *azure.Reader implements it.
// Errors are treated as transient (Event Grid redelivers).
type Reader interface {
	// ReadNeighbourhood reads the given VNets and what the rules need
	// around them (peers, gateways, connections, local network gateways).
	ReadNeighbourhood(ctx context.Context, vnetIDs []string) (*estate.Resources, error)
	// ReadAll reads every network resource of the configured subscriptions.
	ReadAll(ctx context.Context) (*estate.Resources, error)
}

// Dispatcher delivers the items State.Record handed out and returns them
// marked with the targets that delivered them, for State.Notified.
type Dispatcher interface {
	Send(ctx context.Context, n alert.Notice) (delivered []alert.Item, retry bool, err error)
}

// Config configures a Pipeline. Reader and State are required.
type Config struct {
	Reader Reader
	// Baseline is the declared state (VNETDRIFT_BASELINE, see LoadBaseline);
	// nil runs only the rules that need no baseline.
	Baseline *baseline.Baseline
	// State is the shared lifecycle of findings: it decides what opened,
	// resolved or is due again, exactly once across instances.
	State alert.State
	// Notifiers each get every item (used when Dispatcher is nil).
	Notifiers []alert.Notifier
	// Dispatcher, when set, delivers instead of Notifiers: routing from the
	// baseline, one message per change or a digest, per-target retries and
	// delivery tracking (*notify.Dispatcher implements it).
	Dispatcher Dispatcher
	// CoalesceWindow (VNETDRIFT_COALESCE_WINDOW, default 250 ms) is how
	// often at most a VNet is evaluated: changes to a VNet within a window
	// of its last evaluation become one evaluation at the window's end. It
	// also bounds how long a change waits for others to arrive.
	CoalesceWindow time.Duration
	// Settle starts an evaluation once no change has arrived for this long
	// (default 50 ms, at most CoalesceWindow): changes arriving less than
	// this apart share one read. A lone change does not wait: a change
	// affecting at most LoneChangeVNets VNets that arrives when nothing
	// waits or is being evaluated starts its evaluation at once (unless
	// a large evaluation ended less than Settle ago: its callers are
	// sending the rest of a burst). ARM's read quota (a 250-token bucket
	// refilled at 25 a second per subscription) is the scarce resource,
	// not these milliseconds.
	Settle time.Duration
	// RepeatInterval is how often a finding that stays open is notified
	// again (VNETDRIFT_REPEAT_INTERVAL, default 24 h).
	RepeatInterval time.Duration
	// EvaluationTimeout bounds one event-driven evaluation: read, evaluate,
	// record, notify (default 20 s, inside Event Grid's 30 s).
	EvaluationTimeout time.Duration
	// Remediator, when set, plans actions for the findings (shown in the
	// messages) and sends those in remediate mode in the background
	// (*remediate.Executor implements it). Nil: alert only.
	Remediator Remediator
	// RemediationTimeout bounds one background Apply (default 30 min: a
	// VPN gateway update can take that long).
	RemediationTimeout time.Duration
	Logger             *zap.Logger      // default: no logging
	Metrics            *handler.Metrics // default: none
	Clock              func() time.Time // default: time.Now; the "now" of evaluations and state
}

func (c Config) withDefaults() (Config, error) {
	if c.Reader == nil {
		return c, errors.New("pipeline config: Reader is required")
	}
	if c.State == nil {
		return c, errors.New("pipeline config: State is required")
	}
	if c.CoalesceWindow < 0 || c.Settle < 0 || c.RepeatInterval < 0 || c.EvaluationTimeout < 0 {
		return c, errors.New("pipeline config: CoalesceWindow, Settle, RepeatInterval and EvaluationTimeout must not be negative")
	}
	if c.CoalesceWindow == 0 {
		c.CoalesceWindow = DefaultCoalesceWindow
	}
	if c.Settle == 0 {
		c.Settle = DefaultSettle
	}
	c.Settle = min(c.Settle, c.CoalesceWindow)
	if c.RepeatInterval == 0 {
		c.RepeatInterval = DefaultRepeatInterval
	}
	if c.EvaluationTimeout == 0 {
		c.EvaluationTimeout = DefaultEvaluationTimeout
	}
	if c.RemediationTimeout <= 0 {
		c.RemediationTimeout = DefaultRemediationTimeout
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return c, nil
}
