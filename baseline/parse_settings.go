package baseline

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// defaults decodes the defaults block.
func (d *decoder) defaults(path string, n *yaml.Node, out *Defaults) {
	d.mapping(path, n, fields{
		"peering": func(p string, v *yaml.Node) { d.mapping(p, v, d.flagFields(&out.Peering, fields{})) },
	})
}

// flagFields adds the four peering flags to f, decoding into flags.
func (d *decoder) flagFields(flags *PeeringFlags, f fields) fields {
	f["allowVirtualNetworkAccess"] = func(p string, v *yaml.Node) { flags.AllowVirtualNetworkAccess = d.boolPtr(p, v) }
	f["allowForwardedTraffic"] = func(p string, v *yaml.Node) { flags.AllowForwardedTraffic = d.boolPtr(p, v) }
	f["allowGatewayTransit"] = func(p string, v *yaml.Node) { flags.AllowGatewayTransit = d.boolPtr(p, v) }
	f["useRemoteGateways"] = func(p string, v *yaml.Node) { flags.UseRemoteGateways = d.boolPtr(p, v) }
	return f
}

// rules decodes the per-rule settings, keyed by rule ID.
func (d *decoder) rules(path string, n *yaml.Node) map[string]RuleSetting {
	var out map[string]RuleSetting
	f := fields{}
	for _, id := range RuleIDs {
		f[id] = func(p string, v *yaml.Node) {
			if out == nil {
				out = map[string]RuleSetting{}
			}
			out[id] = d.ruleSetting(p, v)
		}
	}
	d.mappingOf(path, n, "rule ID", f)
	return out
}

// ruleSetting decodes one rule's settings.
func (d *decoder) ruleSetting(path string, n *yaml.Node) RuleSetting {
	n = d.deref(n)
	s := RuleSetting{Line: n.Line}
	d.mapping(path, n, fields{
		"enabled":     func(p string, v *yaml.Node) { s.Enabled = d.boolPtr(p, v) },
		"severity":    func(p string, v *yaml.Node) { s.Severity, _ = d.enum(p, v, severities) },
		"mode":        func(p string, v *yaml.Node) { s.Mode, _ = d.enum(p, v, modes) },
		"allowDelete": func(p string, v *yaml.Node) { s.AllowDelete, _ = d.boolean(p, v) },
	})
	return s
}

// exemptions decodes the exemption list.
func (d *decoder) exemptions(path string, n *yaml.Node) []Exemption {
	var out []Exemption
	d.seq(path, n, func(p string, _ int, item *yaml.Node) { out = append(out, d.exemption(p, item)) })
	return out
}

// exemption decodes one exemption; rule, resource, reason and owner are required.
func (d *decoder) exemption(path string, n *yaml.Node) Exemption {
	n = d.deref(n)
	x := Exemption{Line: n.Line}
	seen := d.mapping(path, n, fields{
		"rule":     func(p string, v *yaml.Node) { x.Rule = d.ruleRef(p, v) },
		"resource": func(p string, v *yaml.Node) { x.Resource = d.pattern(p, v) },
		"reason":   func(p string, v *yaml.Node) { x.Reason, _, _ = d.str(p, v) },
		"owner":    func(p string, v *yaml.Node) { x.Owner, _, _ = d.str(p, v) },
		"expires":  func(p string, v *yaml.Node) { x.Expires = d.expiry(p, v) },
	})
	d.require(n, path, seen, "rule", "resource", "reason", "owner")
	return x
}

// ruleRef decodes an exemption's rule: a rule ID or "*".
func (d *decoder) ruleRef(path string, n *yaml.Node) string {
	s, node, ok := d.str(path, n)
	if !ok {
		return ""
	}
	if s == AnyRule {
		return s
	}
	for _, id := range RuleIDs {
		if s == id {
			return s
		}
	}
	hint := ""
	if c, found := canonical(s, RuleIDs); found {
		hint = fmt.Sprintf(" (did you mean %q?)", c)
	}
	d.failf(node, path, "unknown rule ID %q%s; want %q or one of %s", s, hint, AnyRule, strings.Join(RuleIDs, ", "))
	return ""
}

// pattern decodes an exemption's resource pattern: a resource ID that may
// contain '*', starting with '/' or '*'.
func (d *decoder) pattern(path string, n *yaml.Node) string {
	s, node, ok := d.str(path, n)
	if ok && s[0] != '/' && s[0] != '*' {
		d.failf(node, path, "bad resource pattern %q: want a resource ID starting with '/', '*' as a wildcard", s)
		return ""
	}
	return s
}

// expiry decodes a date or RFC 3339 time.
func (d *decoder) expiry(path string, n *yaml.Node) (t time.Time) {
	s, ok := d.scalar(path, n, "a date (YYYY-MM-DD) or RFC 3339 time", tagStr, tagTimestamp)
	if !ok {
		return t
	}
	t, err := parseExpiry(s.Value)
	if err != nil {
		d.fail(s, path, err)
	}
	return t
}

// reserved stores a reserved top-level block (routes, receivers) in dst,
// a mapping node, with aliases resolved and comments dropped.
func (d *decoder) reserved(dst *yaml.Node, path string, v *yaml.Node) {
	if dst.Kind == 0 {
		*dst = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	key := &yaml.Node{Kind: yaml.ScalarNode, Tag: tagStr, Value: path}
	d.noDuplicateKeys(path, v)
	dst.Content = append(dst.Content, key, d.copyNode(v))
}

// noDuplicateKeys reports every mapping key repeated within n, and every
// key that is not a plain value, at any depth, as the rest of Parse does; the blocks kept raw for other packages
// would otherwise keep the first or the last value silently.
func (d *decoder) noDuplicateKeys(path string, n *yaml.Node) {
	n = d.deref(n)
	seen := map[string]bool{}
	for i, c := range n.Content {
		if d.stop() {
			return
		}
		if n.Kind != yaml.MappingNode || i%2 == 1 {
			d.noDuplicateKeys(path, c)
			continue
		}
		k := d.deref(c)
		if k.Kind != yaml.ScalarNode {
			d.failf(k, path, "a key must be a plain value, not a list or a mapping")
			continue
		}
		if seen[k.Value] {
			d.failf(k, join(path, k.Value), "duplicate key")
		}
		seen[k.Value] = true
	}
}

// copyNode deep-copies n, replacing aliases by copies of their targets.
func (d *decoder) copyNode(n *yaml.Node) *yaml.Node {
	n = d.deref(n)
	c := *n
	c.Anchor, c.Alias = "", nil
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Content = nil
	for _, k := range n.Content {
		if d.stop() {
			break
		}
		c.Content = append(c.Content, d.copyNode(k))
	}
	return &c
}
