package detector

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
)

// name returns the last segment of a resource ID: what people call it.
func name(id string) string { return estate.LastSegment(id) }

// comparePrefix orders prefixes by address, then by length (shorter first).
func comparePrefix(a, b netip.Prefix) int {
	return cmp.Or(a.Addr().Compare(b.Addr()), cmp.Compare(a.Bits(), b.Bits()))
}

// prefixList returns masked, sorted, de-duplicated copies of ps.
func prefixList(ps []netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, len(ps))
	for i, p := range ps {
		out[i] = p.Masked()
	}
	slices.SortFunc(out, comparePrefix)
	return slices.Compact(out)
}

// prefixDiff returns the prefixes of got that want lacks (added) and those
// of want that got lacks (removed), each sorted.
func prefixDiff(want, got []netip.Prefix) (added, removed []netip.Prefix) {
	w, g := prefixList(want), prefixList(got)
	for _, p := range g {
		if _, found := slices.BinarySearchFunc(w, p, comparePrefix); !found {
			added = append(added, p)
		}
	}
	for _, p := range w {
		if _, found := slices.BinarySearchFunc(g, p, comparePrefix); !found {
			removed = append(removed, p)
		}
	}
	return added, removed
}

// samePrefixes reports whether a and b hold the same set of prefixes.
func samePrefixes(a, b []netip.Prefix) bool {
	added, removed := prefixDiff(a, b)
	return len(added) == 0 && len(removed) == 0
}

// joinPrefixes writes prefixes sorted and comma-separated, "none" if empty.
func joinPrefixes(ps []netip.Prefix) string {
	if len(ps) == 0 {
		return "none"
	}
	s := make([]string, 0, len(ps))
	for _, p := range prefixList(ps) {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

// fieldDiff is one setting that differs from the baseline.
type fieldDiff struct{ field, want, got string }

// diffs collects the declared settings that differ from the actual ones.
type diffs []fieldDiff

// text compares a declared string setting case-insensitively; an empty
// declaration is not checked.
func (d *diffs) text(field, want, got string) {
	if want != "" && !strings.EqualFold(want, got) {
		*d = append(*d, fieldDiff{field, want, orNotSet(got)})
	}
}

// flag compares a declared boolean; nil is not checked.
func (d *diffs) flag(field string, want *bool, got bool) {
	if want != nil && *want != got {
		*d = append(*d, fieldDiff{field, strconv.FormatBool(*want), strconv.FormatBool(got)})
	}
}

// number compares a declared integer; nil is not checked.
func (d *diffs) number(field string, want *int64, got int64) {
	if want != nil && *want != got {
		*d = append(*d, fieldDiff{field, strconv.FormatInt(*want, 10), strconv.FormatInt(got, 10)})
	}
}

// prefixes compares a declared prefix set; nil is not checked.
func (d *diffs) prefixes(field string, want, got []netip.Prefix) {
	if want != nil && !samePrefixes(want, got) {
		*d = append(*d, fieldDiff{field, joinPrefixes(want), joinPrefixes(got)})
	}
}

// address compares a declared IP address (as text when either side does not
// parse); an empty declaration is not checked.
func (d *diffs) address(field, want, got string) {
	if want == "" {
		return
	}
	w, errW := netip.ParseAddr(strings.TrimSpace(want))
	g, errG := netip.ParseAddr(strings.TrimSpace(got))
	if errW == nil && errG == nil {
		if w.Unmap() != g.Unmap() {
			*d = append(*d, fieldDiff{field, want, got})
		}
		return
	}
	d.text(field, want, got)
}

// describe writes "sku is VpnGw1, expected VpnGw2; enableBgp is …".
func (d diffs) describe() string {
	s := make([]string, len(d))
	for i, f := range d {
		s[i] = fmt.Sprintf("%s is %s, expected %s", f.field, f.got, f.want)
	}
	return strings.Join(s, "; ")
}

// expected writes "sku=VpnGw2, enableBgp=true".
func (d diffs) expected() string { return d.join(func(f fieldDiff) string { return f.want }) }

// actual writes "sku=VpnGw1, enableBgp=false".
func (d diffs) actual() string { return d.join(func(f fieldDiff) string { return f.got }) }

func (d diffs) join(value func(fieldDiff) string) string {
	s := make([]string, len(d))
	for i, f := range d {
		s[i] = f.field + "=" + value(f)
	}
	return strings.Join(s, "; ")
}

func orNotSet(s string) string {
	if s == "" {
		return "(not set)"
	}
	return s
}
