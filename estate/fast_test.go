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

const sharedExamples = "../../shared/data/arm-examples"

// sdkEstate is the reference the fast path must match: Decode and Build,
// through the SDK model types.
func sdkEstate(name string, data []byte) (*Estate, error) {
	res, err := Decode(name, data)
	if err != nil {
		return nil, err
	}
	return Build(res)
}

// fixture is one estate input of the equivalence tests.
type fixture struct {
	name string
	data []byte
	// rest says every element is in REST shape, so the fast path must
	// decode each one with the mirror types, never through the SDK.
	rest bool
}

// fixtures returns the example estate in every shape, the az CLI sample,
// and every shared ARM example: the 200 response body of each example
// file, and estate-from-examples.json.
func fixtures(t *testing.T) []fixture {
	t.Helper()
	var out []fixture
	for _, shape := range []string{"array", "value", "graph", "azcli"} {
		out = append(out, fixture{name: "example estate/" + shape, data: reshape(t, shape), rest: shape != "azcli"})
	}
	cli, err := os.ReadFile("testdata/az-cli-vnet-list.json")
	require.NoError(t, err)
	out = append(out, fixture{name: "az-cli-vnet-list.json", data: cli})
	files, err := filepath.Glob(filepath.Join(sharedExamples, "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		if filepath.Base(f) == "estate-from-examples.json" {
			out = append(out, fixture{name: filepath.Base(f), data: data, rest: true})
			continue
		}
		var ex struct {
			Responses map[string]struct {
				Body json.RawMessage `json:"body"`
			} `json:"responses"`
		}
		require.NoError(t, json.Unmarshal(data, &ex), f)
		if body := ex.Responses["200"].Body; len(body) > 0 {
			out = append(out, fixture{name: filepath.Base(f), data: body, rest: true})
		}
	}
	return out
}

