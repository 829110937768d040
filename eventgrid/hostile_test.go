package eventgrid

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deepDepth is far beyond encoding/json's nesting limit (10000).
const deepDepth = 100_000

// nested returns v inside depth levels of open, each closed by close; e.g.
// nested(`[`, `]`, 2, "1") is [[1]].
func nested(open, close string, depth int, v string) string {
	return strings.Repeat(open, depth) + v + strings.Repeat(close, depth)
}

// deepArray and deepObject are depth levels of [ or {"a": around 1.
func deepArray(depth int) string  { return nested("[", "]", depth, "1") }
func deepObject(depth int) string { return nested(`{"a":`, "}", depth, "1") }

// withData returns a valid network event (EventGridSchema) whose data
// carries extra as an unknown field x.
func withData(extra string) string {
	return `{"id":"deep","subject":"` + vnetID + `","eventType":"Microsoft.Resources.ResourceWriteSuccess",` +
		`"eventTime":"2025-01-02T03:04:05Z","data":{"operationName":"Microsoft.Network/virtualNetworks/write",` +
		`"status":"Succeeded","resourceUri":"` + vnetID + `","x":` + extra + `}}`
}

// invocation wraps event (JSON text) as the Functions host does.
func invocation(event string) string { return `{"Data":{"event":` + event + `},"Metadata":{}}` }

// hostileSeeds are extra fuzz seeds: nesting just past the limit, a
// validation event in both schemas, a string-encoded invocation.
func hostileSeeds() [][]byte {
	return [][]byte{
		[]byte(deepArray(10_001)),
		[]byte(invocation(withData(deepObject(10_001)))),
		[]byte(`[` + withData(deepArray(100)) + `]`),
		[]byte(invocation(`{"id":"v","type":"Microsoft.EventGrid.SubscriptionValidationEvent","specversion":"1.0",` +
			`"time":"2025-01-02T03:04:05Z","data":{"validationCode":"c","validationUrl":"https://x.example/v"}}`)),
		[]byte(invocation(quote(withData("1")))),
	}
}

// quote returns s as a JSON string, as the host encodes string-typed
// binding values.
func quote(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// Nesting beyond encoding/json's limit is an error, whether the whole body
// or a field deep inside an otherwise valid event is nested: never a stack
// overflow, never a partial result.
func TestDecodeDeeplyNested(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{"array", deepArray(deepDepth)},
		{"object", deepObject(deepDepth)},
		{"unclosed array", strings.Repeat("[", deepDepth)},
		{"unclosed object", strings.Repeat(`{"a":`, deepDepth)},
		{"array in batch", `[` + deepArray(deepDepth) + `]`},
		{"object in data", withData(deepObject(deepDepth))},
		{"array in data of batch", `[` + withData(deepArray(deepDepth)) + `]`},
		{"string-encoded deep array", `["` + deepArray(deepDepth) + `"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, validations, err := DecodeBatch([]byte(tt.body))
			require.Error(t, err)
			assert.Empty(t, changes)
			assert.Empty(t, validations)
			assert.Less(t, len(err.Error()), 1024, "the error does not echo the input")

			c, err := DecodeFunctionsInvocation([]byte(invocation(tt.body)))
			require.Error(t, err)
			assert.Equal(t, Change{}, c)
			assert.Less(t, len(err.Error()), 1024, "the error does not echo the input")
		})
	}
}

// Nesting within the limit inside a field vnetdrift does not read is
// accepted: it is valid JSON and the event is still a network change.
func TestDecodeNestedWithinLimit(t *testing.T) {
	body := withData(deepArray(9_000))
	changes, _, err := DecodeBatch([]byte(body))
	require.NoError(t, err)
	require.Len(t, changes, 1)
	assert.True(t, changes[0].IsNetwork())

	c, err := DecodeFunctionsInvocation([]byte(invocation(body)))
	require.NoError(t, err)
	assert.Equal(t, vnetID, c.ResourceID())
}

// A SubscriptionValidationEvent inside a Functions invocation decodes to a
// Change that says so (the handler then ignores it), in both schemas and
// string-encoded; it is never a network change.
func TestDecodeFunctionsInvocationValidation(t *testing.T) {
	eg := `{"id":"v1","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","subject":"` + vnetID + `",` +
		`"eventTime":"2025-01-02T03:04:05Z","data":{"validationCode":"c","validationUrl":"https://x.example/v",` +
		`"operationName":"Microsoft.Network/virtualNetworks/write","status":"Succeeded","resourceUri":"` + vnetID + `"}}`
	ce := `{"id":"v1","type":"Microsoft.EventGrid.SubscriptionValidationEvent","specversion":"1.0","source":"x",` +
		`"subject":"` + vnetID + `","time":"2025-01-02T03:04:05Z","data":{"validationCode":"c"}}`
	for name, ev := range map[string]string{"EventGridSchema": eg, "CloudEvents": ce, "string-encoded": quote(eg)} {
		t.Run(name, func(t *testing.T) {
			c, err := DecodeFunctionsInvocation([]byte(invocation(ev)))
			require.NoError(t, err)
			assert.True(t, c.IsValidation())
			assert.False(t, c.IsNetwork(), "a validation event is never a network change: %+v", c)
			assert.Equal(t, "v1", c.EventID)
		})
	}
}
