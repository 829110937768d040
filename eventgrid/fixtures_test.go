package eventgrid

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// summary is what the fixture tables assert about one Change.
type summary struct {
	ID, Type, Op, Resource, Sub, RG, Tenant, Caller, Schema string
	Time                                                    string // RFC 3339 in UTC, "" for zero
	Succeeded, Network                                      bool
}

func summarize(c Change) summary {
	s := summary{
		ID: c.EventID, Type: c.EventType, Op: c.OperationName, Resource: c.ResourceID(),
		Sub: c.SubscriptionID, RG: c.ResourceGroup, Tenant: c.TenantID, Caller: c.Caller.String(),
		Schema: c.Schema, Succeeded: c.Succeeded(), Network: c.IsNetwork(),
	}
	if !c.EventTime.IsZero() {
		s.Time = c.EventTime.Format(time.RFC3339Nano)
	}
	return s
}

// want is the expected result of one decoder on one file: either changes
// (and validations) or an error naming Field ("" = not an *EventError).
type want struct {
	changes     []summary
	validations []Validation
	errField    string
	errText     string // substring of the error
}

const (
	sub1   = "00000000-0000-0000-0000-000000000001"
	sub2   = "00000000-0000-0000-0000-000000000002"
	tenant = "11111111-1111-1111-1111-111111111111"
	rgHub  = "/subscriptions/" + sub1 + "/resourceGroups/rg-hub/providers/Microsoft.Network/"
	vnet1  = "/subscriptions/" + sub1 + "/resourcegroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke1"
	specRG = "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/"
	specSA = specRG + "Microsoft.Storage/storageAccounts/{storage-name}"
	egSub  = "/subscriptions/subscription-id/resourceGroups/resource-group/providers/Microsoft.EventGrid/eventSubscriptions/LogicAppdd584bdf-8347-49c9-b9a9-d1f980783501"
	azfnID = "4e773554-f6b7-4ea2-b07d-4c5fd5aba741"
)

var (
	notAnEvent = want{errField: "id", errText: "missing"}
	noData     = want{errText: `field "Data": missing`}

	vnetWrite = summary{ID: "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a01", Type: "Microsoft.Resources.ResourceWriteSuccess",
		Op: "Microsoft.Network/virtualNetworks/write", Resource: rgHub + "virtualNetworks/vnet-hub", Sub: sub1, RG: "rg-hub",
		Tenant: tenant, Caller: "jane.doe@contoso.example", Schema: SchemaEventGrid, Time: "2025-03-04T10:15:30.1234567Z",
		Succeeded: true, Network: true}
	peeringWrite = summary{ID: "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a08", Type: "Microsoft.Resources.ResourceWriteSuccess",
		Op: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write", Resource: vnet1 + "/virtualNetworkPeerings/spoke1-to-hub",
		Sub: sub1, RG: "rg-spoke", Tenant: tenant, Caller: "9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0", Schema: SchemaEventGrid,
		Time: "2025-03-04T10:30:00.123Z", Succeeded: true, Network: true}
)

