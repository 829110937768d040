package remediate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
)

// Mode is what vnetdrift does about a finding.
type Mode string

// Modes, least to most active.
const (
	// ModeAlert only notifies (the default for every rule).
	ModeAlert Mode = "alert"
	// ModePlan computes and shows the exact ARM request but sends nothing.
	ModePlan Mode = "plan"
	// ModeRemediate sends the request, then verifies.
	ModeRemediate Mode = "remediate"
)

// ParseMode parses "alert", "plan" or "remediate" (case-insensitive).
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case ModeAlert, ModePlan, ModeRemediate:
		return m, nil
	}
	return "", fmt.Errorf("unknown remediation mode %q: want alert, plan or remediate", s)
}

// Environment variables read by PolicyFromEnv.
const (
	EnvMode              = "VNETDRIFT_REMEDIATION"
	EnvDryRun            = "VNETDRIFT_DRY_RUN"
	EnvMaxWritesPerEval  = "VNETDRIFT_MAX_WRITES_PER_EVALUATION"
	EnvMaxWritesPerHour  = "VNETDRIFT_MAX_WRITES_PER_HOUR"
	EnvSubscriptions     = "VNETDRIFT_SUBSCRIPTIONS"
	EnvLoopThreshold     = "VNETDRIFT_LOOP_THRESHOLD"
	EnvLoopWindow        = "VNETDRIFT_LOOP_WINDOW"
	EnvSelfIDs           = "VNETDRIFT_SELF_IDS"
	defaultPerEvaluation = 10
	defaultPerHour       = 30
	defaultLoopThreshold = 3
	defaultLoopWindow    = time.Hour
)

// Policy is the operator's remediation configuration.
type Policy struct {
	// Default is the mode of every rule that has an action and whose
	// baseline setting (rules.<ID>.mode) is empty. Zero: ModeAlert.
	Default Mode
	// DryRun forces ModePlan wherever ModeRemediate would apply.
	DryRun bool
	// MaxWritesPerEvaluation caps the writes of one Apply call; 0: 10.
	MaxWritesPerEvaluation int
	// MaxWritesPerHour caps the writes of an Executor in any rolling hour; 0: 30.
	MaxWritesPerHour int
	// Subscriptions are the only subscriptions written to. Empty: none.
	Subscriptions []string
	// LoopThreshold is how many re-openings of a fixed finding within
	// LoopWindow stop remediation of its resource; 0: 3.
	LoopThreshold int
	// LoopWindow; 0: one hour.
	LoopWindow time.Duration
	// SelfIDs are the object and application (client) IDs of vnetdrift's
	// own identity: changes made by them are our own.
	SelfIDs []string
}

// PolicyFromEnv reads a Policy from the environment: VNETDRIFT_REMEDIATION
// (alert|plan|remediate, default alert), VNETDRIFT_DRY_RUN (bool),
// VNETDRIFT_MAX_WRITES_PER_EVALUATION, VNETDRIFT_MAX_WRITES_PER_HOUR,
// VNETDRIFT_SUBSCRIPTIONS and VNETDRIFT_SELF_IDS (comma-separated),
// VNETDRIFT_LOOP_THRESHOLD and VNETDRIFT_LOOP_WINDOW (Go duration).
// Unset values take the defaults; errors name the variable.
func PolicyFromEnv(getenv func(string) string) (Policy, error) {
	p := Policy{Default: ModeAlert, Subscriptions: list(getenv(EnvSubscriptions)), SelfIDs: list(getenv(EnvSelfIDs))}
	var err error
	if v := getenv(EnvMode); strings.TrimSpace(v) != "" {
		if p.Default, err = ParseMode(v); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", EnvMode, err)
		}
	}
	if v := strings.TrimSpace(getenv(EnvDryRun)); v != "" {
		if p.DryRun, err = strconv.ParseBool(v); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", EnvDryRun, err)
		}
	}
	for _, n := range []struct {
		name string
		dst  *int
	}{{EnvMaxWritesPerEval, &p.MaxWritesPerEvaluation}, {EnvMaxWritesPerHour, &p.MaxWritesPerHour}, {EnvLoopThreshold, &p.LoopThreshold}} {
		if *n.dst, err = positive(getenv(n.name)); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", n.name, err)
		}
	}
	if v := strings.TrimSpace(getenv(EnvLoopWindow)); v != "" {
		if p.LoopWindow, err = time.ParseDuration(v); err != nil || p.LoopWindow <= 0 {
			return Policy{}, fmt.Errorf("%s: %q is not a positive duration", EnvLoopWindow, v)
		}
	}
	return p.WithDefaults(), nil
}

func positive(v string) (int, error) {
	if strings.TrimSpace(v) == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive integer", v)
	}
	return n, nil
}

func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// WithDefaults returns p with zero fields set to their defaults.
func (p Policy) WithDefaults() Policy {
	if p.Default == "" {
		p.Default = ModeAlert
	}
	p.MaxWritesPerEvaluation = cmpOr(p.MaxWritesPerEvaluation, defaultPerEvaluation)
	p.MaxWritesPerHour = cmpOr(p.MaxWritesPerHour, defaultPerHour)
	p.LoopThreshold = cmpOr(p.LoopThreshold, defaultLoopThreshold)
	if p.LoopWindow <= 0 {
		p.LoopWindow = defaultLoopWindow
	}
	return p
}

func cmpOr(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// ModeFor returns the mode of a rule: the baseline's rules.<ID>.mode, else
// the policy default; DryRun turns remediate into plan. Rules without an
// action are always ModeAlert.
func (p Policy) ModeFor(b *baseline.Baseline, rule string) Mode {
	if !HasAction(rule) {
		return ModeAlert
	}
	m := p.Default
	if b != nil {
		if s, ok := b.Rules[rule]; ok && s.Mode != "" {
			if bm, err := ParseMode(s.Mode); err == nil {
				m = bm
			}
		}
	}
	if m == "" {
		m = ModeAlert
	}
	if p.DryRun && m == ModeRemediate {
		m = ModePlan
	}
	return m
}

// AllowsSubscription reports whether resources in sub may be written:
// sub is listed in Subscriptions (case-insensitively). An empty list
// allows nothing.
func (p Policy) AllowsSubscription(sub string) bool {
	return sub != "" && slices.ContainsFunc(p.Subscriptions, func(s string) bool { return strings.EqualFold(s, sub) })
}

// AllowsResource reports whether the subscription of a resource ID is allowed.
func (p Policy) AllowsResource(id string) bool {
	return p.AllowsSubscription(estate.SubscriptionOf(id))
}

// IsSelf reports whether a change was made by vnetdrift's own identity:
// its object ID or application ID is in SelfIDs (case-insensitively).
// A caller with neither ID is never self.
func (p Policy) IsSelf(c eventgrid.Caller) bool {
	for _, id := range []string{c.ObjectID, c.AppID} {
		if id != "" && slices.ContainsFunc(p.SelfIDs, func(s string) bool { return strings.EqualFold(s, id) }) {
			return true
		}
	}
	return false
}
