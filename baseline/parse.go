package baseline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"

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
	d := &decoder{file: name, budget: budgetFor(root)}
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
		return nil, syntaxError(name, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(name, err)
	default:
		return nil, &Error{File: name, Line: next.Line, Err: errors.New("more than one YAML document")}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: name, Err: errors.New("empty document: want a mapping starting with version: 1")}
	}
	return doc.Content[0], nil
}

// yamlLine finds the line number in a yaml.v3 syntax error.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError locates a YAML syntax error by its line when yaml.v3 names one.
func syntaxError(name string, err error) error {
	e := &Error{File: name, Err: fmt.Errorf("parsing YAML: %w", err)}
	if m := yamlLine.FindStringSubmatchIndex(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(err.Error()[m[2]:m[3]])
		e.Err = fmt.Errorf("parsing YAML: %w", lineless{err.Error()[m[1]:], err})
	}
	return e
}

// lineless is a yaml.v3 error whose "yaml: line N: " prefix has moved
// into Error.Line.
type lineless struct {
	msg string
	err error
}

func (e lineless) Error() string { return e.msg }
func (e lineless) Unwrap() error { return e.err }

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
