package pipeline

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/remediate"
)

// Remediator is the remediation stage; *remediate.Executor implements it.
type Remediator interface {
	// Observe reports whether a change is our own write (not acted on
	// again) and remembers other callers for the loop guard.
	Observe(c eventgrid.Change) bool
	// Policy is the remediation policy: modes, caps, scope.
	Policy() remediate.Policy
	// Apply sends the remediate-mode actions and verifies them.
	Apply(ctx context.Context, actions []remediate.Action, verify remediate.VerifyFunc) []remediate.Outcome
}

// DefaultRemediationTimeout bounds one background Apply: writes, 409
// retries, long-running operations and the verifying re-read.
const DefaultRemediationTimeout = 30 * time.Minute

// remediationNoticeTTL is how long a failed remediation of one finding is
// notified at most once (across instances, through State.ClaimEvent).
const remediationNoticeTTL = time.Hour

// outcomeTTL is how long a remediated outcome waits for the evaluation
// that reports its finding resolved.
const outcomeTTL = 15 * time.Minute

// remediation is the pipeline's remediation stage: the planner in the
// evaluation, writes in the background (so a long-running gateway update
// never holds an Event Grid delivery), and the outcomes that decide()
// attaches to the "resolved" messages.
type remediation struct {
	rem     Remediator
	timeout time.Duration
	ctx     context.Context // parent of every Apply; cancelled by stop
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu       sync.Mutex
	inFlight map[string]bool // action keys being applied
	// outcomes are, by rule|fingerprint, the fixes being sent or verified
	// as remediated: the evaluation that reports the finding resolved (the
	// one after the verification, or one triggered earlier by our write's
	// own event) says "remediated" with it. Other outcomes remove them.
	outcomes map[string]outcomeNote
}

type outcomeNote struct {
	r       alert.Remediation
	expires time.Time
}

func newRemediation(r Remediator, timeout time.Duration) *remediation {
	if r == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &remediation{rem: r, timeout: timeout, ctx: ctx, cancel: cancel,
		inFlight: map[string]bool{}, outcomes: map[string]outcomeNote{}}
}

// WaitRemediations waits for the background remediations started so far
// (and the re-evaluations they asked for). For tests and the walkthrough:
// call it when no new event is being handled.
func (p *Pipeline) WaitRemediations() {
	if p.rem != nil {
		p.rem.wg.Wait()
	}
}

// observe reports whether a change may be remediated: false for our own writes.
func (r *remediation) observe(c eventgrid.Change) bool {
	return r == nil || !r.rem.Observe(c)
}

// stop cancels running writes and waits for them.
func (r *remediation) stop() {
	if r == nil {
		return
	}
	r.cancel()
	r.wg.Wait()
}

func findingKey(f detector.Finding) string { return f.Rule + "|" + f.Fingerprint }

func actionKey(a remediate.Action) string { return a.Kind + "|" + string(estate.KeyOf(a.ResourceID)) }

// plan computes the actions for the findings; none when remediation is off
// or the batch holds only our own changes.
func (p *Pipeline) plan(est *estate.Estate, findings []detector.Finding, act bool) []remediate.Action {
	if p.rem == nil || !act || len(findings) == 0 {
		return nil
	}
	return remediate.Plan(p.base, est, findings, p.rem.rem.Policy())
}

// annotate attaches to each item the actions for its finding (planned,
// sending, skipped) and the remediated outcome waiting for it.
func (p *Pipeline) annotate(items []alert.Item, actions []remediate.Action, now time.Time) {
	if p.rem == nil {
		return
	}
	byFinding := map[string][]alert.Remediation{}
	for _, a := range actions {
		for _, f := range a.Findings() {
			k := findingKey(f)
			byFinding[k] = append(byFinding[k], a.Remediation(a.PlannedStatus()))
		}
	}
	p.rem.mu.Lock()
	defer p.rem.mu.Unlock()
	for i := range items {
		k := findingKey(items[i].Finding)
		if n, ok := p.rem.outcomes[k]; ok && items[i].Resolved {
			if now.Before(n.expires) {
				items[i].Remediation = append(items[i].Remediation, n.r)
			}
			delete(p.rem.outcomes, k)
			continue
		}
		if !items[i].Resolved {
			items[i].Remediation = append(items[i].Remediation, byFinding[k]...)
		}
	}
}

// startApply sends the remediate-mode actions in the background. An action
// already being applied is not started twice.
func (p *Pipeline) startApply(actions []remediate.Action, by alert.Attribution) {
	if p.rem == nil {
		return
	}
	todo := p.rem.claim(actions, p.clock())
	if len(todo) == 0 {
		return
	}
	p.rem.wg.Go(func() {
		defer p.rem.release(todo)
		ctx, cancel := context.WithTimeout(p.rem.ctx, p.rem.timeout)
		defer cancel()
		outcomes := p.rem.rem.Apply(ctx, todo, remediate.LiveVerifier(p.reader, p.base, p.clock))
		p.afterApply(ctx, outcomes, by)
	})
}

// claim returns the remediate-mode actions not in flight and marks them,
// with a note for each of their findings.
func (r *remediation) claim(actions []remediate.Action, now time.Time) []remediate.Action {
	r.mu.Lock()
	defer r.mu.Unlock()
	var todo []remediate.Action
	for _, a := range actions {
		if a.Mode != remediate.ModeRemediate || a.Skipped != "" || r.inFlight[actionKey(a)] {
			continue
		}
		r.inFlight[actionKey(a)] = true
		todo = append(todo, a)
		for _, f := range a.Findings() {
			r.outcomes[findingKey(f)] = outcomeNote{r: a.Remediation(alert.RemediationRemediated), expires: now.Add(r.timeout)}
		}
	}
	return todo
}

