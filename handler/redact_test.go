package handler

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/zap"
)

// Errors the pipeline returns are logged, and on the Functions route
// returned to the host, with any credential they quote redacted: a
// transport error of the Azure SDK quotes the request URL, SAS included,
// and a connection string error may quote the account key.
func TestPipelineErrorsRedacted(t *testing.T) {
	const sig, accountKey, teamsSig = "SASSIGNATURE0123", "QUNDT1VOVEtFWQ==", "TEAMSSIGNATURE42"
	sas := &url.Error{Op: "Post", URL: "https://acct.table.core.windows.net/Tables?se=2030&sig=" + sig + "&sv=2020", Err: errors.New("dial tcp: connection refused")}
	errs := map[string]error{
		"SAS in a transport error": Transient(fmt.Errorf("state: claiming event: %w", sas)),
		"account key":              errors.New("state: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + accountKey + ";EndpointSuffix=core.windows.net"),
		"teams signature": Transient(&url.Error{Op: "Post", Err: errors.New("EOF"),
			URL: "https://prod-01.westeurope.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=2016-06-01&sig=" + teamsSig}),
		"webhook key": Transient(errors.New("GET http://127.0.0.1:7071/api/events?code=" + testKey + ": refused")),
	}
	for name, perr := range errs {
		for _, functions := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/functions=%t", name, functions), func(t *testing.T) {
				var out bytes.Buffer
				r := newRig(t, Config{WebhookKey: testKey})
				r.h = New(r.p, Config{WebhookKey: testKey, Logger: zap.New(zapJSONCore(&out))})
				r.p.errs = []error{perr}
				body := fixture(t, "synthetic_gateway-reset_cloudevents-schema.json")
				rec := r.do(http.MethodPost, WebhookPath, body, keyed(nil))
				if functions {
					rec = r.invoke(FunctionOnResourceChange, fixture(t, vnetWriteFile))
				}
				assert.Contains(t, out.String(), "failed", "the error was logged")
				assert.Contains(t, out.String(), "<redacted>")
				for _, secret := range []string{sig, accountKey, teamsSig, testKey} {
					assert.NotContains(t, out.String(), secret)
					assert.NotContains(t, rec.Body.String(), secret)
				}
			})
		}
	}
}
