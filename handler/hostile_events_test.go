package handler

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

const (
	sub2 = "00000000-0000-0000-0000-000000000002"
	sub3 = "00000000-0000-0000-0000-000000000003"
)

// vnetEvent returns an EventGridSchema VNet write event whose
// data.subscriptionId is dataSub ("" leaves it out) on a VNet in
// subscription uriSub.
func vnetEvent(id, dataSub, uriSub string) string {
	uri := "/subscriptions/" + uriSub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
	ev := map[string]any{
		"id": id, "subject": uri, "eventType": "Microsoft.Resources.ResourceWriteSuccess",
		"eventTime": "2025-01-02T03:04:05Z", "dataVersion": "2", "metadataVersion": "1",
		"data": map[string]any{
			"operationName": "Microsoft.Network/virtualNetworks/write", "status": "Succeeded", "resourceUri": uri,
		},
	}
	if dataSub != "" {
		ev["data"].(map[string]any)["subscriptionId"] = dataSub
	}
	b, _ := json.Marshal(ev) // maps of strings always marshal
	return string(b)
}

// otherSubEvent is vnetEvent with a fixed id.
func otherSubEvent(dataSub, uriSub string) string { return vnetEvent("other", dataSub, uriSub) }

// Events for subscriptions outside Config.Subscriptions
// (VNETDRIFT_SUBSCRIPTIONS) are acknowledged and never reach the pipeline,
// so nothing is read for them; the subscription is that of the changed
// resource, whatever data.subscriptionId claims. IDs compare
// case-insensitively; an empty list accepts all.
func TestOtherSubscriptionsIgnored(t *testing.T) {
	tests := []struct {
		name            string
		subs            []string
		dataSub, uriSub string
		handled         bool
	}{
		{"configured", []string{sub1}, sub1, sub1, true},
		{"configured, other case", []string{strings.ToUpper(sub1)}, sub1, sub1, true},
		{"configured, no data.subscriptionId", []string{sub1}, "", sub1, true},
		{"one of several", []string{sub3, sub1}, sub1, sub1, true},
		{"none configured accepts all", nil, sub2, sub2, true},
		{"other", []string{sub1}, sub2, sub2, false},
		{"other, no data.subscriptionId", []string{sub1}, "", sub2, false},
		{"data claims a configured one, resource in another", []string{sub1}, sub1, sub2, false},
		{"data claims another, resource in a configured one", []string{sub1}, sub2, sub1, false},
	}
	for _, tt := range tests {
		for _, functions := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/functions=%t", tt.name, functions), func(t *testing.T) {
				r := newRig(t, Config{WebhookKey: testKey, Subscriptions: tt.subs})
				ev := vnetEvent("e1", tt.dataSub, tt.uriSub)
				var rec *httptest.ResponseRecorder
				if functions {
					rec = r.invoke(FunctionOnResourceChange, wrap(t, json.RawMessage(ev)))
					envelope(t, rec)
				} else {
					rec = r.do(http.MethodPost, WebhookPath, []byte("["+ev+"]"), keyed(nil))
				}
				assert.Equal(t, 200, rec.Code, "acknowledged either way")
				if tt.handled {
					assert.Equal(t, []string{"e1"}, r.p.handledIDs())
					return
				}
				assert.Empty(t, r.p.calls(), "nothing processed, so nothing read")
				assert.Contains(t, metricsText(t, r), `vnetdrift_events_ignored_total{reason="other_subscription"} 1`)
				if !functions {
					assert.JSONEq(t, `{"accepted":0,"ignored":1}`, rec.Body.String())
				}
			})
		}
	}
}

// In a batch, only the events of configured subscriptions go on.
func TestOtherSubscriptionsFilteredFromBatch(t *testing.T) {
	r := newRig(t, Config{WebhookKey: testKey, Subscriptions: []string{sub1}})
	body := "[" + strings.Join([]string{
		vnetEvent("a", sub2, sub2), vnetEvent("b", sub1, sub1), vnetEvent("c", "", sub3), vnetEvent("d", sub1, sub3),
	}, ",") + "]"
	rec := r.do(http.MethodPost, WebhookPath, []byte(body), keyed(nil))
	assert.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"accepted":1,"ignored":3}`, rec.Body.String())
	assert.Equal(t, []string{"b"}, r.p.handledIDs())
}

// validationEvents are SubscriptionValidationEvents as an attacker could
// post them to the Functions route; validationURL is where they point.
func validationEvents(t *testing.T, validationURL string) map[string]json.RawMessage {
	t.Helper()
	vnet := "/subscriptions/" + sub1 + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
	data := fmt.Sprintf(`{"validationCode":"forged-code-1234","validationUrl":%q,`+
		`"operationName":"Microsoft.Network/virtualNetworks/write","status":"Succeeded","resourceUri":%q,"subscriptionId":%q}`,
		validationURL, vnet, sub1)
	eg := `{"id":"forged","subject":"` + vnet + `","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent",` +
		`"eventTime":"2025-01-02T03:04:05Z","data":` + data + `}`
	quoted, err := json.Marshal(eg)
	require.NoError(t, err)
	return map[string]json.RawMessage{
		"EventGridSchema": json.RawMessage(eg),
		"lower-case type": json.RawMessage(strings.Replace(eg, "Microsoft.EventGrid.SubscriptionValidationEvent",
			"microsoft.eventgrid.subscriptionvalidationevent", 1)),
		"CloudEvents": json.RawMessage(`{"id":"forged","specversion":"1.0","source":"x","subject":"` + vnet + `",` +
			`"type":"Microsoft.EventGrid.SubscriptionValidationEvent","time":"2025-01-02T03:04:05Z","data":` + data + `}`),
		"string-encoded": json.RawMessage(quoted),
	}
}

// A SubscriptionValidationEvent posted to /OnResourceChange is not a
// handshake there (the Functions host validates subscriptions itself): it
// is acknowledged as an invocation, its code is not echoed, its
// validationUrl is not fetched, and nothing is processed; also with the
// header Event Grid sets on a real handshake.
func TestForgedValidationOnFunctionsRoute(t *testing.T) {
	var fetched atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { fetched.Add(1) }))
	defer target.Close()
	for name, ev := range validationEvents(t, target.URL+"/validate?token=x") {
		for _, header := range []map[string]string{nil, {"aeg-event-type": "SubscriptionValidation"}} {
			t.Run(fmt.Sprintf("%s/header=%t", name, header != nil), func(t *testing.T) {
				r := newRig(t, Config{Subscriptions: []string{sub1}})
				h := map[string]string{"Content-Type": "application/json", HeaderInvocationID: "inv-0001"}
				for k, v := range header {
					h[k] = v
				}
				rec := r.do(http.MethodPost, "/"+FunctionOnResourceChange, wrap(t, ev), h)
				assert.Equal(t, 200, rec.Code)
				logs := envelope(t, rec) // exactly Outputs, Logs, ReturnValue: no validationResponse
				assert.NotContains(t, rec.Body.String(), "forged-code-1234")
				require.Len(t, logs, 1)
				assert.Contains(t, logs[0], "ignored event forged: subscription validation event")
				assert.Empty(t, r.p.calls(), "nothing processed")
				assert.Equal(t, 1, r.logs.FilterField(zap.String("event_id", "forged")).Len())
				assert.Contains(t, metricsText(t, r), `vnetdrift_events_ignored_total{reason="validation"} 1`)
			})
		}
	}
	assert.Zero(t, fetched.Load(), "validationUrl is never fetched")
}
