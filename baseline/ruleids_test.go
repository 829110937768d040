package baseline_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
)

// The baseline keeps its own copy of the rule IDs because detector imports
// baseline; this keeps the copy true.
func TestRuleIDsMatchDetectorCatalogue(t *testing.T) {
	var want []string
	for _, r := range detector.Catalogue {
		want = append(want, r.ID)
	}
	assert.Equal(t, want, baseline.RuleIDs)
}
