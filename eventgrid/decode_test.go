package eventgrid

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const vnetID = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1"

// event builds an EventGridSchema event with the given data.
func event(id string, data any) map[string]any {
	return map[string]any{
		"id": id, "subject": vnetID, "eventType": "Microsoft.Resources.ResourceWriteSuccess",
		"eventTime": "2025-01-02T03:04:05Z", "dataVersion": "2", "metadataVersion": "1", "data": data,
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func decodeOne(t *testing.T, ev any) Change {
	t.Helper()
	changes, validations, err := DecodeBatch(mustJSON(t, []any{ev}))
	require.NoError(t, err)
	require.Empty(t, validations)
	require.Len(t, changes, 1)
	return changes[0]
}

// encoding/json matches keys case-insensitively; this pins that behaviour
// for data, authorization, evidence and claims.
func TestDecodeDataKeysAnyCase(t *testing.T) {
	data := map[string]any{
		"OPERATIONNAME": "Microsoft.Network/virtualNetworks/write", "ResourceUri": vnetID, "Status": "Succeeded",
		"SubscriptionId": "s1", "TENANTID": "t1", "correlationid": "c1", "ResourceGroup": "rg",
		"Authorization": map[string]any{"Scope": vnetID, "Evidence": map[string]any{"PrincipalId": "p1"}},
		"Claims":        map[string]any{"Name": "Jane", "AppId": "a1"},
	}
	c := decodeOne(t, event("e1", data))
	assert.Equal(t, Change{
		EventID: "e1", EventType: "Microsoft.Resources.ResourceWriteSuccess", Subject: vnetID, ResourceURI: vnetID,
		OperationName: "Microsoft.Network/virtualNetworks/write", Status: "Succeeded", SubscriptionID: "s1",
		ResourceGroup: "rg", TenantID: "t1", CorrelationID: "c1", EventTime: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Caller: Caller{Name: "Jane", AppID: "a1", ObjectID: "p1"}, Schema: SchemaEventGrid,
	}, c)
}

func TestDecodeEnvelopeKeysAnyCase(t *testing.T) {
	ev := map[string]any{"ID": "e1", "Subject": vnetID, "EventType": "X", "EventTime": "2025-01-02T03:04:05Z"}
	c := decodeOne(t, ev)
	assert.Equal(t, "e1", c.EventID)
	assert.Equal(t, "X", c.EventType)
	// The azure-rest-api-specs CloudEvents delete example spells specVersion.
	ce := map[string]any{"id": "e2", "source": "/s", "specVersion": "1.0", "type": "Y", "subject": vnetID}
	c = decodeOne(t, ce)
	assert.Equal(t, SchemaCloudEvents, c.Schema)
	assert.True(t, c.EventTime.IsZero(), "time is optional in CloudEvents")
}

func TestDuplicateKeysDifferingInCase(t *testing.T) {
	c := decodeOne(t, event("e1", map[string]any{"claims": map[string]any{"NAME": "upper", "name": "lower", "Name": "title"}}))
	assert.Equal(t, "lower", c.Caller.Name)
}

func TestDecodeStringEncodedAuthorizationAndClaims(t *testing.T) {
	data := map[string]any{
		"authorization": `{"scope":"x","evidence":{"principalId":"p1"}}`,
		"claims":        `{"upn":"jane@x","iat":1700000000,"groups":["a","b"],"oid":"o1"}`,
		"operationName": "Microsoft.Network/virtualNetworks/write",
	}
	c := decodeOne(t, event("e1", data))
	assert.Equal(t, Caller{UPN: "jane@x", ObjectID: "o1"}, c.Caller)
}

func TestDecodeDataAsStringAndBase64(t *testing.T) {
	data := `{"operationName":"Microsoft.Network/virtualNetworks/delete","resourceUri":"` + vnetID + `"}`
	c := decodeOne(t, event("e1", data))
	assert.Equal(t, "Microsoft.Network/virtualNetworks/delete", c.OperationName)
	assert.Equal(t, "s1", c.SubscriptionID, "taken from the resource ID")
	assert.Equal(t, "rg", c.ResourceGroup, "taken from the resource ID")

	ce := map[string]any{"id": "e2", "source": "/s", "specversion": "1.0", "type": "Y",
		"data_base64": base64.StdEncoding.EncodeToString([]byte(data))}
	c = decodeOne(t, ce)
	assert.Equal(t, "Microsoft.Network/virtualNetworks/delete", c.OperationName)
}

func TestDecodeNullAndEmptyParts(t *testing.T) {
	for _, data := range []any{nil, map[string]any{}, map[string]any{"authorization": nil, "claims": ""}} {
		c := decodeOne(t, event("e1", data))
		assert.Equal(t, Caller{}, c.Caller)
		assert.Equal(t, vnetID, c.ResourceID())
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2018-07-19T18:38:04.6117357Z", time.Date(2018, 7, 19, 18, 38, 4, 611735700, time.UTC)},
		{"2018-07-19T18:38:04Z", time.Date(2018, 7, 19, 18, 38, 4, 0, time.UTC)},
		{"2018-07-19T20:38:04.5+02:00", time.Date(2018, 7, 19, 18, 38, 4, 500000000, time.UTC)},
		{"2018-07-19T18:38:04.6117357", time.Date(2018, 7, 19, 18, 38, 4, 611735700, time.UTC)},
		{"2018-07-19T18:38:04", time.Date(2018, 7, 19, 18, 38, 4, 0, time.UTC)},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseTime(tt.in)
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(got), "got %v", got)
			assert.Equal(t, time.UTC, got.Location())
		})
	}
	_, err := parseTime("yesterday")
	assert.ErrorContains(t, err, `"yesterday"`)
}

