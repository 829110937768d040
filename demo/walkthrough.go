// Package demo is `make run` and `make dev`: the whole event loop on
// loopback. It starts the ARM + Event Grid emulator with the embedded
// example estate and the serve stack (handler, pipeline, state, sinks) in
// this process, with the emulator's events delivered to serve's
// /api/events. Run then applies a scripted series of real changes through
// the emulator's ARM API and shows each detection and resolution as serve
// delivers it; Dev keeps the loop running for experiments.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/remediate"
)

// stepTimeout bounds one step: its changes, and the delivery and handling
// of their events.
const stepTimeout = 30 * time.Second

// Run plays the walkthrough, writing a narrative to out. It returns an
// error when an expected detection or resolution did not happen (within
// stepTimeout), and stops everything it started in any case.
func Run(ctx context.Context, out io.Writer, log *zap.Logger) error {
	pr := &printer{out: out}
	l, err := Start(ctx, Options{Logger: log, Notifiers: []alert.Notifier{pr}, Remediation: &remediate.Policy{Default: remediate.ModeAlert}})
	if err != nil {
		return err
	}
	defer l.Close()
	// As `rules: {PEERING_SETTINGS_DRIFT: {mode: remediate}}` in the baseline:
	// serve repairs that one rule itself; every other rule only alerts.
	if l.Baseline.Rules == nil {
		l.Baseline.Rules = map[string]baseline.RuleSetting{}
	}
	l.Baseline.Rules[detector.RulePeeringSettingsDrift] = baseline.RuleSetting{Mode: string(remediate.ModeRemediate)}
	fmt.Fprintf(out, "ARM + Event Grid emulator on %s: the example estate (2 subscriptions, 5 VNets, 2 VPN gateways, 1 on-premises site).\n", l.EmulatorURL)
	fmt.Fprintf(out, "vnetdrift serve on %s, receiving every change's event on %s.\n", l.ServeURL, handler.WebhookPath)
	failures := 0
	for i, s := range script() {
		ok, err := l.play(ctx, out, pr, i+1, s)
		if err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.title, err)
		}
		if !ok {
			failures++
		}
	}
	return l.summary(ctx, out, pr, failures)
}

// play runs one step and checks what serve delivered for it.
func (l *Loop) play(ctx context.Context, out io.Writer, pr *printer, n int, s step) (bool, error) {
	fmt.Fprintf(out, "\n[%d] %s\n", n, s.title)
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	var err error
	if s.apply == nil {
		err = l.Reconcile(ctx)
	} else if err = s.apply(ctx, NewActions(l.EmulatorURL, s.caller)); err == nil {
		err = l.WaitEvents(ctx)
	}
	if err != nil {
		return false, err
	}
	got := pr.take()
	if len(got) == 0 {
		fmt.Fprintln(out, "    no change")
	}
	lost := append(missing(s.opened, false, got), missing(s.resolved, true, got)...)
	for _, m := range lost {
		fmt.Fprintf(out, "    FAILED: expected %s on %s did not arrive\n", m.rule, m.vnet)
	}
	return len(lost) == 0, nil
}

func (l *Loop) summary(ctx context.Context, out io.Writer, pr *printer, failures int) error {
	open, err := l.State.Open(ctx)
	if err != nil {
		return err
	}
	opened, resolved, p50, worst := pr.stats()
	fmt.Fprintf(out, "\nSummary: %d drifts detected, %d resolved, %d still open.\n", opened, resolved, len(open))
	fmt.Fprintf(out, "  serve made %d Azure API calls; messages arrived %d ms (median) and at most %d ms after the change.\n",
		l.Reader.Calls(), p50.Milliseconds(), worst.Milliseconds())
	for _, f := range open {
		fmt.Fprintf(out, "  still open: %s on %s: %s\n", f.Rule, estate.LastSegment(f.VNetID), f.Message)
	}
	switch {
	case failures > 0:
		return fmt.Errorf("%d steps did not detect or resolve what they should", failures)
	case len(open) > 0:
		return errors.New("drift is still open at the end of the walkthrough")
	}
	fmt.Fprintln(out, "Every expected detection and resolution arrived through the event path.")
	return nil
}
