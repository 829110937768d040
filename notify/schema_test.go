package notify

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/vnetdrift/vnetdrift/baseline"
)

// schemaCannotCheck lists the routing errors baseline/schema.json cannot
// see, because they relate one part of the document to another.
var schemaCannotCheck = map[string]bool{
	"unknown receiver":         true,
	"unknown default receiver": true,
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(baseline.Schema))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(baseline.SchemaURL, doc))
	s, err := c.Compile(baseline.SchemaURL)
	require.NoError(t, err)
	return s
}

func schemaValidate(t *testing.T, s *jsonschema.Schema, src string) error {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal([]byte("version: 1\n"+src), &v))
	j, err := json.Marshal(v)
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	require.NoError(t, err)
	return s.Validate(inst)
}

func TestSchemaAgreesWithParseRouting(t *testing.T) {
	s := compileSchema(t)
	for _, src := range []string{fullRouting, "", "routes: {repeatInterval: 0}\n", "routes: {repeatInterval: 1h30m, default: ops}\nreceivers: {ops: {}}\n"} {
		_, err := parseRouting(t, src)
		require.NoError(t, err, src)
		assert.NoError(t, schemaValidate(t, s, src), src)
	}
	for _, tt := range routingErrors {
		t.Run(tt.name, func(t *testing.T) {
			err := schemaValidate(t, s, tt.src)
			if schemaCannotCheck[tt.name] {
				assert.NoError(t, err, "listed as not checkable but the schema rejects it")
				return
			}
			assert.Error(t, err, "ParseRouting rejects it: %s", tt.want)
		})
	}
}

func TestSchemaPatternsMatchParseRouting(t *testing.T) {
	var s struct {
		Properties struct {
			Routes struct {
				Properties struct {
					RepeatInterval struct {
						AnyOf []struct{ Pattern string }
					}
				}
			}
		}
		Defs map[string]struct {
			Pattern    string
			Properties map[string]struct {
				Enum  []string
				Items struct{ Pattern string }
			}
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(baseline.Schema, &s))
	assert.Equal(t, receiverName.String(), s.Defs["receiverName"].Pattern)
	assert.Equal(t, settingName.String(), s.Defs["settingName"].Pattern)
	assert.Equal(t, durationText.String(), s.Properties.Routes.Properties.RepeatInterval.AnyOf[0].Pattern)
	assert.Equal(t, emailAddress.String(), s.Defs["emailChannel"].Properties["to"].Items.Pattern)
	assert.ElementsMatch(t, []string{"low", "medium", "high"}, s.Defs["match"].Properties["severity"].Enum)
	assert.Len(t, severities, 3)
}