func TestDecodeBatchBodyErrors(t *testing.T) {
	for _, body := range []string{"", "   ", "null", "42", `"x"`, "[", "{", `{"id":"x"`, "[1,"} {
		t.Run(body, func(t *testing.T) {
			changes, validations, err := DecodeBatch([]byte(body))
			require.Error(t, err)
			assert.Nil(t, changes)
			assert.Nil(t, validations)
		})
	}
	changes, validations, err := DecodeBatch([]byte(" [ ] "))
	require.NoError(t, err)
	assert.Empty(t, changes)
	assert.Empty(t, validations)
}

// One bad event does not hide the good ones, and each error names the
// event and the field.
func TestDecodeBatchEventErrors(t *testing.T) {
	good := event("good", map[string]any{"operationName": "Microsoft.Network/virtualNetworks/write"})
	badTime := event("bad-time", nil)
	badTime["eventTime"] = "not a time"
	body := mustJSON(t, []any{
		good,
		event("bad-status", map[string]any{"status": 5}),
		map[string]any{"id": 7, "eventType": "X"},
		event("bad-claims", map[string]any{"claims": "{not json"}),
		event("bad-auth", map[string]any{"authorization": []int{1}}),
		event("bad-evidence", map[string]any{"authorization": map[string]any{"evidence": 3}}),
		map[string]any{"id": "no-type"},
		badTime,
		map[string]any{"id": "bad-spec", "type": "Y", "specversion": "0.3"},
		map[string]any{"id": "bad-subject", "eventType": "X", "subject": 1},
		event("bad-data", 12),
		map[string]any{"id": "bad-validation", "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent", "data": map[string]any{}},
		"not an object",
	})
	changes, validations, err := DecodeBatch(body)
	require.Len(t, changes, 1)
	assert.Equal(t, "good", changes[0].EventID)
	assert.Empty(t, validations)
	require.Error(t, err)

	type named struct {
		Index     int
		ID, Field string
	}
	var got []named
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ee *EventError
		require.True(t, errors.As(e, &ee), "%T: %v", e, e)
		got = append(got, named{ee.Index, ee.ID, ee.Field})
	}
	assert.Equal(t, []named{
		{1, "bad-status", "data.status"},
		{2, "", "id"},
		{3, "bad-claims", "data.claims"},
		{4, "bad-auth", "data.authorization"},
		{5, "bad-evidence", "data.authorization.evidence"},
		{6, "no-type", "eventType"},
		{7, "bad-time", "eventTime"},
		{8, "bad-spec", "specversion"},
		{9, "bad-subject", "subject"},
		{10, "bad-data", "data"},
		{11, "bad-validation", "data.validationCode"},
		{12, "", ""},
	}, got)
	assert.Contains(t, err.Error(), `event 1 (id "bad-status"): field "data.status": `)
	assert.Contains(t, err.Error(), `event 7 (id "bad-time"): field "eventTime": want an RFC 3339 time, got "not a time"`)
}