func (r *remediation) release(actions []remediate.Action) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range actions {
		delete(r.inFlight, actionKey(a))
	}
}

// afterApply turns outcomes into messages. A remediated finding waits for
// the evaluation that resolves it (asked for here, for every VNet the
// writes touched), whose "resolved" message then says "remediated". A
// failure or a loop has no state transition, so it is sent at once, at
// most once per finding per remediationNoticeTTL (or loop window) across
// instances.
func (p *Pipeline) afterApply(ctx context.Context, outcomes []remediate.Outcome, by alert.Attribution) {
	now := p.clock()
	var extra []alert.Item
	var touched []string
	for _, o := range outcomes {
		p.rem.note(o, now)
		switch o.Status {
		case remediate.StatusFailed:
			extra = p.appendNotice(ctx, extra, o, alert.ReasonRemediationFailed, remediationNoticeTTL, now)
		case remediate.StatusLoop:
			extra = p.appendNotice(ctx, extra, o, alert.ReasonRemediationStopped, p.rem.rem.Policy().LoopWindow, now)
		}
		touched = append(touched, outcomeVNets(o)...)
	}
	if len(extra) > 0 {
		p.sendExtra(ctx, extra, by)
	}
	p.reevaluate(ctx, touched, by)
}

// note settles the notes of an outcome: a remediated one keeps them (with
// the body actually sent) for outcomeTTL unless an evaluation already used
// them; any other outcome drops them.
func (r *remediation) note(o remediate.Outcome, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range o.Action.Findings() {
		k := findingKey(f)
		if _, pending := r.outcomes[k]; !pending {
			continue
		}
		if o.Status == remediate.StatusRemediated {
			r.outcomes[k] = outcomeNote{r: o.Remediation(), expires: now.Add(outcomeTTL)}
		} else {
			delete(r.outcomes, k)
		}
	}
	for k, n := range r.outcomes {
		if !now.Before(n.expires) {
			delete(r.outcomes, k)
		}
	}
}

// appendNotice adds the message of a failed or stopped remediation unless
// an instance already sent it within ttl.
func (p *Pipeline) appendNotice(ctx context.Context, items []alert.Item, o remediate.Outcome, r alert.Reason, ttl time.Duration, now time.Time) []alert.Item {
	f := o.Action.Finding
	id := fmt.Sprintf("remediation|%s|%s|%s", r, f.Rule, f.Fingerprint)
	first, err := p.state.ClaimEvent(ctx, id, now, ttl)
	if err != nil {
		p.log.Warn("could not check whether the remediation outcome was already notified; notifying", zap.String("rule", f.Rule), zap.Error(err))
		first = true
	}
	if !first {
		return items
	}
	return append(items, alert.Item{Finding: f, Reason: r, Remediation: []alert.Remediation{o.Remediation()}})
}

// sendExtra delivers remediation messages that have no state transition.
// They are not retried by redelivery: a failure is logged with the finding.
func (p *Pipeline) sendExtra(ctx context.Context, items []alert.Item, by alert.Attribution) {
	var err error
	if p.dispatch != nil {
		_, _, err = p.dispatch.Send(ctx, alert.Notice{Items: items, By: by})
	} else {
		err = p.deliver(ctx, items, by, false)
	}
	if err != nil {
		for _, it := range items {
			p.log.Error("remediation outcome not notified", zap.String("rule", it.Finding.Rule),
				zap.String("resource", it.Finding.ResourceID), zap.String("reason", it.Reason.String()), zap.Error(err))
		}
	}
}

// RemediationCaller is the caller named in the attribution of the
// evaluation that follows our own writes.
const RemediationCaller = "vnetdrift (remediation)"

// reevaluate asks for a fresh evaluation of the VNets the writes touched,
// as our own change (never remediated again), and waits for it. It carries
// the correlation ID of the change that led to the writes.
func (p *Pipeline) reevaluate(ctx context.Context, vnets []string, cause alert.Attribution) {
	by := alert.Attribution{Caller: RemediationCaller, OperationName: "verify after remediation",
		CorrelationID: cause.CorrelationID, EventTime: p.clock()}
	var hints []hint
	seen := map[estate.Key]bool{}
	for _, id := range vnets {
		if k := estate.KeyOf(id); !seen[k] {
			seen[k] = true
			hints = append(hints, hint{id: id, by: by})
		}
	}
	if len(hints) == 0 {
		return
	}
	w, err := p.co.add(hints)
	if err == nil {
		select {
		case <-w.done:
			err = w.err()
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	if err != nil {
		p.log.Warn("re-evaluation after remediation failed; the reconcile will catch up", zap.Strings("vnet_ids", vnets), zap.Error(err))
	}
}

// outcomeVNets are the VNets whose evaluation shows an outcome.
func outcomeVNets(o remediate.Outcome) []string {
	var ids []string
	for _, f := range o.Action.Findings() {
		if f.VNetID != "" {
			ids = append(ids, f.VNetID)
		}
	}
	if o.Action.LockVNet != "" {
		ids = append(ids, o.Action.LockVNet)
	}
	return ids
}
