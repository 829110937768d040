package detector

import (
	"strings"
	"time"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/estate"
)

// exemption is a baseline exemption that is still in force, with its
// resource pattern split at the wildcards.
type exemption struct {
	src   baseline.Exemption
	parts []string // lower-cased pattern split on '*'
}

// compileExemptions keeps the exemptions that have not expired at now: an
// exemption with a zero Expires never expires, one whose Expires is before
// now no longer applies.
func compileExemptions(all []baseline.Exemption, now time.Time) []exemption {
	var out []exemption
	for _, x := range all {
		if !x.Expires.IsZero() && x.Expires.Before(now) {
			continue
		}
		pattern := strings.ToLower(strings.TrimSpace(x.Resource))
		out = append(out, exemption{src: x, parts: strings.Split(pattern, "*")})
	}
	return out
}

// exemptionFor returns the first exemption that covers f, or nil. An
// exemption covers a finding when its rule is the finding's rule or "*" and
// its resource pattern matches the finding's resource ID or VNet ID.
func (ev *evaluator) exemptionFor(f Finding) *ExemptionRef {
	resource, vnet := string(estate.KeyOf(f.ResourceID)), string(f.VNetKey())
	for _, x := range ev.exemptions {
		if x.src.Rule != "*" && !strings.EqualFold(x.src.Rule, f.Rule) {
			continue
		}
		if globMatch(x.parts, resource) || (vnet != "" && globMatch(x.parts, vnet)) {
			return &ExemptionRef{Reason: x.src.Reason, Owner: x.src.Owner, Line: x.src.Line}
		}
	}
	return nil
}

// globMatch reports whether s matches a pattern given as its parts between
// '*' wildcards; each '*' matches any run of characters, including '/'.
func globMatch(parts []string, s string) bool {
	if len(parts) == 1 {
		return s == parts[0]
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := len(parts) - 1
	for _, mid := range parts[1:last] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, parts[last])
}
