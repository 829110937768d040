package remediate

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/eventgrid"
)

func TestPolicyFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Policy
		wantErr string
	}{
		{"defaults", nil, Policy{Default: ModeAlert, MaxWritesPerEvaluation: 10, MaxWritesPerHour: 30, LoopThreshold: 3, LoopWindow: time.Hour}, ""},
		{"all set", map[string]string{
			EnvMode: "Remediate", EnvDryRun: "true", EnvMaxWritesPerEval: "2", EnvMaxWritesPerHour: "5",
			EnvSubscriptions: "a, b", EnvSelfIDs: "oid-1,app-1", EnvLoopThreshold: "4", EnvLoopWindow: "30m",
		}, Policy{Default: ModeRemediate, DryRun: true, MaxWritesPerEvaluation: 2, MaxWritesPerHour: 5,
			Subscriptions: []string{"a", "b"}, SelfIDs: []string{"oid-1", "app-1"}, LoopThreshold: 4, LoopWindow: 30 * time.Minute}, ""},
		{"bad mode", map[string]string{EnvMode: "fix"}, Policy{}, "VNETDRIFT_REMEDIATION: unknown remediation mode"},
		{"bad cap", map[string]string{EnvMaxWritesPerHour: "-1"}, Policy{}, "VNETDRIFT_MAX_WRITES_PER_HOUR"},
		{"bad window", map[string]string{EnvLoopWindow: "soon"}, Policy{}, "VNETDRIFT_LOOP_WINDOW"},
		{"bad dry run", map[string]string{EnvDryRun: "maybe"}, Policy{}, "VNETDRIFT_DRY_RUN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PolicyFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestModeFor(t *testing.T) {
	b := &baseline.Baseline{Rules: map[string]baseline.RuleSetting{
		detector.RulePeeringNotInSync:     {Mode: "remediate"},
		detector.RulePeeringMissing:       {Mode: "alert"},
		detector.RuleAddressSpaceDrift:    {Mode: "remediate"},
		detector.RuleGatewaySettingsDrift: {Mode: "plan"},
	}}
	tests := []struct {
		name   string
		policy Policy
		rule   string
		want   Mode
	}{
		{"default alert", Policy{}, detector.RulePeeringSettingsDrift, ModeAlert},
		{"env default", Policy{Default: ModePlan}, detector.RulePeeringSettingsDrift, ModePlan},
		{"baseline raises", Policy{}, detector.RulePeeringNotInSync, ModeRemediate},
		{"baseline lowers", Policy{Default: ModeRemediate}, detector.RulePeeringMissing, ModeAlert},
		{"baseline plan", Policy{Default: ModeRemediate}, detector.RuleGatewaySettingsDrift, ModePlan},
		{"dry run forces plan", Policy{DryRun: true}, detector.RulePeeringNotInSync, ModePlan},
		{"rule without action", Policy{Default: ModeRemediate}, detector.RuleAddressSpaceDrift, ModeAlert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.policy.ModeFor(b, tt.rule))
		})
	}
}

func TestIsSelf(t *testing.T) {
	p := Policy{SelfIDs: []string{"OID-1", "app-1"}}
	tests := []struct {
		caller eventgrid.Caller
		want   bool
	}{
		{eventgrid.Caller{ObjectID: "oid-1"}, true},
		{eventgrid.Caller{AppID: "APP-1", ObjectID: "other"}, true},
		{eventgrid.Caller{Name: "vnetdrift", ObjectID: "other"}, false},
		{eventgrid.Caller{}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, p.IsSelf(tt.caller), "%+v", tt.caller)
	}
}

func TestLoopGuard(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := detector.Finding{Rule: detector.RulePeeringSettingsDrift, ResourceID: hubToS1, VNetID: hubWEU, Fingerprint: "fp"}
	tests := []struct {
		name     string
		reopenAt []time.Duration // after t0; each preceded by a fix
		tripped  bool
	}{
		{"three quick reverts trip", []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute}, true},
		{"two reverts do not", []time.Duration{time.Minute, 2 * time.Minute}, false},
		{"reverts spread over more than the window do not", []time.Duration{time.Minute, 40 * time.Minute, 90 * time.Minute}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewLoopGuard(3, time.Hour)
			g.Observe(hubToS1, "tf", t0)
			g.Observe(hubWEU, "policy", t0)
			_, loop := g.Check(f, t0) // first sighting: never a loop
			require.False(t, loop)
			var l Loop
			for _, d := range tt.reopenAt {
				g.Fixed(f, t0.Add(d-time.Second))
				l, loop = g.Check(f, t0.Add(d))
			}
			assert.Equal(t, tt.tripped, loop)
			if tt.tripped {
				assert.Equal(t, []string{"tf", "policy"}, l.Callers)
				_, still := g.Check(f, t0.Add(50*time.Minute))
				assert.True(t, still, "blocked for the window")
				_, still = g.Check(f, t0.Add(3*time.Hour))
				assert.False(t, still, "unblocked after the window")
			}
		})
	}
}
