package opa

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRegoUnitTests runs policy/*_test.rego, as `opa test policy` would.
func TestRegoUnitTests(t *testing.T) {
	results, err := tester.Run(context.Background(), "policy")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(results), 8, "policy/network_test.rego has 8 tests")
	for _, r := range results {
		assert.True(t, r.Pass(), "%s", r)
	}
}

func TestPrepareLeavesOutRegoTests(t *testing.T) {
	files, err := policyFiles()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"policy/gateway.rego", "policy/network.rego", "policy/overlap.rego", "policy/peering.rego"}, files)
}
