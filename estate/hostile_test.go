package estate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deepDepth is far beyond encoding/json's nesting limit (10000).
const deepDepth = 100_000

const deepVNetID = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v"

// deepArray and deepObject nest 1 in depth levels of [ or {"a":.
func deepArray(depth int) string {
	return strings.Repeat("[", depth) + "1" + strings.Repeat("]", depth)
}

func deepObject(depth int) string {
	return strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
}

// vnetWith returns a VNet resource in REST shape with extra as the value
// of property field.
func vnetWith(field, extra string) string {
	return `{"id":"` + deepVNetID + `","type":"Microsoft.Network/virtualNetworks","properties":{"` + field + `":` + extra + `}}`
}

// sharedResponseBodies returns the 200 response body of every ARM example
// in shared/data beside the repository (none when it is absent).
func sharedResponseBodies(tb testing.TB) [][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(sharedExamples, "*.json"))
	require.NoError(tb, err)
	var out [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(tb, err)
		var ex struct {
			Responses map[string]struct {
				Body json.RawMessage `json:"body"`
			} `json:"responses"`
		}
		if json.Unmarshal(data, &ex) == nil && len(ex.Responses["200"].Body) > 0 {
			out = append(out, ex.Responses["200"].Body)
		}
	}
	return out
}

// Estate files nested deeper than encoding/json allows are an error on
// every path (Decode, the fast path, Load), naming the file; never a
// stack overflow. The fast path's splitter counts brackets without
// recursion, so it hands such input to the decoder, which refuses it.
func TestDecodeDeeplyNested(t *testing.T) {
	tests := []struct{ name, data string }{
		{"array", deepArray(deepDepth)},
		{"object", deepObject(deepDepth)},
		{"unclosed", strings.Repeat("[", deepDepth)},
		{"in an element", "[" + vnetWith("x", deepArray(deepDepth)) + "]"},
		{"in a modelled field", "[" + vnetWith("subnets", deepArray(deepDepth)) + "]"},
		{"under value", `{"value":[` + vnetWith("x", deepObject(deepDepth)) + `]}`},
		{"under data", `{"data":` + deepArray(deepDepth) + `}`},
		{"single resource", vnetWith("addressSpace", deepObject(deepDepth))},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("deep.json", []byte(tt.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "deep.json")
			assert.Less(t, len(err.Error()), 1024, "the error does not echo the input")

			_, err = decodeFast([]byte(tt.data))
			assert.Error(t, err)

			path := filepath.Join(dir, "deep.json")
			require.NoError(t, os.WriteFile(path, []byte(tt.data), 0o600))
			_, err = Load(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "deep.json")
		})
	}
}

// Nesting within the limit in a field the model does not read is no
// reason to refuse a file: both paths give the same VNet.
func TestDecodeNestedWithinLimit(t *testing.T) {
	data := []byte("[" + vnetWith("x", deepArray(9_000)) + "]")
	want, err := sdkEstate("nested.json", data)
	require.NoError(t, err)
	got, err := decodeFast(data)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Len(t, got.VNets, 1)
}