// batchCases and invocationCases give, for every file in testdata, what
// DecodeBatch and DecodeFunctionsInvocation return.
var batchCases = map[string]want{
	"arm_ResourceActionSuccess_eventgrid-schema_rest-api-specs-example.json": {changes: []summary{{
		ID: "{ID}", Type: "Microsoft.Resources.ResourceActionSuccess", Op: "Microsoft.EventHub/namespaces/AuthorizationRules/listKeys/action",
		Resource: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.EventHub/namespaces/{namespace}/AuthorizationRules/RootManageSharedAccessKey",
		Sub:      "{subscription-id}", RG: "{resource-group}", Tenant: "{tenant-id}", Caller: "{ID}", Schema: SchemaEventGrid,
		Time: "2018-10-08T22:46:22.6022559Z", Succeeded: true}}},
	"arm_ResourceDeleteSuccess_eventgrid-schema_rest-api-specs-example.json": {changes: []summary{{
		ID: "19a69642-1aad-4a96-a5ab-8d05494513ce", Type: "Microsoft.Resources.ResourceDeleteSuccess", Op: "Microsoft.Storage/storageAccounts/delete",
		Resource: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
		Sub:      "{subscription-id}", RG: "{resource-group}", Tenant: "{tenant-id}", Caller: "{user-name}", Schema: SchemaEventGrid,
		Time: "2018-07-19T19:24:12.763881Z", Succeeded: true}}},
	"arm_ResourceWriteFailure_eventgrid-schema_rest-api-specs-example.json": {changes: []summary{{
		ID: "4db48cba-50a2-455a-93b4-de41a3b5b7f6", Type: "Microsoft.Resources.ResourceWriteFailure", Op: "Microsoft.Storage/storageAccounts/write",
		Resource: specSA, Sub: "{subscription-id}", RG: "{resource-group}", Tenant: "{tenant-id}", Caller: "{user-name}",
		Schema: SchemaEventGrid, Time: "2018-07-19T18:38:04.6117357Z", Succeeded: false}}},
	"arm_ResourceWriteSuccess_cloudevents-schema_array_azsystemevents-v1.0.0-test.json": {changes: []summary{{
		ID: "25b3b0d0-d79b-44d5-9963-440d4e6a9bba", Type: "Microsoft.Resources.ResourceWriteSuccess", Op: "Microsoft.EventGrid/eventSubscriptions/write",
		Resource: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.EventGrid/eventSubscriptions/LogicAppdd584bdf-8347-49c9-b9a9-d1f980783501",
		Sub:      "{subscription-id}", RG: "{resource-group}", Tenant: "72f988bf-86f1-41af-91ab-2d7cd011db47", Schema: SchemaCloudEvents,
		Time: "2017-08-16T03:54:38.2696833Z", Succeeded: true}}},
	"arm_ResourceWriteSuccess_cloudevents-schema_rest-api-specs-example.json": {changes: []summary{{
		ID: "4db48cba-50a2-455a-93b4-de41a3b5b7f6", Type: "Microsoft.Resources.ResourceWriteSuccess", Op: "Microsoft.Storage/storageAccounts/write",
		Resource: specSA, Sub: "{subscription-id}", RG: "{resource-group}", Tenant: "{tenant-id}", Caller: "{user-name}",
		Schema: SchemaCloudEvents, Time: "2018-07-19T18:38:04.6117357Z", Succeeded: true}}},
	"arm_ResourceWriteSuccess_eventgrid-schema_array_azsystemevents-v1.0.0-test.json": {changes: []summary{{
		ID: "25b3b0d0-d79b-44d5-9963-440d4e6a9bba", Type: "Microsoft.Resources.ResourceWriteSuccess", Op: "Microsoft.EventGrid/eventSubscriptions/write",
		Resource: egSub, Sub: "subscription-id", RG: "resource-group", Tenant: "72f988bf-86f1-41af-91ab-2d7cd011db47",
		Caller: "principal", Schema: SchemaEventGrid, Time: "2017-08-16T03:54:38.2696833Z", Succeeded: true}}},
	"arm_ResourceWriteSuccess_eventgrid-schema_rest-api-specs-example.json": {changes: []summary{{
		ID: "4db48cba-50a2-455a-93b4-de41a3b5b7f6", Type: "Microsoft.Resources.ResourceWriteSuccess", Op: "Microsoft.Storage/storageAccounts/write",
		Resource: specSA, Sub: "{subscription-id}", RG: "{resource-group}", Tenant: "{tenant-id}", Caller: "{user-name}",
		Schema: SchemaEventGrid, Time: "2018-07-19T18:38:04.6117357Z", Succeeded: true}}},
	"customhandler-request_eventGridTrigger_cloudevents-schema_azfunc-test.json": notAnEvent,
	"customhandler-request_eventGridTrigger_eventgrid-schema_azfunc-test.json":   notAnEvent,
	"customhandler-request_queueTrigger_functions-custom-handlers-doc.json":      notAnEvent,
	"customhandler-request_timerTrigger_azfunc-test.json":                        notAnEvent,
	"customhandler-response_example_functions-custom-handlers-doc.json":          notAnEvent,
	"eventgrid-schema_subscription-validation-event.json": {validations: []Validation{{
		EventID: "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66", Code: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
		URL: "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/myeventsub/validate?id=0000000000-0000-0000-0000-00000000000000&t=2022-10-28T04:23:35.1981776Z&apiVersion=2018-05-01-preview&token=1A1A1A1A"}}},
	"eventgrid-schema_subscription-validation-response.json":              notAnEvent,
	"synthetic_vnet-write_eventgrid-schema_pascalcase-authorization.json": {changes: []summary{vnetWrite}},
	"synthetic_functions-invocation_vnet-write_object.json":               notAnEvent,
	"synthetic_functions-invocation_peering-write_string-event.json":      notAnEvent,
	"synthetic_functions-invocation_forged-subscription-validation.json":  notAnEvent,
	"synthetic_functions-invocation_timer_null-schedule-status.json":      notAnEvent,
	"synthetic_mixed-batch_eventgrid-schema_array.json": {changes: []summary{
		{ID: "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a02", Type: "Microsoft.Resources.ResourceDeleteSuccess",
			Op: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete", Resource: vnet1 + "/virtualNetworkPeerings/spoke1-to-hub",
			Sub: sub1, RG: "rg-spoke", Tenant: tenant, Caller: "9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0", Schema: SchemaEventGrid,
			Time: "2025-03-04T10:20:00Z", Succeeded: true, Network: true},
		{ID: "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a03", Type: "Microsoft.Resources.ResourceWriteSuccess",
			Op:       "Microsoft.Network/virtualNetworks/subnets/write",
			Resource: "/subscriptions/" + sub1 + "/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke1/subnets/snet-app",
			Sub:      sub1, RG: "rg-spoke", Tenant: tenant, Caller: "Jane Doe", Schema: SchemaEventGrid, Time: "2025-03-04T10:21:00Z", Succeeded: true},
		{ID: "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a04", Type: "Microsoft.Resources.ResourceWriteSuccess",
			Op:       "Microsoft.Network/virtualNetworkGateways/write",
			Resource: "/subscriptions/" + sub2 + "/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworkGateways/vgw-other",
			Sub:      sub2, RG: "rg-other", Tenant: tenant, Caller: "ops@fabrikam.example", Schema: SchemaEventGrid, Time: "2025-03-04T10:22:00Z",
			Succeeded: true, Network: true},
	}},
	"synthetic_gateway-reset_cloudevents-schema.json": {changes: []summary{{
		ID: "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a05", Type: "Microsoft.Resources.ResourceActionSuccess",
		Op: "Microsoft.Network/virtualNetworkGateways/reset/action", Resource: rgHub + "virtualNetworkGateways/vgw-hub",
		Sub: sub1, RG: "rg-hub", Tenant: tenant, Caller: "jane.doe@contoso.example", Schema: SchemaCloudEvents,
		Time: "2025-03-04T10:00:00.5Z", Succeeded: true, Network: true}}},
	"synthetic_connection-write-and-failure_cloudevents-batch_string-claims.json": {changes: []summary{
		{ID: "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a06", Type: "Microsoft.Resources.ResourceWriteSuccess",
			Op: "Microsoft.Network/connections/write", Resource: rgHub + "connections/cn-hub-onprem", Sub: sub1, RG: "rg-hub",
			Tenant: tenant, Caller: "Build Agent", Schema: SchemaCloudEvents, Time: "2025-03-04T12:00:00.1234567Z",
			Succeeded: true, Network: true},
		{ID: "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a07", Type: "Microsoft.Resources.ResourceWriteFailure",
			Op: "Microsoft.Network/localNetworkGateways/write", Resource: rgHub + "localNetworkGateways/lgw-onprem", Sub: sub1, RG: "rg-hub",
			Tenant: tenant, Caller: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", Schema: SchemaCloudEvents, Time: "2025-03-04T12:01:00Z",
			Succeeded: false, Network: true},
	}},
}

