package baseline

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// budgetFor bounds how many nodes Parse visits in a document, so that
// nested YAML aliases cannot make it do exponential work: aliases may at
// most quadruple the document, plus some slack for small files.
func budgetFor(root *yaml.Node) int { return 4*countNodes(root) + 1<<16 }

// countNodes counts the nodes of a tree without following aliases.
func countNodes(n *yaml.Node) int {
	c := 1
	for _, k := range n.Content {
		c += countNodes(k)
	}
	return c
}

// YAML tags of the scalars Parse accepts.
const (
	tagStr       = "!!str"
	tagBool      = "!!bool"
	tagInt       = "!!int"
	tagTimestamp = "!!timestamp"
)

// errTooComplex stops a walk whose aliases expand beyond its budget.
var errTooComplex = errors.New("document expands to too many nodes (nested aliases?)")

// decoder walks a YAML node tree and collects located errors.
type decoder struct {
	file   string
	errs   []error
	budget int
}

// fields maps the keys a mapping may hold to the functions that decode
// their values; each gets the value's field path.
type fields map[string]func(path string, v *yaml.Node)

// fail records a problem at n.
func (d *decoder) fail(n *yaml.Node, path string, err error) { d.failLine(n.Line, path, err) }

// failLine records a problem at a line.
func (d *decoder) failLine(line int, path string, err error) {
	if len(d.errs) < maxErrors {
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Err: err})
	}
}

// failf records a problem at n with a formatted message.
func (d *decoder) failf(n *yaml.Node, path, format string, args ...any) {
	d.fail(n, path, fmt.Errorf(format, args...))
}

// stop reports whether the walk should end: too many errors or nodes.
func (d *decoder) stop() bool { return len(d.errs) >= maxErrors || d.budget <= 0 }

// err returns the collected errors, nil if none.
func (d *decoder) err() error {
	if len(d.errs) == 1 {
		return d.errs[0]
	}
	return errors.Join(d.errs...)
}

// deref follows aliases and charges the node to the budget.
func (d *decoder) deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	d.budget--
	if d.budget == 0 {
		d.fail(n, "", errTooComplex)
	}
	return n
}

// mapping decodes a mapping whose keys must be among f. It returns the
// keys it held, or nil if n was not a mapping.
func (d *decoder) mapping(path string, n *yaml.Node, f fields) map[string]bool {
	return d.mappingOf(path, n, "key", f)
}

// mappingOf is mapping with what naming the keys in errors ("rule ID").
func (d *decoder) mappingOf(path string, n *yaml.Node, what string, f fields) map[string]bool {
	n = d.deref(n)
	if n.Kind != yaml.MappingNode {
		d.failf(n, path, "want a mapping, got %s", kindName(n))
		return nil
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content) && !d.stop(); i += 2 {
		key, ok := d.key(path, n.Content[i], seen)
		if !ok {
			continue
		}
		fn := f[key]
		if fn == nil {
			d.failf(n.Content[i], join(path, key), "unknown %s; want one of %s", what, keyList(f))
			continue
		}
		fn(join(path, key), n.Content[i+1])
	}
	return seen
}

// require reports each of keys that a mapping (seen, at n) lacks.
func (d *decoder) require(n *yaml.Node, path string, seen map[string]bool, keys ...string) {
	if seen == nil {
		return
	}
	for _, k := range keys {
		if !seen[k] {
			d.failf(n, join(path, k), "missing (required)")
		}
	}
}

// key returns a mapping key, checking that it is a new string.
func (d *decoder) key(path string, k *yaml.Node, seen map[string]bool) (string, bool) {
	k = d.deref(k)
	if k.Kind != yaml.ScalarNode || k.ShortTag() != tagStr {
		d.failf(k, path, "key %s: want a string key", describe(k))
		return "", false
	}
	if seen[k.Value] {
		d.failf(k, join(path, k.Value), "duplicate key")
		return "", false
	}
	seen[k.Value] = true
	return k.Value, true
}

// seq calls each for every item of a sequence. It reports whether n was a
// sequence.
func (d *decoder) seq(path string, n *yaml.Node, each func(path string, i int, item *yaml.Node)) bool {
	n = d.deref(n)
	if n.Kind != yaml.SequenceNode {
		d.failf(n, path, "want a list, got %s", kindName(n))
		return false
	}
	for i, item := range n.Content {
		if d.stop() {
			break
		}
		each(fmt.Sprintf("%s[%d]", path, i), i, item)
	}
	return true
}

// scalar returns n (dereferenced) if it is a scalar with one of the tags.
func (d *decoder) scalar(path string, n *yaml.Node, want string, tags ...string) (*yaml.Node, bool) {
	n = d.deref(n)
	if n.Kind == yaml.ScalarNode {
		for _, t := range tags {
			if n.ShortTag() == t {
				return n, true
			}
		}
	}
	d.failf(n, path, "want %s, got %s", want, describe(n))
	return n, false
}

// str decodes a non-empty string.
func (d *decoder) str(path string, n *yaml.Node) (string, *yaml.Node, bool) {
	s, ok := d.scalar(path, n, "a string", tagStr)
	if ok && s.Value == "" {
		d.failf(s, path, "must not be empty")
		return "", s, false
	}
	return s.Value, s, ok
}

// boolean decodes true or false.
func (d *decoder) boolean(path string, n *yaml.Node) (bool, bool) {
	s, ok := d.scalar(path, n, "true or false", tagBool)
	var b bool
	if ok {
		if err := s.Decode(&b); err != nil {
			d.fail(s, path, err)
			return false, false
		}
	}
	return b, ok
}

// boolPtr decodes a boolean into a new *bool; nil on error.
func (d *decoder) boolPtr(path string, n *yaml.Node) *bool {
	if b, ok := d.boolean(path, n); ok {
		return &b
	}
	return nil
}

// integer decodes an integer in [lo, hi].
func (d *decoder) integer(path string, n *yaml.Node, lo, hi int64) (int64, bool) {
	s, ok := d.scalar(path, n, "an integer", tagInt)
	if !ok {
		return 0, false
	}
	var v int64
	if err := s.Decode(&v); err != nil || v < lo || v > hi {
		d.failf(s, path, "want an integer from %d to %d, got %s", lo, hi, s.Value)
		return 0, false
	}
	return v, true
}

// enum decodes a string that must be one of allowed (exact spelling).
func (d *decoder) enum(path string, n *yaml.Node, allowed []string) (string, bool) {
	s, node, ok := d.str(path, n)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	hint := ""
	if c, found := canonical(s, allowed); found {
		hint = fmt.Sprintf(" (did you mean %q?)", c)
	}
	d.failf(node, path, "unknown value %q%s; want one of %s", s, hint, strings.Join(allowed, ", "))
	return "", false
}

// join appends a key to a field path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyList lists a mapping's allowed keys for an error message.
func keyList(f fields) string { return strings.Join(sortedKeys(f), ", ") }

// sortedKeys returns the keys of f in order.
func sortedKeys(f fields) []string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// kindName names a node's kind for an error message.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return describe(n)
	}
	return "nothing"
}

// describe names a scalar for an error message, e.g. `int 12`.
func describe(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return kindName(n)
	}
	t := strings.TrimPrefix(n.ShortTag(), "!!")
	if t == "null" {
		return "null"
	}
	v := n.Value
	if r := []rune(v); len(r) > 40 {
		v = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%s %q", t, v)
}
