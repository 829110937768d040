package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Post "https://acct.table.core.windows.net/Tables?sig=S3CR3T&sv=2020": dial tcp: no such host`,
			`Post "https://acct.table.core.windows.net/Tables?<redacted>": dial tcp: no such host`},
		{"posting to https://prod.logic.azure.com/workflows/x/triggers/manual/paths/invoke?api-version=1&sig=S3CR3T: 503",
			"posting to https://prod.logic.azure.com/workflows/x/triggers/manual/paths/invoke?<redacted>: 503"},
		{"bad DefaultEndpointsProtocol=https;AccountName=a;AccountKey=S3CR3T==;EndpointSuffix=core.windows.net",
			"bad DefaultEndpointsProtocol=https;AccountName=a;AccountKey=<redacted>;EndpointSuffix=core.windows.net"},
		{"SharedAccessSignature=sv=2020&sig=S3CR3T;TableEndpoint=x", "SharedAccessSignature=<redacted>&sig=<redacted>;TableEndpoint=x"},
		{"smtp: password=S3CR3T rejected", "smtp: password=<redacted> rejected"},
		{"GET https://management.azure.com/subscriptions/s/providers/x: 429", "GET https://management.azure.com/subscriptions/s/providers/x: 429"},
		{"reading VNet v: context deadline exceeded", "reading VNet v: context deadline exceeded"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, String(tt.in))
	}
}
