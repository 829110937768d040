package pipeline

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

func finding(rule, vnet string) detector.Finding {
	return detector.Finding{Rule: rule, VNetID: vnet, ResourceID: vnet, Fingerprint: detector.Fingerprint(rule, vnet, "")}
}

func rules(fs []detector.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"@"+f.VNetID)
	}
	return out
}

func TestTrackerOpensAndResolvesWithinScope(t *testing.T) {
	a, b := "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/a", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/b"
	tr := NewTracker()
	steps := []struct {
		name             string
		scope            []estate.Key
		findings         []detector.Finding
		opened, resolved []string
	}{
		{"first sight opens", nil, []detector.Finding{finding("X", a), finding("Y", b)}, []string{"X@" + a, "Y@" + b}, nil},
		{"same again is quiet", nil, []detector.Finding{finding("X", a), finding("Y", b)}, nil, nil},
		{"scope a: b untouched, X resolves", []estate.Key{estate.KeyOf(a)}, nil, nil, []string{"X@" + a}},
		{"finding outside scope ignored", []estate.Key{estate.KeyOf(a)}, []detector.Finding{finding("Z", b)}, nil, nil},
		{"full pass resolves b", nil, nil, nil, []string{"Y@" + b}},
	}
	for _, s := range steps {
		d := tr.Apply(s.scope, s.findings)
		assert.Equal(t, s.opened, rules(d.Opened), s.name)
		assert.Equal(t, s.resolved, rules(d.Resolved), s.name)
	}
	assert.Empty(t, tr.Open())
}
