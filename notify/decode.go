package notify

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vnetdrift/vnetdrift/baseline"
)

// decoder walks the routing blocks (aliases already resolved by
// baseline.Parse) and collects located errors.
type decoder struct {
	file string
	errs []error
}

// fields maps the keys a mapping may hold to their decoders.
type fields map[string]func(path string, v *yaml.Node)

func (d *decoder) failLine(line int, path string, err error) {
	d.errs = append(d.errs, &baseline.Error{File: d.file, Line: line, Path: path, Err: err})
}

func (d *decoder) fail(n *yaml.Node, path string, err error) { d.failLine(n.Line, path, err) }

func (d *decoder) failf(n *yaml.Node, path, format string, args ...any) {
	d.fail(n, path, fmt.Errorf(format, args...))
}

// mapping decodes a mapping whose keys must be among f.
func (d *decoder) mapping(path string, n *yaml.Node, f fields) {
	d.each(path, n, func(key, p string, k, v *yaml.Node) {
		fn, ok := f[key]
		if !ok {
			keys := make([]string, 0, len(f))
			for name := range f {
				keys = append(keys, name)
			}
			slices.Sort(keys)
			d.failf(k, p, "unknown key; want one of %s", strings.Join(keys, ", "))
			return
		}
		fn(p, v)
	})
}

// each calls fn for every entry of a mapping with string keys.
func (d *decoder) each(path string, n *yaml.Node, fn func(key, path string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.failf(n, path, "want a mapping, got %s", kindName(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			d.failf(k, path, "want string keys, got %s", kindName(k))
			continue
		}
		fn(k.Value, join(path, k.Value), k, v)
	}
}

// sequence calls fn for every element of a sequence.
func (d *decoder) sequence(path string, n *yaml.Node, fn func(path string, v *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		d.failf(n, path, "want a list, got %s", kindName(n))
		return
	}
	for i, v := range n.Content {
		fn(fmt.Sprintf("%s[%d]", path, i), v)
	}
}

func (d *decoder) scalar(path string, n *yaml.Node, tag, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != tag {
		d.failf(n, path, "want %s, got %s", want, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) str(path string, n *yaml.Node) string {
	s, _ := d.scalar(path, n, "!!str", "a string")
	return s
}

func (d *decoder) boolean(path string, n *yaml.Node) bool {
	s, _ := d.scalar(path, n, "!!bool", "true or false")
	return s == "true"
}

// duration decodes a Go duration ("24h", "90m"); "0s" or 0 is zero.
func (d *decoder) duration(path string, n *yaml.Node) time.Duration {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" && n.Value == "0" {
		return 0
	}
	s, ok := d.scalar(path, n, "!!str", `a duration such as "24h"`)
	if !ok {
		return 0
	}
	v, err := time.ParseDuration(s)
	if err != nil || !durationText.MatchString(s) {
		d.failf(n, path, `bad duration %q: want a duration such as "24h" or "90m"`, s)
		return 0
	}
	return v
}

// names decodes a receiver name or a non-empty list of them.
func (d *decoder) names(path string, n *yaml.Node) []string {
	if n.Kind == yaml.ScalarNode {
		return d.name(path, n, nil)
	}
	out := []string{}
	d.sequence(path, n, func(p string, v *yaml.Node) { out = d.name(p, v, out) })
	if len(n.Content) == 0 && n.Kind == yaml.SequenceNode {
		d.failf(n, path, "want at least one receiver")
	}
	return out
}

// name appends a receiver name to list.
func (d *decoder) name(path string, n *yaml.Node, list []string) []string {
	s, ok := d.scalar(path, n, "!!str", "a receiver name")
	if ok && !receiverName.MatchString(s) {
		d.failf(n, path, "bad receiver name %q: want letters, digits, '.', '_' or '-'", s)
		return list
	}
	if ok {
		list = append(list, s)
	}
	return list
}

// pattern decodes a match pattern; resource patterns start with '/' or '*'
// (an empty one is refused, as the schema does: leave the key out instead).
func (d *decoder) pattern(path string, n *yaml.Node, resource bool) string {
	s := d.str(path, n)
	if resource && (s == "" || (s[0] != '/' && s[0] != '*')) {
		d.failf(n, path, "bad pattern %q: want a resource ID pattern starting with '/' or '*'", s)
	}
	return s
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%s %q", strings.TrimPrefix(n.ShortTag(), "!!"), n.Value)
	}
	return "an alias"
}
