package remediate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// errCap is returned by a write refused by a write cap.
var errCap = errors.New("write cap reached")

// Apply sends the remediate-mode actions in order and verifies them. Plan
// mode and skipped actions are only reported (and logged). Each action is
// checked again before it is sent (Validate, subscription scope, loop
// guard, caps); writes that lock the same VNet are serialized and
// AnotherOperationInProgress is retried with backoff. After the writes,
// verify is called once with every VNet touched: an action is remediated
// only when none of its findings is reported any more, otherwise it failed
// (with the ARM error when the write failed). verify nil skips verification
// and reports writes that succeeded as remediated.
func (x *Executor) Apply(ctx context.Context, actions []Action, verify VerifyFunc) []Outcome {
	out := make([]Outcome, len(actions))
	writes := 0
	var sent []int
	for i, a := range actions {
		out[i] = x.run(ctx, a, &writes)
		if out[i].Status == "" {
			sent = append(sent, i)
		}
	}
	x.verify(ctx, out, sent, verify)
	for _, o := range out {
		x.logOutcome(o)
	}
	return out
}

// run decides and, when allowed, sends one action. An empty Status means
// "written or already right, verify it".
func (x *Executor) run(ctx context.Context, a Action, writes *int) Outcome {
	o := Outcome{Action: a}
	switch {
	case a.Skipped != "":
		return skipped(o, a.Skipped)
	case a.Mode != ModeRemediate:
		o.Status = StatusPlanned
		return o
	}
	if err := Validate(a); err != nil {
		return skipped(o, "refused: "+err.Error())
	}
	if !x.policy.AllowsResource(a.ResourceID) {
		return skipped(o, fmt.Sprintf("refused: subscription %q is not one vnetdrift may write to", estate.SubscriptionOf(a.ResourceID)))
	}
	if l, loop := x.Loop.Check(a.Finding, x.now()); loop {
		o.Status, o.Loop = StatusLoop, &l
		o.Detail = fmt.Sprintf("another controller keeps reverting this (%d re-openings after our fixes within %s); remediation of this resource stopped. Changed by: %s",
			l.Reopens, x.policy.LoopWindow, callersText(l.Callers))
		return o
	}
	reserve := func() error {
		if *writes >= x.policy.MaxWritesPerEvaluation {
			return fmt.Errorf("%w: %d writes per evaluation", errCap, x.policy.MaxWritesPerEvaluation)
		}
		ok, err := x.Budget.Take(ctx, x.now())
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %d writes per hour", errCap, x.policy.MaxWritesPerHour)
		}
		*writes++
		return nil
	}
	unlock := x.locks.lock(lockKey(a))
	defer unlock()
	err := x.write(ctx, a, reserve, &o)
	switch {
	case errors.Is(err, errCap):
		return skipped(o, err.Error())
	case err != nil:
		o.Status, o.Err, o.Detail = StatusFailed, err, "the write failed: "+err.Error()
	}
	return o
}

func skipped(o Outcome, why string) Outcome {
	o.Status, o.Detail = StatusSkipped, why
	return o
}

func lockKey(a Action) string {
	if a.LockVNet != "" {
		return string(estate.KeyOf(a.LockVNet))
	}
	return string(estate.KeyOf(a.ResourceID))
}

func callersText(c []string) string {
	if len(c) == 0 {
		return "no other caller was seen in the events (is the event subscription filtered?)"
	}
	return strings.Join(c, "; ")
}

// verify re-evaluates the VNets the sent actions touched and settles their status.
func (x *Executor) verify(ctx context.Context, out []Outcome, sent []int, verify VerifyFunc) {
	if len(sent) == 0 {
		return
	}
	var vnets []string
	for _, i := range sent {
		for _, id := range touched(out[i].Action) {
			if !slices.ContainsFunc(vnets, func(v string) bool { return estate.KeyOf(v) == estate.KeyOf(id) }) {
				vnets = append(vnets, id)
			}
		}
	}
	var open []detector.Finding
	var err error
	if verify != nil {
		open, err = verify(ctx, vnets)
	}
	for _, i := range sent {
		o := &out[i]
		if err != nil {
			o.Status, o.Err, o.Detail = StatusFailed, err, "verifying the fix failed: "+err.Error()
			continue
		}
		if f, still := stillOpen(o.Action, open); still {
			o.Status, o.Detail = StatusFailed, "the write succeeded but the finding is still open: "+f.Message
			continue
		}
		o.Status = StatusRemediated
		for _, f := range o.Action.Findings() {
			x.Loop.Fixed(f, x.now())
		}
	}
}

// touched returns the VNets whose evaluation shows whether an action worked.
func touched(a Action) []string {
	ids := []string{}
	for _, f := range a.Findings() {
		if f.VNetID != "" {
			ids = append(ids, f.VNetID)
		}
	}
	if a.LockVNet != "" {
		ids = append(ids, a.LockVNet)
	}
	return ids
}

func stillOpen(a Action, open []detector.Finding) (detector.Finding, bool) {
	for _, f := range a.Findings() {
		for _, g := range open {
			if g.Rule == f.Rule && g.Fingerprint == f.Fingerprint {
				return g, true
			}
		}
	}
	return detector.Finding{}, false
}

// logOutcome logs every action with its request, before/after and reason.
func (x *Executor) logOutcome(o Outcome) {
	a := o.Action
	fields := []zap.Field{
		zap.String("status", string(o.Status)), zap.String("rule", a.Finding.Rule), zap.String("resource", a.ResourceID),
		zap.String("kind", a.Kind), zap.String("mode", string(a.Mode)), zap.String("request", a.Request()),
		zap.String("before", a.Before), zap.String("after", a.After), zap.String("reason", a.Reason),
		zap.Int("writes", o.Writes),
	}
	if o.Detail != "" {
		fields = append(fields, zap.String("detail", o.Detail))
	}
	if len(o.Sent) > 0 {
		fields = append(fields, zap.ByteString("body", o.Sent))
	}
	switch o.Status {
	case StatusFailed, StatusLoop:
		x.log.Warn("remediation", append(fields, zap.Error(o.Err))...)
	default:
		x.log.Info("remediation", fields...)
	}
}
