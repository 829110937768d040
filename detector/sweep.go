package detector

import (
	"net/netip"
	"slices"
)

// span is one address prefix in an overlap sweep.
type span struct {
	p     netip.Prefix // masked
	last  netip.Addr   // last address in p
	owner int          // index of the network it belongs to, for the caller
	side  int          // 0 or 1; see sweep
}

// appendSpans appends the valid prefixes of one network to spans.
func appendSpans(spans []span, prefixes []netip.Prefix, owner, side int) []span {
	for _, p := range prefixes {
		if p.IsValid() {
			p = p.Masked()
			spans = append(spans, span{p: p, last: lastAddr(p), owner: owner, side: side})
		}
	}
	return spans
}

// sweep calls report(a, b) once for every pair of overlapping spans, a
// being the one that contains the other. When cross is set only pairs from
// different sides (0 and 1) are reported, otherwise every pair is.
//
// CIDR blocks either nest or are disjoint, so after sorting by first address
// (larger block first) the blocks still open at a block's first address form
// a chain that fits on a stack, and every block left on the stack once the
// ended ones are popped contains the new one. The cost is O(n log n) plus
// the number of pairs reported.
func sweep(spans []span, cross bool, report func(a, b span)) {
	slices.SortFunc(spans, func(a, b span) int { return comparePrefix(a.p, b.p) })
	var open [2][]span
	for _, s := range spans {
		own, other := s.side, 1-s.side
		if !cross {
			own, other = 0, 0
		}
		open[other] = popEnded(open[other], s.p.Addr())
		for _, o := range open[other] {
			report(o, s)
		}
		open[own] = append(popEnded(open[own], s.p.Addr()), s)
	}
}

// popEnded drops the spans that end before start from the top of a stack.
func popEnded(stack []span, start netip.Addr) []span {
	for len(stack) > 0 && stack[len(stack)-1].last.Less(start) {
		stack = stack[:len(stack)-1]
	}
	return stack
}

// lastAddr returns the last address of a masked prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	if p.Addr().Is4() {
		b := p.Addr().As4()
		setHostBits(b[:], p.Bits())
		return netip.AddrFrom4(b)
	}
	b := p.Addr().As16()
	setHostBits(b[:], p.Bits())
	return netip.AddrFrom16(b)
}

// setHostBits sets every bit after the first bits bits of b.
func setHostBits(b []byte, bits int) {
	for i := range b {
		b[i] |= 0xff >> min(max(bits-8*i, 0), 8)
	}
}
