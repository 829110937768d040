// Package schematest checks YAML documents against the baseline's JSON
// Schema the way a YAML language server would: decode the YAML, turn it
// into JSON, validate. Tests of the packages that parse baselines use it to
// prove that what they accept, the schema accepts. It takes the schema as
// bytes, so that the baseline package's own tests can use it too.
package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// Validator validates documents against one compiled schema.
type Validator struct{ schema *jsonschema.Schema }

// New compiles the JSON Schema document schema, known by url.
func New(schema []byte, url string) (*Validator, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, fmt.Errorf("reading schema %s: %w", url, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("adding schema %s: %w", url, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compiling schema %s: %w", url, err)
	}
	return &Validator{schema: s}, nil
}

// Validate checks YAML text without the top-level keys in drop. A document
// that is not even YAML a schema tool could read counts as rejected.
func (v *Validator) Validate(data []byte, drop ...string) error {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("decoding YAML: %w", err)
	}
	if m, ok := doc.(map[string]any); ok {
		for _, k := range drop {
			delete(m, k)
		}
	}
	j, err := json.Marshal(jsonable(doc))
	if err != nil {
		return fmt.Errorf("converting to JSON: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return fmt.Errorf("reading the JSON form: %w", err)
	}
	return v.schema.Validate(inst)
}

// jsonable turns a decoded YAML value into one encoding/json can write,
// as a YAML language server would see it.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
	}
	return v
}