func TestEventErrorMessage(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		err  EventError
		want string
	}{
		{EventError{Index: 2, ID: "abc", Field: "data.claims", Err: base}, `event 2 (id "abc"): field "data.claims": boom`},
		{EventError{Index: -1, ID: "abc", Err: base}, `event (id "abc"): boom`},
		{EventError{Index: 0, Err: base}, `event 0: boom`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
		assert.ErrorIs(t, &tt.err, base)
	}
}

func TestDecodeFunctionsInvocationShapes(t *testing.T) {
	ev := event("e1", map[string]any{"operationName": "Microsoft.Network/connections/write"})
	evJSON := string(mustJSON(t, ev))
	twice := string(mustJSON(t, evJSON))
	tests := []struct {
		name    string
		body    any
		wantErr string
	}{
		{"object", map[string]any{"Data": map[string]any{"event": ev}}, ""},
		{"string", map[string]any{"Data": map[string]any{"event": evJSON}}, ""},
		{"string twice", map[string]any{"Data": map[string]any{"event": twice}}, ""},
		{"other binding name", map[string]any{"Data": map[string]any{"eventGridEvent": ev}}, ""},
		{"event among inputs", map[string]any{"Data": map[string]any{"Event": ev, "blob": "x"}}, ""},
		{"ambiguous", map[string]any{"Data": map[string]any{"a": ev, "b": ev}}, `no "event" binding among 2 entries`},
		{"no data", map[string]any{"Metadata": map[string]any{}}, `field "Data": missing`},
		{"data null", map[string]any{"Data": nil}, `field "Data": missing`},
		{"data array", map[string]any{"Data": []any{ev}}, `field "Data": json: cannot unmarshal array`},
		{"lower-case data is a bare event", ev, `field "Data": missing`},
		{"event array", map[string]any{"Data": map[string]any{"event": []any{ev}}}, `field "Data.event": want an event object`},
		{"event number", map[string]any{"Data": map[string]any{"event": 1}}, `field "Data.event": want an event object`},
		{"event bad string", map[string]any{"Data": map[string]any{"event": "{nope"}}, `field "Data.event": want an event object`},
		{"not json", "{", "decoding Functions invocation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := mustJSON(t, tt.body)
			if s, ok := tt.body.(string); ok {
				body = []byte(s)
			}
			c, err := DecodeFunctionsInvocation(body)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "e1", c.EventID)
			assert.True(t, c.IsNetwork())
		})
	}
}

func TestDecodeFunctionsInvocationEventError(t *testing.T) {
	ev := event("e1", map[string]any{"status": true})
	_, err := DecodeFunctionsInvocation(mustJSON(t, map[string]any{"Data": map[string]any{"event": ev}}))
	var ee *EventError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, EventError{Index: -1, ID: "e1", Field: "data.status", Err: ee.Err}, *ee)
	assert.Equal(t, `event (id "e1"): field "data.status": `, err.Error()[:len(`event (id "e1"): field "data.status": `)])
}
