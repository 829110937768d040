package azure

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
	"go.uber.org/zap"
)

// DefaultConcurrency bounds concurrent reads when Config.Concurrency is 0.
const DefaultConcurrency = 8

// Config configures a Reader.
type Config struct {
	// Endpoint is the ARM endpoint (VNETDRIFT_ARM_ENDPOINT); "" means the
	// Azure public cloud. Resource Graph is reached at the same endpoint.
	Endpoint string
	// Subscriptions are the subscriptions ReadAll reads.
	Subscriptions []string
	// Credential authenticates; nil means NewCredential(Endpoint).
	Credential azcore.TokenCredential
	// Concurrency bounds the HTTP calls in flight; 0 means DefaultConcurrency.
	Concurrency int
	// Logger receives throttling warnings and the read path; nil discards.
	Logger *zap.Logger
	// PollFrequency is the polling interval of long-running operations
	// started with this Reader's clients; 0 means the SDK default (30 s).
	PollFrequency time.Duration

	// Test hooks (unexported so only this package's tests set them).
	transport  policy.Transporter // replaces the HTTP client
	retryDelay time.Duration      // first retry delay without Retry-After
	graphTop   int32              // Resource Graph page size; 0 = graphPageSize
}

// Reader reads network resources from Azure Resource Manager and Azure
// Resource Graph. It is safe for concurrent use.
type Reader struct {
	cfg     Config
	log     *zap.Logger
	cred    azcore.TokenCredential
	opts    *arm.ClientOptions
	counter CallCounter
	sem     chan struct{}
	graph   *armresourcegraph.Client

	mu        sync.Mutex
	factories map[string]*armnetwork.ClientFactory // by lower-case subscription ID
}

// New returns a Reader for cfg. It validates the endpoint and creates the
// credential, but makes no call.
func New(cfg Config) (*Reader, error) {
	r := &Reader{cfg: cfg, log: cfg.Logger, cred: cfg.Credential, factories: map[string]*armnetwork.ClientFactory{}}
	if r.log == nil {
		r.log = zap.NewNop()
	}
	opts, err := ClientOptions(cfg.Endpoint, &r.counter, r.log)
	if err != nil {
		return nil, err
	}
	if cfg.transport != nil {
		opts.Transport = cfg.transport
	}
	if cfg.retryDelay != 0 {
		opts.Retry.RetryDelay = cfg.retryDelay
	}
	r.opts = opts
	if r.cred == nil {
		if r.cred, err = NewCredential(cfg.Endpoint); err != nil {
			return nil, err
		}
	}
	n := cfg.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	r.sem = make(chan struct{}, n)
	if r.graph, err = armresourcegraph.NewClient(r.cred, r.opts); err != nil {
		return nil, fmt.Errorf("creating Resource Graph client: %w", err)
	}
	return r, nil
}

// Calls returns the number of HTTP calls made to ARM and Resource Graph so
// far; every try of a retried call counts.
func (r *Reader) Calls() int64 { return r.counter.Load() }

// Networks returns the armnetwork client factory for a subscription. Its
// clients share this Reader's pipeline: retries, throttling logs and the
// call counter.
func (r *Reader) Networks(subscriptionID string) (*armnetwork.ClientFactory, error) {
	key := strings.ToLower(subscriptionID)
	r.mu.Lock()
	defer r.mu.Unlock()
	if f := r.factories[key]; f != nil {
		return f, nil
	}
	f, err := armnetwork.NewClientFactory(subscriptionID, r.cred, r.opts)
	if err != nil {
		return nil, fmt.Errorf("creating network clients for subscription %q: %w", subscriptionID, err)
	}
	r.factories[key] = f
	return f, nil
}

// PollOptions returns the options for PollUntilDone on long-running
// operations of this Reader's clients (Config.PollFrequency).
func (r *Reader) PollOptions() *runtime.PollUntilDoneOptions {
	return &runtime.PollUntilDoneOptions{Frequency: r.cfg.PollFrequency}
}

// call runs fn while holding one of the Reader's concurrency slots.
// A cancelled ctx fails at once, without a call.
func call[T any](ctx context.Context, r *Reader, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	defer func() { <-r.sem }()
	return fn(ctx)
}