func TestFastPathMatchesSDK(t *testing.T) {
	fx := fixtures(t)
	if len(fx) < 30 {
		t.Logf("only %d fixtures: %s not beside the repository?", len(fx), sharedExamples)
	}
	for _, f := range fx {
		t.Run(f.name, func(t *testing.T) {
			want, wantErr := sdkEstate(f.name, f.data)
			got, err := decodeFast(f.data)
			if wantErr != nil {
				assert.Error(t, err, "the SDK path fails with %v", wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

// TestMirrorDecodesRESTElements checks that real ARM resources in REST
// shape never need the SDK types on the fast path, and that each converts
// as it does through them.
func TestMirrorDecodesRESTElements(t *testing.T) {
	for _, f := range fixtures(t) {
		if !f.rest {
			continue
		}
		elems, err := splitElements(f.data)
		if err != nil {
			continue // not an estate: TestFastPathMatchesSDK covers it
		}
		for i, raw := range elems {
			var h header
			if json.Unmarshal(raw, &h) != nil || h.Properties == nil || string(h.Properties) == "null" {
				continue // not a resource in REST shape
			}
			var r resource
			require.NoError(t, json.Unmarshal(raw, &r), "%s: element %d", f.name, i)
			require.NotNil(t, r.Properties, "%s: element %d", f.name, i)
			got, err := convertElement(raw)
			require.NoError(t, err, "%s: element %d", f.name, i)
			want, err := convertViaSDK(raw)
			require.NoError(t, err, "%s: element %d", f.name, i)
			assert.Equal(t, want, got, "%s: element %d", f.name, i)
		}
	}
}

func TestQuickSplitAgreesWithSplitElements(t *testing.T) {
	cases := []string{
		`[]`, `[ ]`, `[{}]`, `[{"id":"a"} , {"id":"b"}]`, `[{"s":"a\"}]"}]`, `[{"s":"a\\"}]`,
		`{"value":[{"id":"a"}]}`, `{"Value":[{"id":"a"}],"nextLink":null}`, `{"value":null,"data":[{"id":"a"}]}`,
		`{"data":[{"id":"a"}],"count":1,"totalRecords":1,"resultTruncated":"false","facets":[]}`,
		`{"value":[{"id":"a"}],"value":[{"id":"b"}]}`, `{"value":[{"id":"a"}],"value":null,"data":[{"id":"c"}]}`,
		`{"value":[],"data":{"columns":[]}}`, `{ "value" : [ {"id":"a"} ] }`,
	}
	for _, in := range cases {
		got, ok := quickSplit([]byte(in))
		require.True(t, ok, in)
		want, err := splitElements([]byte(in))
		require.NoError(t, err, in)
		require.Len(t, got, len(want), in)
		for i := range want {
			assert.JSONEq(t, string(want[i]), string(got[i]), in)
		}
	}
	refused := []string{
		``, `7`, `[7]`, `[{"id":"a"},]`, `[{"id":"a"}}`, `[{"id":"a"}] x`, `[{"id":"a"`, `[{"s":"a}]`,
		`{"id":"a","value":[]}`, `{"ID":null,"value":[]}`, `{"v\u0061lue":[]}`, `{"value":7}`, `{"value":[],"value":7}`,
		`{"data":{"rows":[]}}`, `{"value":[],"nextLink":tru}`, `{"value":[],"x":[1,]}`, `{"value":[]}}`, `{}`,
		`{"value":[] "data":[]}`, `{"foo":1}`,
	}
	for _, in := range refused {
		_, ok := quickSplit([]byte(in))
		assert.False(t, ok, in)
	}
}

// TestLoadErrorsReadAsBefore checks that Load words errors exactly as the
// SDK path does, including which error wins across files.
func TestLoadErrorsReadAsBefore(t *testing.T) {
	vnet := func(prefix string) string {
		return `{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"Microsoft.Network/virtualNetworks","properties":{"addressSpace":{"addressPrefixes":` + prefix + `}}}`
	}
	cases := []struct {
		name  string
		files []string
		want  string
	}{
		{"empty", []string{``}, "empty input"},
		{"not json", []string{`{"value": [`}, "invalid JSON"},
		{"bad element", []string{`[{"id":"a","type":"Microsoft.Foo/bar"}, 7]`}, "invalid JSON"},
		{"no id", []string{`[{"type":"Microsoft.Network/virtualNetworks","properties":{}}]`}, `element 0: missing "id"`},
		{"bad field", []string{`[` + vnet(`"10.0.0.0/8"`) + `]`}, `element 0: Microsoft.Network/virtualNetworks "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v": decoding`},
		{"bad CIDR", []string{`[` + vnet(`["10.0.0.0/33"]`) + `]`}, `address space: bad CIDR "10.0.0.0/33"`},
		{"decode error in a later file wins over a bad CIDR", []string{`[` + vnet(`["10.0.0.0/33"]`) + `]`, `[7]`}, "f1.json: element 0: invalid JSON"},
		{"bad peering space", []string{`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/virtualNetworkPeerings/p","properties":{"remoteAddressSpace":{"addressPrefixes":["x"]}}}]`}, `remoteAddressSpace: bad CIDR "x"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var paths []string
			for i, body := range c.files {
				p := filepath.Join(dir, "f"+string(rune('0'+i))+".json")
				require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
				paths = append(paths, p)
			}
			_, err := Load(paths...)
			require.Error(t, err)
			_, want := loadSDK(paths)
			require.Error(t, want)
			assert.Equal(t, want.Error(), err.Error())
			assert.Contains(t, err.Error(), c.want)
			assert.True(t, strings.HasPrefix(err.Error(), dir) || strings.Contains(err.Error(), "bad CIDR"), "names the file: %v", err)
		})
	}
}

func TestLoadFallsBackToSDKForElementsTheMirrorRefuses(t *testing.T) {
	// gatewayType belongs to gateways; a VNet's SDK model ignores it, the
	// mirror's union of properties does not.
	in := `[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"Microsoft.Network/virtualNetworks","properties":{"gatewayType":7,"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}}]`
	var r resource
	require.Error(t, json.Unmarshal([]byte(in[1:len(in)-1]), &r))
	want, err := sdkEstate("in.json", []byte(in))
	require.NoError(t, err)
	got, err := decodeFast([]byte(in))
	require.NoError(t, err)
	assert.Equal(t, want, got)
	require.Len(t, got.VNets, 1)
}

func TestLoadIgnoresTypesOfFieldsItDoesNotRead(t *testing.T) {
	vnet := `{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"Microsoft.Network/virtualNetworks","properties":{%s"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}}`
	dir := t.TempDir()
	odd := filepath.Join(dir, "odd.json")
	require.NoError(t, os.WriteFile(odd, []byte("["+strings.Replace(vnet, "%s", `"dhcpOptions":7,`, 1)+"]"), 0o600))
	_, err := ReadFile(odd)
	require.ErrorContains(t, err, "DhcpOptions", "the SDK model checks every field")
	got, err := Load(odd)
	require.NoError(t, err)
	want, err := sdkEstate("plain.json", []byte("["+strings.Replace(vnet, "%s", "", 1)+"]"))
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
