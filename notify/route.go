package notify

import (
	"slices"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// ReceiversOf returns the names of the receivers a finding goes to: those
// of the first matching route and of every matching route before it that
// says continue; Default if none matches. Each name appears once.
func (r *Routing) ReceiversOf(f detector.Finding) []string {
	var out []string
	matched := false
	for _, rt := range r.Routes {
		if !rt.Match.Matches(f) {
			continue
		}
		matched = true
		out = appendNew(out, rt.Receivers...)
		if !rt.Continue {
			break
		}
	}
	if !matched {
		out = appendNew(out, r.Default...)
	}
	return out
}

// Matches reports whether f has at least MinSeverity and its rule, VNet ID
// and resource ID match the set patterns.
func (m Match) Matches(f detector.Finding) bool {
	return (m.MinSeverity == nil || f.Severity >= *m.MinSeverity) &&
		glob(m.Rule, f.Rule) && glob(m.VNet, f.VNetID) && glob(m.Resource, f.ResourceID)
}

// glob reports whether s matches pattern ("" matches anything), ignoring
// case and a trailing '/'; '*' matches any run of characters.
func glob(pattern, s string) bool {
	return pattern == "" || baseline.Glob(string(estate.KeyOf(pattern)), string(estate.KeyOf(s)))
}

func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		if !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}
