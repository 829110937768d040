package baseline

import (
	"time"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Expired reports whether the exemption no longer applies at now. An
// exemption without an expiry never expires.
func (x *Exemption) Expired(now time.Time) bool {
	return !x.Expires.IsZero() && !now.Before(x.Expires)
}

// Matches reports whether the exemption covers a rule and a resource ID,
// ignoring expiry. The resource pattern is matched case-insensitively and
// its '*' matches any run of characters, '/' included.
func (x *Exemption) Matches(rule, resourceID string) bool {
	if x.Rule != AnyRule && x.Rule != rule {
		return false
	}
	return Glob(string(estate.KeyOf(x.Resource)), string(estate.KeyOf(resourceID)))
}

// ExemptionFor returns the first unexpired exemption, in file order, that
// covers rule on resourceID; nil if none (or if b is nil).
func (b *Baseline) ExemptionFor(rule, resourceID string, now time.Time) *Exemption {
	if b == nil {
		return nil
	}
	for i := range b.Exemptions {
		x := &b.Exemptions[i]
		if x.Matches(rule, resourceID) && !x.Expired(now) {
			return x
		}
	}
	return nil
}

// Glob reports whether s matches pattern, where '*' matches any run of
// characters; the comparison is exact otherwise (normalize case first). It runs in O(len(pattern)·len(s)) at worst.
func Glob(pattern, s string) bool {
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && pattern[px] == '*':
			starP, starS = px, sx
			px++
		case px < len(pattern) && pattern[px] == s[sx]:
			px++
			sx++
		case starP >= 0:
			starS++
			px, sx = starP+1, starS
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}
