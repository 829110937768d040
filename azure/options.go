package azure

import (
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.uber.org/zap"
)

// Retry settings. ARM answers throttled reads with 429 and a Retry-After
// that can exceed the SDK's default 60 s cap; azcore does not retry at all
// when Retry-After exceeds MaxRetryDelay, so the cap is raised to wait out
// long values. 408, 429, 500, 502, 503 and 504 are retried (SDK default).
// A neighbourhood read of a hub is one request per peer, and one failed
// request fails the evaluation (and the events waiting for it): with 4
// retries and 30 % of requests failing, the soak test saw most hub reads
// fail. Six retries starting at 400 ms (doubling, with jitter: about 25 s
// worst case without Retry-After) make a 100-request read fail about 2 %
// of the time under that fault rate, within the 20 s evaluation budget in
// the common case.
const (
	maxRetries    = 6
	retryDelay    = 400 * time.Millisecond
	maxRetryDelay = 2 * time.Minute
)

// ClientOptions returns the ARM client options for endpoint ("" = Azure
// public cloud), used for the network clients and the Resource Graph
// client alike: the cloud configuration (endpoint and token audience),
// retries that honour Retry-After up to two minutes, and a per-try policy
// that counts calls into counter (may be nil) and logs throttling. Plain
// http is allowed for loopback endpoints only. Automatic resource provider
// registration is disabled: vnetdrift needs only the Reader role, which
// cannot register providers.
func ClientOptions(endpoint string, counter *CallCounter, log *zap.Logger) (*arm.ClientOptions, error) {
	ep, err := parseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	return &arm.ClientOptions{
		ClientOptions: policy.ClientOptions{
			Cloud:                           ep.cloud,
			InsecureAllowCredentialWithHTTP: ep.insecure,
			Retry:                           policy.RetryOptions{MaxRetries: maxRetries, RetryDelay: retryDelay, MaxRetryDelay: maxRetryDelay},
			PerRetryPolicies:                []policy.Policy{NewCountingPolicy(counter, log)},
		},
		DisableRPRegistration: true,
	}, nil
}
