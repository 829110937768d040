package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/remediate"
)

type remediateOptions struct {
	baseline string
	source   sourceFlags
	format   string
	yes      bool
}

// runRemediate runs "remediate plan" and "remediate apply".
func runRemediate(env *Env, args []string) int {
	if len(args) == 0 || (args[0] != "plan" && args[0] != "apply") {
		fmt.Fprintln(env.Stderr, "usage: vnetdrift remediate plan --baseline B (--estate E | --subscription S) [--format text|json]\n"+
			"       vnetdrift remediate apply --baseline B --subscription S [--yes] [--format text|json]")
		return ExitUsage
	}
	sub := args[0]
	var o remediateOptions
	fs := flag.NewFlagSet("remediate "+sub, flag.ContinueOnError)
	fs.StringVar(&o.baseline, "baseline", "", "baseline YAML file (required)")
	o.source.register(fs)
	fs.StringVar(&o.format, "format", "text", "output format: text or json")
	if sub == "apply" {
		fs.BoolVar(&o.yes, "yes", false, "apply without asking for confirmation")
	}
	if code, ok := parseFlags(env, fs, args[1:]); !ok {
		return code
	}
	if err := o.check(sub); err != nil {
		return fail(env, "remediate "+sub, err)
	}
	policy, err := cliPolicy(env, o, sub == "plan")
	if err != nil {
		return fail(env, "remediate "+sub, err)
	}
	if sub == "plan" {
		return remediatePlan(env, o, policy)
	}
	return remediateApply(env, o, policy)
}

func (o remediateOptions) check(sub string) error {
	switch {
	case o.baseline == "":
		return errors.New("--baseline is required")
	case o.format != "text" && o.format != "json":
		return fmt.Errorf("--format: unknown format %q: want text or json", o.format)
	case sub == "apply" && (len(o.source.subscriptions) == 0 || len(o.source.estates) > 0):
		return errors.New("apply needs --subscription (and no --estate): it writes to Azure")
	}
	return nil
}

// cliPolicy is the environment's policy (caps, self IDs) with every rule
// that has an action in remediate mode unless the baseline says otherwise,
// the --subscription list as the write scope, and plan forced for "plan".
func cliPolicy(env *Env, o remediateOptions, dryRun bool) (remediate.Policy, error) {
	p, err := remediate.PolicyFromEnv(env.Getenv)
	if err != nil {
		return p, err
	}
	p.Default, p.DryRun, p.Subscriptions = remediate.ModeRemediate, dryRun || p.DryRun, o.source.subscriptions
	return p, nil
}

func remediatePlan(env *Env, o remediateOptions, p remediate.Policy) int {
	b, err := baseline.ReadFile(o.baseline)
	if err != nil {
		return fail(env, "remediate plan", err)
	}
	est, err := o.source.load(env)
	if err != nil {
		return fail(env, "remediate plan", err)
	}
	actions := planFor(b, est, p)
	if err := writePlan(env, o.format, actions); err != nil {
		return fail(env, "remediate plan", err)
	}
	return ExitOK
}

func planFor(b *baseline.Baseline, est *estate.Estate, p remediate.Policy) []remediate.Action {
	findings := detector.Evaluate(detector.Input{Baseline: b, Estate: est, Now: time.Now().UTC()})
	return remediate.Plan(b, est, findings, p)
}

func writePlan(env *Env, format string, actions []remediate.Action) error {
	if format == "json" {
		if actions == nil {
			actions = []remediate.Action{}
		}
		return remediate.WriteJSON(env.Stdout, actions)
	}
	return remediate.WritePlan(env.Stdout, actions)
}

func remediateApply(env *Env, o remediateOptions, p remediate.Policy) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	b, err := baseline.ReadFile(o.baseline)
	if err != nil {
		return fail(env, "remediate apply", err)
	}
	r, err := azure.New(azure.Config{Endpoint: env.Getenv(azure.EndpointEnv), Subscriptions: o.source.subscriptions, Logger: cliLogger(env)})
	if err != nil {
		return fail(env, "remediate apply", fmt.Errorf("connecting to Azure: %w", err))
	}
	est, err := readEstate(ctx, r)
	if err != nil {
		return fail(env, "remediate apply", err)
	}
	actions := planFor(b, est, p)
	if err := writePlan(env, o.format, actions); err != nil {
		return fail(env, "remediate apply", err)
	}
	if n := sendable(actions); n == 0 || (!o.yes && !confirm(env, n)) {
		fmt.Fprintln(env.Stderr, "vnetdrift remediate apply: nothing sent")
		return exitFor(actions, nil)
	}
	out := remediate.New(r, p, cliLogger(env), nil).Apply(ctx, actions, remediate.LiveVerifier(r, b, nil))
	if o.format == "json" {
		err = remediate.WriteJSON(env.Stdout, out)
	} else {
		err = remediate.WriteOutcomes(env.Stdout, out)
	}
	if err != nil {
		return fail(env, "remediate apply", err)
	}
	return exitFor(actions, out)
}

func readEstate(ctx context.Context, r *azure.Reader) (*estate.Estate, error) {
	res, err := r.ReadAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the estate from Azure: %w", err)
	}
	return estate.Build(res)
}

func sendable(actions []remediate.Action) int {
	n := 0
	for _, a := range actions {
		if a.Skipped == "" && a.Mode == remediate.ModeRemediate {
			n++
		}
	}
	return n
}

// confirm asks on standard error and reads the answer from standard input.
func confirm(env *Env, n int) bool {
	fmt.Fprintf(env.Stderr, "Send %d write request(s) to Azure? [y/N] ", n)
	if env.Stdin == nil {
		return false
	}
	line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

// exitFor is 0 when every action was remediated (or there was none), 1 otherwise.
func exitFor(actions []remediate.Action, out []remediate.Outcome) int {
	if len(actions) == 0 {
		return ExitOK
	}
	if len(out) == 0 {
		return ExitDrift
	}
	for _, o := range out {
		if o.Status != remediate.StatusRemediated {
			return ExitDrift
		}
	}
	return ExitOK
}
