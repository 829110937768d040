package opa

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/synth"
)

// small is a 150-VNet estate: 6 hubs of 24 spokes.
var small = synth.Spec{VNets: 150, SpokesPerHub: 24}

func TestToolsAgree(t *testing.T) {
	pq, err := Prepare(context.Background())
	require.NoError(t, err)
	cases := []struct {
		name  string
		drift Drift
	}{
		{"clean", Drift{}},
		{"overlaps only", Drift{Overlaps: 3}},
		{"peering state only", Drift{NotConnected: 2, NotInSync: 4}},
		{"gateways only", Drift{GatewaySettings: 2, PolicyBased: 3}},
		{"every kind", Drift{Overlaps: 4, NotConnected: 3, NotInSync: 3, GatewaySettings: 2, PolicyBased: 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewCase(synth.Generate(small), tc.drift, DefaultExpected())
			require.NoError(t, err)
			require.Equal(t, 150, c.VNets)
			violations, err := Eval(context.Background(), pq, c.Value)
			require.NoError(t, err)
			findings := Evaluate(c.Estate, c.Baseline)

			want := tc.drift.Want()
			assert.Equal(t, want, CountViolations(violations), "OPA")
			assert.Equal(t, want, CountFindings(findings), "vnetdrift")
			assert.Equal(t, FindingKeys(findings), ViolationKeys(violations), "same resources and VNets")
		})
	}
}

// TestScanAgreesWithEvaluate checks that the end-to-end path the benchmark
// times (files in, as `vnetdrift scan` reads them) finds what the
// in-memory path finds.
func TestScanAgreesWithEvaluate(t *testing.T) {
	d := Drift{Overlaps: 2, NotConnected: 1, NotInSync: 1, GatewaySettings: 1, PolicyBased: 1}
	c, err := NewCase(synth.Generate(small), d, DefaultExpected())
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "estate.json")
	require.NoError(t, os.WriteFile(path, c.ARM, 0o600))

	findings, err := Scan(path, c.BaselineYAML)
	require.NoError(t, err)
	assert.Equal(t, d.Want(), CountFindings(findings))
	assert.Equal(t, FindingKeys(Evaluate(c.Estate, c.Baseline)), FindingKeys(findings))
}

// TestDriftFor checks the benchmark's drift fits the estates it is made for.
func TestDriftFor(t *testing.T) {
	for _, n := range []int{150, 1_000, 10_000} {
		res := synth.Generate(synth.Spec{VNets: n})
		d := DriftFor(n, len(res.Gateways))
		require.NoError(t, Inject(res, d), "%d VNets", n)
		assert.Positive(t, d.Want().Total())
	}
}

func TestInjectRejectsTooMuch(t *testing.T) {
	tests := []struct {
		name string
		d    Drift
	}{
		{"more peering drifts than spokes", Drift{NotConnected: 100, NotInSync: 100}},
		{"more gateway drifts than gateways", Drift{PolicyBased: 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Error(t, Inject(synth.Generate(small), tc.d))
		})
	}
}