var invocationCases = map[string]want{
	"arm_ResourceActionSuccess_eventgrid-schema_rest-api-specs-example.json":            noData,
	"arm_ResourceDeleteSuccess_eventgrid-schema_rest-api-specs-example.json":            noData,
	"arm_ResourceWriteFailure_eventgrid-schema_rest-api-specs-example.json":             noData,
	"arm_ResourceWriteSuccess_cloudevents-schema_array_azsystemevents-v1.0.0-test.json": {errText: "decoding Functions invocation: json: cannot unmarshal array"},
	"arm_ResourceWriteSuccess_cloudevents-schema_rest-api-specs-example.json":           noData,
	"arm_ResourceWriteSuccess_eventgrid-schema_array_azsystemevents-v1.0.0-test.json":   {errText: "decoding Functions invocation: json: cannot unmarshal array"},
	"arm_ResourceWriteSuccess_eventgrid-schema_rest-api-specs-example.json":             noData,
	"eventgrid-schema_subscription-validation-event.json":                               {errText: "decoding Functions invocation: json: cannot unmarshal array"},
	"eventgrid-schema_subscription-validation-response.json":                            noData,
	"customhandler-response_example_functions-custom-handlers-doc.json":                 noData,
	"customhandler-request_queueTrigger_functions-custom-handlers-doc.json":             {errField: "Data.myQueueItem", errText: "want an event object"},
	"customhandler-request_timerTrigger_azfunc-test.json":                               notAnEvent,
	"synthetic_functions-invocation_timer_null-schedule-status.json":                    notAnEvent,
	"synthetic_vnet-write_eventgrid-schema_pascalcase-authorization.json":               noData,
	"synthetic_mixed-batch_eventgrid-schema_array.json":                                 {errText: "cannot unmarshal array"},
	"synthetic_gateway-reset_cloudevents-schema.json":                                   noData,
	"synthetic_connection-write-and-failure_cloudevents-batch_string-claims.json":       {errText: "cannot unmarshal array"},
	"synthetic_functions-invocation_vnet-write_object.json":                             {changes: []summary{vnetWrite}},
	"synthetic_functions-invocation_peering-write_string-event.json":                    {changes: []summary{peeringWrite}},
	"customhandler-request_eventGridTrigger_eventgrid-schema_azfunc-test.json": {changes: []summary{{
		ID: azfnID, Type: "created", Resource: "subject", Schema: SchemaEventGrid, Time: "2023-10-12T20:13:49.640002Z", Succeeded: true}}},
	"customhandler-request_eventGridTrigger_cloudevents-schema_azfunc-test.json": {changes: []summary{{
		ID: azfnID, Type: "created", Resource: "subject", Schema: SchemaCloudEvents, Time: "2023-10-12T20:13:49.640002Z", Succeeded: true}}},
	"synthetic_functions-invocation_forged-subscription-validation.json": {changes: []summary{{
		ID: "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66", Type: "Microsoft.EventGrid.SubscriptionValidationEvent", Schema: SchemaEventGrid,
		Time: "2022-10-28T04:23:35.1981776Z", Succeeded: true}}},
}

func testdataFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func TestEveryFixtureHasCases(t *testing.T) {
	for _, f := range testdataFiles(t) {
		name := filepath.Base(f)
		assert.Contains(t, batchCases, name, "add a DecodeBatch case")
		assert.Contains(t, invocationCases, name, "add a DecodeFunctionsInvocation case")
	}
	assert.Len(t, batchCases, len(testdataFiles(t)), "a case names a file that does not exist")
	assert.Len(t, invocationCases, len(testdataFiles(t)), "a case names a file that does not exist")
}

func TestDecodeBatchFixtures(t *testing.T) {
	for _, f := range testdataFiles(t) {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			w, ok := batchCases[name]
			require.True(t, ok)
			body, err := os.ReadFile(f)
			require.NoError(t, err)
			changes, validations, err := DecodeBatch(body)
			checkErr(t, w, err)
			assert.Equal(t, w.changes, summaries(changes))
			assert.Equal(t, w.validations, validations)
		})
	}
}

func TestDecodeFunctionsInvocationFixtures(t *testing.T) {
	for _, f := range testdataFiles(t) {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			w, ok := invocationCases[name]
			require.True(t, ok)
			body, err := os.ReadFile(f)
			require.NoError(t, err)
			c, err := DecodeFunctionsInvocation(body)
			checkErr(t, w, err)
			if err == nil {
				assert.Equal(t, w.changes, []summary{summarize(c)})
			}
		})
	}
}

func checkErr(t *testing.T, w want, err error) {
	t.Helper()
	if w.errField == "" && w.errText == "" {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), w.errText)
	var ee *EventError
	if w.errField != "" && assert.True(t, errors.As(err, &ee), "want an *EventError, got %T: %v", err, err) {
		assert.Equal(t, w.errField, ee.Field)
		assert.True(t, strings.HasPrefix(err.Error(), "event"), err.Error())
	}
}

func summaries(cs []Change) []summary {
	if cs == nil {
		return nil
	}
	out := make([]summary, len(cs))
	for i, c := range cs {
		out[i] = summarize(c)
	}
	return out
}
