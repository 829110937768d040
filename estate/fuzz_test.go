package estate

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzSeeds seeds with the example estate, the az CLI sample, and, when
// shared/data is beside the repository (CI checks it out at ../shared),
// every ARM example there, whole and as its 200 response body.
func fuzzSeeds(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(sharedExamples, "*.json"))
	if len(seeds) == 0 {
		f.Logf("no seeds from %s: shared/data not beside the repository", sharedExamples)
	}
	seeds = append(seeds, exampleEstate, "testdata/az-cli-vnet-list.json")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	for _, body := range sharedResponseBodies(f) {
		f.Add(body)
	}
	f.Add([]byte("[" + vnetWith("x", deepArray(10_001)) + "]"))
	f.Add([]byte(`{"data":[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"microsoft.network/virtualnetworks","properties":{}}]}`))
}

// FuzzDecode feeds arbitrary bytes to the estate loader: it must return an
// estate or an error, never panic.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Decode("fuzz.json", data)
		if err != nil {
			return
		}
		_, _ = Build(res)
	})
}

// FuzzFastPathMatchesSDK feeds the same bytes to the fast path of Load and
// to the SDK path (Decode, Build). On canonical input (see canonical):
//   - when the SDK path succeeds, the fast path gives an equal Estate;
//   - when the fast path fails, so does the SDK path;
//   - when only the SDK path fails, it fails on a field the fast path does
//     not read: with every field the mirror types do not model removed
//     (prune), the SDK path succeeds and gives the fast path's Estate.
func FuzzFastPathMatchesSDK(f *testing.F) {
	fuzzSeeds(f)
	f.Add([]byte(`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"Microsoft.Network/virtualNetworks","properties":{"subnets":[null,{"name":"GatewaySubnet","properties":{"addressPrefixes":[null,"10.0.0.0/24"]}}],"dhcpOptions":7}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeFast(data)
		want, wantErr := sdkEstate("fuzz.json", data)
		if !canonical(data) {
			return
		}
		switch {
		case wantErr == nil:
			require.NoError(t, err)
			assert.Equal(t, want, got)
		case err != nil:
			return // both fail
		default:
			pruned := prunedInput(t, data)
			want, wantErr = sdkEstate("pruned.json", pruned)
			require.NoError(t, wantErr, "the SDK path fails on a field the fast path reads: %s", pruned)
			assert.Equal(t, want, got)
		}
	})
}

// canonical reports whether every object key in data is spelled exactly as
// the mirror types spell it, or unlike any of their names, and no object
// repeats a key. Only there do the two paths agree: encoding/json matches
// struct fields case-insensitively and merges a repeated object, where the
// SDK models match keys exactly and keep the last value. ARM never writes
// such JSON. Input that is not JSON is canonical.
func canonical(data []byte) bool {
	names := mirrorNames()
	type frame struct {
		object, wantKey bool
		keys            map[string]bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return true
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].wantKey = true
			}
			continue
		}
		if top != nil && top.object && top.wantKey {
			key := tok.(string)
			if top.keys[key] || foldsToOtherName(key, names) {
				return false
			}
			top.keys[key], top.wantKey = true, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true, keys: map[string]bool{}})
		case json.Delim('['):
			stack = append(stack, &frame{})
		default:
			if top != nil && top.object {
				top.wantKey = true
			}
		}
	}
}

func foldsToOtherName(key string, names map[string]bool) bool {
	if names[key] {
		return false
	}
	for n := range names {
		if strings.EqualFold(key, n) {
			return true
		}
	}
	return false
}

// mirrorNames returns every JSON name of the mirror types.
func mirrorNames() map[string]bool {
	names := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for f := range t.Fields() {
			if name := jsonName(f); name != "" {
				names[name] = true
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[resource]())
	return names
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// prunedInput rewrites data as an array of its elements in which every
// resource in REST shape keeps only the fields the mirror types model.
func prunedInput(t *testing.T, data []byte) []byte {
	t.Helper()
	elems, err := splitElements(data)
	require.NoError(t, err, "the fast path split what Decode cannot")
	out := make([]any, len(elems))
	for i, raw := range elems {
		out[i] = raw
		var h header
		if json.Unmarshal(raw, &h) != nil || h.Properties == nil || string(h.Properties) == "null" {
			continue // not REST shape: both paths take it through the SDK
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		require.NoError(t, dec.Decode(&v))
		_, err := dec.Token()
		require.ErrorIs(t, err, io.EOF)
		out[i] = prune(v, reflect.TypeFor[resource]())
	}
	b, err := json.Marshal(out)
	require.NoError(t, err)
	return b
}

// prune keeps, of a generic JSON value, what the mirror type t models.
func prune(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := map[string]any{}
		for k, x := range m {
			if f, ok := fieldNamed(t, k); ok {
				out[k] = prune(x, f.Type)
			}
		}
		return out
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(s))
		for i := range s {
			out[i] = prune(s[i], t.Elem())
		}
		return out
	}
	return v
}

// fieldNamed finds the field of struct type t, embedded ones included,
// whose JSON name is name.
func fieldNamed(t reflect.Type, name string) (reflect.StructField, bool) {
	for f := range t.Fields() {
		if f.Anonymous {
			if sub, ok := fieldNamed(f.Type, name); ok {
				return sub, true
			}
			continue
		}
		if jsonName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
