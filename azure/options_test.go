package azure

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func TestEndpoints(t *testing.T) {
	tests := []struct {
		name, endpoint string
		wantErr        string // "" = accepted
		wantARM        string // Resource Manager endpoint in the cloud configuration
		wantAudience   string
		wantInsecure   bool // plain-http loopback: static credential, http allowed
	}{
		{name: "default public cloud", endpoint: "", wantARM: "https://management.azure.com", wantAudience: "https://management.core.windows.net/"},
		{name: "public cloud spelled out", endpoint: "https://management.azure.com/", wantARM: "https://management.azure.com", wantAudience: "https://management.core.windows.net/"},
		{name: "government cloud", endpoint: "https://management.usgovcloudapi.net", wantARM: "https://management.usgovcloudapi.net", wantAudience: "https://management.core.usgovcloudapi.net/"},
		{name: "https anything", endpoint: "https://arm.example.com:8443", wantARM: "https://arm.example.com:8443", wantAudience: "https://management.azure.com"},
		{name: "http loopback v4", endpoint: "http://127.0.0.1:8080", wantARM: "http://127.0.0.1:8080", wantAudience: "https://management.azure.com", wantInsecure: true},
		{name: "http loopback v6", endpoint: "http://[::1]:8080", wantARM: "http://[::1]:8080", wantAudience: "https://management.azure.com", wantInsecure: true},
		{name: "http localhost", endpoint: "http://localhost:9000/", wantARM: "http://localhost:9000", wantAudience: "https://management.azure.com", wantInsecure: true},
		{name: "http non-loopback", endpoint: "http://10.0.0.5:8080", wantErr: "plain http is allowed only to a loopback address"},
		{name: "http public name", endpoint: "http://management.azure.com", wantErr: "plain http is allowed only to a loopback address"},
		{name: "other scheme", endpoint: "ftp://127.0.0.1", wantErr: "is not http or https"},
		{name: "not absolute", endpoint: "management.azure.com", wantErr: "want an absolute URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := ClientOptions(tt.endpoint, nil, nil)
			cred, credErr := NewCredential(tt.endpoint)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.ErrorContains(t, credErr, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.NoError(t, credErr)
			rm := opts.Cloud.Services[cloud.ResourceManager]
			assert.Equal(t, tt.wantARM, rm.Endpoint)
			assert.Equal(t, tt.wantAudience, rm.Audience)
			assert.Equal(t, tt.wantInsecure, opts.InsecureAllowCredentialWithHTTP)
			assert.True(t, opts.DisableRPRegistration)
			assert.Equal(t, maxRetryDelay, opts.Retry.MaxRetryDelay)
			if tt.wantInsecure {
				assert.IsType(t, staticCredential{}, cred)
			} else {
				assert.IsType(t, &azidentity.DefaultAzureCredential{}, cred)
			}
		})
	}
}

func TestStaticCredentialToken(t *testing.T) {
	tok, err := staticCredential{}.GetToken(context.Background(), policy.TokenRequestOptions{})
	require.NoError(t, err)
	assert.Equal(t, staticToken, tok.Token)
	assert.False(t, tok.ExpiresOn.IsZero())
}

// TestCountingPolicy sends requests through an SDK pipeline built from
// ClientOptions and checks what the counting policy counted and logged.
func TestCountingPolicy(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    http.Header
		wantLevel zapcore.Level
		wantMsg   string
	}{
		{name: "quota at debug", status: 200, header: http.Header{headerReadsRemaining: {"249"}}, wantLevel: zapcore.DebugLevel, wantMsg: "azure: read quota"},
		{name: "low quota at warn", status: 200, header: http.Header{headerReadsRemaining: {"12"}}, wantLevel: zapcore.WarnLevel, wantMsg: "azure: read quota running low"},
		{name: "graph quota at debug", status: 200, header: http.Header{headerGraphRemaining: {"14"}}, wantLevel: zapcore.DebugLevel, wantMsg: "azure: read quota"},
		{name: "low graph quota at warn", status: 200, header: http.Header{headerGraphRemaining: {"2"}}, wantLevel: zapcore.WarnLevel, wantMsg: "azure: read quota running low"},
		{name: "throttled at warn", status: 429, header: http.Header{headerRetryAfter: {"7"}}, wantLevel: zapcore.WarnLevel, wantMsg: "azure: throttled (429)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			core, logs := observer.New(zapcore.DebugLevel)
			var counter CallCounter
			p := NewCountingPolicy(&counter, zap.New(core))
			pl := runtime.NewPipeline("test", "v0", runtime.PipelineOptions{PerRetry: []policy.Policy{p}},
				&policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}})
			req, err := runtime.NewRequest(context.Background(), http.MethodGet, srv.URL+"/subscriptions/s/x?api-version=1")
			require.NoError(t, err)
			resp, err := pl.Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, int64(1), counter.Load())
			entries := logs.FilterMessage(tt.wantMsg).All()
			require.Len(t, entries, 1)
			assert.Equal(t, tt.wantLevel, entries[0].Level)
			assert.Equal(t, "/subscriptions/s/x", entries[0].ContextMap()["path"])
		})
	}
}
