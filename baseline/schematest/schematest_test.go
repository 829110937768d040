package schematest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const schema = `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
"properties":{"version":{"const":1},"when":{"type":"string"}},"required":["version"],"additionalProperties":false}`

func TestValidate(t *testing.T) {
	v, err := New([]byte(schema), "https://example.test/s.json")
	require.NoError(t, err)
	tests := []struct {
		name string
		doc  string
		drop []string
		ok   bool
	}{
		{"valid", "version: 1\n", nil, true},
		{"a YAML timestamp is a string to a schema tool", "version: 1\nwhen: 2026-11-24T10:00:00Z\n", nil, true},
		{"unknown key", "version: 1\nextra: x\n", nil, false},
		{"unknown key dropped", "version: 1\nextra: x\n", []string{"extra"}, true},
		{"wrong value", "version: 2\n", nil, false},
		{"not YAML a tool can read", "version: 1\n{[]}: x\n", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Validate([]byte(tt.doc), tt.drop...)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestNewRejectsABadSchema(t *testing.T) {
	_, err := New([]byte(`{"type": 5}`), "https://example.test/bad.json")
	assert.ErrorContains(t, err, "https://example.test/bad.json")
}
