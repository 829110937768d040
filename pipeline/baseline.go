package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/vnetdrift/vnetdrift/baseline"
)

// Blob read settings: the token scope of Azure Storage, the REST version
// sent in x-ms-version, and the largest baseline read.
const (
	StorageScope     = "https://storage.azure.com/.default"
	storageVersion   = "2021-08-06"
	maxBaselineBytes = 16 << 20
)

// LoadBaseline reads the baseline at loc (VNETDRIFT_BASELINE): a file
// path, or the https URL of a blob. A blob is read with a bearer token from
// cred for Azure Storage (the function's managed identity needs the
// Storage Blob Data Reader role); with a nil cred it is read anonymously,
// e.g. with a SAS in the URL. opts may set the transport (tests) and
// retries. Errors never show the URL's query, where a SAS would be.
func LoadBaseline(ctx context.Context, loc string, cred azcore.TokenCredential, opts *policy.ClientOptions) (*baseline.Baseline, error) {
	loc = strings.TrimSpace(loc)
	switch {
	case loc == "":
		return nil, errors.New("no baseline configured (VNETDRIFT_BASELINE or --baseline)")
	case strings.HasPrefix(strings.ToLower(loc), "http://"):
		return nil, fmt.Errorf("baseline %q: a blob URL must use https", redactURL(loc))
	case !strings.HasPrefix(strings.ToLower(loc), "https://"):
		return baseline.ReadFile(loc)
	}
	name := redactURL(loc)
	data, err := readBlob(ctx, loc, cred, opts)
	if err != nil {
		return nil, fmt.Errorf("reading baseline blob %q: %w", name, withoutQuery(err, loc))
	}
	return baseline.Parse(name, data)
}

// readBlob GETs a blob through an azcore pipeline (retries, and the bearer
// token policy when cred is set).
func readBlob(ctx context.Context, loc string, cred azcore.TokenCredential, opts *policy.ClientOptions) ([]byte, error) {
	var plOpts runtime.PipelineOptions
	if cred != nil {
		plOpts.PerRetry = []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{StorageScope}, nil)}
	}
	pl := runtime.NewPipeline("vnetdrift", "baseline", plOpts, opts)
	req, err := runtime.NewRequest(ctx, http.MethodGet, loc)
	if err != nil {
		return nil, errors.New("building the request failed") // the error would quote the URL
	}
	req.Raw().Header.Set("x-ms-version", storageVersion)
	resp, err := pl.Do(req)
	if err != nil {
		return nil, scrub(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBaselineBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the body: %w", scrub(err))
	}
	if len(data) > maxBaselineBytes {
		return nil, fmt.Errorf("larger than %d bytes", maxBaselineBytes)
	}
	return data, nil
}

// redactURL drops the query, fragment and user info of a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// withoutQuery makes sure an error does not quote the URL's query (a SAS
// token): the text is rewritten, and the chain lost, only if it does.
func withoutQuery(err error, loc string) error {
	u, perr := url.Parse(loc)
	if perr != nil || u.RawQuery == "" || !strings.Contains(err.Error(), u.RawQuery) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), u.RawQuery, "<redacted>"))
}

// scrub replaces the URL inside a *url.Error with its redacted form.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: redactURL(ue.URL), Err: ue.Err}
	}
	return err
}
