package baseline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ReadFile reads and parses a baseline file.
func ReadFile(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	return Parse(path, data)
}

// Parse parses and validates a baseline document; name (usually the file
// path) is used in errors and stored as Path. Every problem found, up to a
// limit, is reported as an *Error, joined with errors.Join when there are
// several. Parse fills every Line and calls Index.
func Parse(name string, data []byte) (*Baseline, error) {
	root, err := decodeDocument(name, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: name, budget: aliasBudget}
	b := d.document(root)
	if len(d.errs) > 0 {
		return nil, d.err()
	}
	b.Path = name
	b.Index()
	return b, nil
}

// decodeDocument parses YAML text into the root node of its only document.
func decodeDocument(name string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Err: errors.New("empty document: want a mapping starting with version: 1")}
		}
		return nil, &Error{File: name, Err: fmt.Errorf("parsing YAML: %w", err)}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, &Error{File: name, Err: fmt.Errorf("parsing YAML: %w", err)}
	default:
		return nil, &Error{File: name, Line: next.Line, Err: errors.New("more than one YAML document")}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: name, Err: errors.New("empty document: want a mapping starting with version: 1")}
	}
	return doc.Content[0], nil
}

// document decodes the top-level mapping.
func (d *decoder) document(n *yaml.Node) *Baseline {
	b := &Baseline{Version: Version}
	root := d.deref(n)
	if root.Kind != yaml.MappingNode {
		d.failf(root, "", "want a mapping starting with version: 1, got %s", kindName(root))
		return b
	}
	if !d.version(root) {
		return b
	}
	d.mapping("", root, fields{
		"version":              func(string, *yaml.Node) {},
		"defaults":             func(p string, v *yaml.Node) { d.defaults(p, v, &b.Defaults) },
		"rules":                func(p string, v *yaml.Node) { b.Rules = d.rules(p, v) },
		"exemptions":           func(p string, v *yaml.Node) { b.Exemptions = d.exemptions(p, v) },
		"vnets":                func(p string, v *yaml.Node) { b.VNets = d.vnets(p, v) },
		"localNetworkGateways": func(p string, v *yaml.Node) { b.LocalGateways = d.localGateways(p, v) },
		"routes":               func(p string, v *yaml.Node) { d.reserved(&b.Routing, p, v) },
		"receivers":            func(p string, v *yaml.Node) { d.reserved(&b.Routing, p, v) },
	})
	return b
}

// version checks the version key first, so that a file of another
// version is reported as such rather than as a list of unknown keys.
func (d *decoder) version(root *yaml.Node) bool {
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := d.deref(root.Content[i])
		if k.Kind != yaml.ScalarNode || k.ShortTag() != tagStr || k.Value != "version" {
			continue
		}
		v, ok := d.integer("version", root.Content[i+1], math.MinInt64, math.MaxInt64)
		if ok && v != Version {
			d.fail(root.Content[i+1], "version", fmt.Errorf("%w %d: this build reads version %d", ErrUnsupportedVersion, v, Version))
			return false
		}
		return ok
	}
	d.failf(root, "version", "missing (required): want version: %d", Version)
	return false
}

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
	dst.Content = append(dst.Content, key, d.copyNode(v))
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
