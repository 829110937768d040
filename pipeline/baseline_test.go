package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/examples"
)

type tokenCred struct{ scopes []string }

func (c *tokenCred) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.scopes = o.Scopes
	return azcore.AccessToken{Token: "mi-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestLoadBaselineFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.yaml")
	require.NoError(t, os.WriteFile(path, examples.Baseline, 0o600))
	b, err := LoadBaseline(context.Background(), path, nil, nil)
	require.NoError(t, err)
	assert.Len(t, b.VNets, 5)
}

func TestLoadBaselineFromBlob(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != "/baselines/baseline.yaml":
			w.Header().Set("x-ms-error-code", "BlobNotFound")
			w.WriteHeader(http.StatusNotFound)
		case r.Header.Get("Authorization") != "Bearer mi-token" || r.Header.Get("x-ms-version") != "2021-08-06":
			w.WriteHeader(http.StatusForbidden)
		default:
			_, _ = w.Write(examples.Baseline)
		}
	}))
	defer srv.Close()
	opts := &policy.ClientOptions{Transport: srv.Client(), Retry: policy.RetryOptions{MaxRetries: -1}}
	cred := &tokenCred{}
	ctx := context.Background()

	b, err := LoadBaseline(ctx, srv.URL+"/baselines/baseline.yaml", cred, opts)
	require.NoError(t, err)
	assert.Len(t, b.VNets, 5)
	assert.Equal(t, []string{StorageScope}, cred.scopes)
	assert.Equal(t, srv.URL+"/baselines/baseline.yaml", b.Path, "named by the URL")

	_, err = LoadBaseline(ctx, srv.URL+"/baselines/missing.yaml?sv=2022&sig=SECRET", cred, opts)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "404 BlobNotFound")
	assert.NotContains(t, err.Error(), "SECRET", "a SAS never shows")
}

func TestLoadBaselineRejects(t *testing.T) {
	for _, loc := range []string{"", "http://example.com/b.yaml?sig=SECRET", filepath.Join(t.TempDir(), "absent.yaml")} {
		_, err := LoadBaseline(context.Background(), loc, nil, nil)
		require.Error(t, err, loc)
		assert.NotContains(t, err.Error(), "SECRET")
	}
}

func TestLoadBaselineUnreachableBlobHidesTheSAS(t *testing.T) {
	opts := &policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}
	_, err := LoadBaseline(context.Background(), "https://127.0.0.1:1/b.yaml?sv=1&sig=SECRET", nil, opts)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "https://127.0.0.1:1/b.yaml")
	assert.NotContains(t, err.Error(), "SECRET")
}
