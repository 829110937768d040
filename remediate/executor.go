package remediate

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/eventgrid"
)

// Clients gives the executor its ARM clients; *azure.Reader implements it,
// so writes share the reader's credential, retry pipeline and call counter.
type Clients interface {
	Networks(subscriptionID string) (*armnetwork.ClientFactory, error)
	PollOptions() *runtime.PollUntilDoneOptions
}

// VerifyFunc re-reads the given VNets and re-evaluates them; Apply reports
// an action remediated only when its findings are gone from the result.
type VerifyFunc func(ctx context.Context, vnetIDs []string) ([]detector.Finding, error)

// Status is the outcome of one action.
type Status string

// Statuses.
const (
	StatusPlanned    Status = "planned"            // plan mode: nothing sent
	StatusSkipped    Status = "skipped"            // not sent: Detail says why
	StatusLoop       Status = "loop"               // not sent: another controller keeps reverting it
	StatusRemediated Status = "remediated"         // sent (or already right) and the finding is gone
	StatusFailed     Status = "remediation failed" // the write failed or the finding is still open
)

// Outcome is what became of one action.
type Outcome struct {
	Action Action `json:"action"`
	Status Status `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Err is the ARM (or verification) error of a failed action.
	Err error `json:"-"`
	// Sent is the exact body sent (empty when nothing was sent).
	Sent json.RawMessage `json:"sent,omitempty"`
	// Writes counts the write requests sent, 409 retries included.
	Writes int `json:"writes"`
	// Loop is set with StatusLoop.
	Loop *Loop `json:"loop,omitempty"`
}

// Executor sends actions. Create it with New.
type Executor struct {
	clients Clients
	policy  Policy
	log     *zap.Logger
	now     func() time.Time
	locks   *vnetLocks
	// Budget is the per-hour write cap; default per process. Set it to a
	// SharedBudget before the first Apply to share it between instances.
	Budget Budget
	// Loop is the executor's loop guard (Policy.LoopThreshold, LoopWindow).
	Loop *LoopGuard
	// ConflictDelay is the first wait after 409 AnotherOperationInProgress;
	// it doubles on each retry. Default 10 s.
	ConflictDelay time.Duration
	// ConflictRetries bounds the retries after 409s. Default 6.
	ConflictRetries int
}

// New returns an Executor writing through clients under policy. log nil
// discards; now nil is time.Now.
func New(clients Clients, policy Policy, log *zap.Logger, now func() time.Time) *Executor {
	p := policy.WithDefaults()
	if log == nil {
		log = zap.NewNop()
	}
	if now == nil {
		now = time.Now
	}
	return &Executor{clients: clients, policy: p, log: log, now: now,
		Budget: &memoryBudget{perHour: p.MaxWritesPerHour}, locks: &vnetLocks{},
		Loop: NewLoopGuard(p.LoopThreshold, p.LoopWindow), ConflictDelay: 10 * time.Second, ConflictRetries: 6}
}

// Policy returns the executor's policy, defaults filled.
func (x *Executor) Policy() Policy { return x.policy }

// Observe records a resource change seen in an event. It returns true when
// the change is our own (Policy.IsSelf): the caller must not act on it
// again. Other callers are remembered for the loop guard.
func (x *Executor) Observe(c eventgrid.Change) bool {
	if x.policy.IsSelf(c.Caller) {
		return true
	}
	at := c.EventTime
	if at.IsZero() {
		at = x.now()
	}
	x.Loop.Observe(c.ResourceID(), callerName(c.Caller), at)
	return false
}

// callerName names a caller with its display name and IDs.
func callerName(c eventgrid.Caller) string {
	name := c.String()
	switch {
	case name == "":
		return ""
	case c.AppID != "" && c.AppID != name:
		return fmt.Sprintf("%s (appid %s)", name, c.AppID)
	case c.ObjectID != "" && c.ObjectID != name:
		return fmt.Sprintf("%s (oid %s)", name, c.ObjectID)
	}
	return name
}
