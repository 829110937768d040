package notify

import (
	"slices"
	"strings"

	"github.com/vnetdrift/vnetdrift/detector"
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
	if pattern == "" {
		return true
	}
	p := strings.ToLower(strings.TrimRight(pattern, "/"))
	s = strings.ToLower(strings.TrimRight(s, "/"))
	px, sx, starP, starS := 0, 0, -1, 0
	for sx < len(s) {
		switch {
		case px < len(p) && p[px] == '*':
			starP, starS = px, sx
			px++
		case px < len(p) && p[px] == s[sx]:
			px++
			sx++
		case starP >= 0:
			starS++
			px, sx = starP+1, starS
		default:
			return false
		}
	}
	for px < len(p) && p[px] == '*' {
		px++
	}
	return px == len(p)
}

func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		if !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}
