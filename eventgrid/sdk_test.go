package eventgrid

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/messaging/eventgrid/azsystemevents"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Where the SDK model fits (camelCase keys, object claims with string
// values), decoding with it gives the same fields as DecodeBatch.
func TestDecodeAgreesWithSDK(t *testing.T) {
	files := []string{
		"arm_ResourceWriteSuccess_eventgrid-schema_rest-api-specs-example.json",
		"arm_ResourceDeleteSuccess_eventgrid-schema_rest-api-specs-example.json",
		"arm_ResourceActionSuccess_eventgrid-schema_rest-api-specs-example.json",
		"arm_ResourceWriteFailure_eventgrid-schema_rest-api-specs-example.json",
		"synthetic_gateway-reset_cloudevents-schema.json",
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", name))
			require.NoError(t, err)
			var ev struct{ Data json.RawMessage }
			require.NoError(t, json.Unmarshal(body, &ev))
			var sdk azsystemevents.ResourceWriteSuccessEventData
			require.NoError(t, json.Unmarshal(ev.Data, &sdk))

			changes, _, err := DecodeBatch(body)
			require.NoError(t, err)
			require.Len(t, changes, 1)
			c := changes[0]
			assert.Equal(t, *sdk.OperationName, c.OperationName)
			assert.Equal(t, *sdk.ResourceURI, c.ResourceURI)
			assert.Equal(t, *sdk.Status, c.Status)
			assert.Equal(t, *sdk.SubscriptionID, c.SubscriptionID)
			assert.Equal(t, *sdk.TenantID, c.TenantID)
			assert.Equal(t, *sdk.CorrelationID, c.CorrelationID)
			assert.Equal(t, deref(sdk.Claims["appid"]), c.Caller.AppID)
			assert.Equal(t, deref(sdk.Claims["name"]), c.Caller.Name)
		})
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// TestSDKModelMismatch shows why resourceData does not use the SDK model:
// each payload decodes with DecodeBatch but not (fully) with the SDK.
func TestSDKModelMismatch(t *testing.T) {
	t.Run("PascalCase authorization is dropped", func(t *testing.T) {
		data := `{"authorization":{"Scope":"/x","Evidence":{"PrincipalId":"p1"}}}`
		var sdk azsystemevents.ResourceWriteSuccessEventData
		require.NoError(t, json.Unmarshal([]byte(data), &sdk))
		assert.Nil(t, sdk.Authorization.Scope)
		assert.Nil(t, sdk.Authorization.Evidence)
		assert.Equal(t, "p1", decodeOne(t, event("e1", json.RawMessage(data))).Caller.ObjectID)
	})
	t.Run("PascalCase data keys are dropped", func(t *testing.T) {
		data := `{"OperationName":"Microsoft.Network/virtualNetworks/write"}`
		var sdk azsystemevents.ResourceWriteSuccessEventData
		require.NoError(t, json.Unmarshal([]byte(data), &sdk))
		assert.Nil(t, sdk.OperationName)
		assert.True(t, decodeOne(t, event("e1", json.RawMessage(data))).IsNetwork())
	})
	t.Run("non-string claim fails the event", func(t *testing.T) {
		data := `{"claims":{"upn":"jane@x","groups":["a"]}}`
		var sdk azsystemevents.ResourceWriteSuccessEventData
		assert.Error(t, json.Unmarshal([]byte(data), &sdk))
		assert.Equal(t, "jane@x", decodeOne(t, event("e1", json.RawMessage(data))).Caller.UPN)
	})
	t.Run("string-encoded claims fail the event", func(t *testing.T) {
		data := `{"claims":"{\"upn\":\"jane@x\"}","authorization":"{\"scope\":\"/x\"}"}`
		var sdk azsystemevents.ResourceWriteSuccessEventData
		assert.Error(t, json.Unmarshal([]byte(data), &sdk))
		assert.Equal(t, "jane@x", decodeOne(t, event("e1", json.RawMessage(data))).Caller.UPN)
	})
}
