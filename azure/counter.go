package azure

import (
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.uber.org/zap"
)

// CallCounter counts HTTP calls to ARM and Resource Graph. It is safe for
// concurrent use; the zero value is ready.
type CallCounter struct{ n atomic.Int64 }

// Add records n calls.
func (c *CallCounter) Add(n int64) { c.n.Add(n) }

// Load returns the number of calls recorded.
func (c *CallCounter) Load() int64 { return c.n.Load() }

// Rate-limit headers ARM and Resource Graph answer with.
const (
	headerReadsRemaining = "x-ms-ratelimit-remaining-subscription-reads"
	headerGraphRemaining = "x-ms-user-quota-remaining"
	headerRetryAfter     = "Retry-After"
)

// lowQuota maps each quota header to the remaining value under which a
// warning is logged: ARM's read bucket holds 250 tokens and refills 25 a
// second; Resource Graph allows 15 queries per 5 seconds per user.
var lowQuota = map[string]int{headerReadsRemaining: 50, headerGraphRemaining: 3}

// NewCountingPolicy returns a pipeline policy that adds one to counter for
// every try it sees (place it among the per-retry policies so retries
// count), logs the remaining-read quota headers at debug level, and logs
// throttling (429) and a low remaining quota at warn level. It logs the
// method and URL path only: never headers with credentials or the query.
func NewCountingPolicy(counter *CallCounter, log *zap.Logger) policy.Policy {
	if log == nil {
		log = zap.NewNop()
	}
	return countingPolicy{counter: counter, log: log}
}

type countingPolicy struct {
	counter *CallCounter
	log     *zap.Logger
}

// Do implements policy.Policy.
func (p countingPolicy) Do(req *policy.Request) (*http.Response, error) {
	if p.counter != nil {
		p.counter.Add(1)
	}
	resp, err := req.Next()
	if err != nil || resp == nil {
		return resp, err
	}
	fields := []zap.Field{
		zap.String("method", req.Raw().Method),
		zap.String("path", req.Raw().URL.Path),
		zap.Int("status", resp.StatusCode),
	}
	p.logQuota(resp, fields)
	if resp.StatusCode == http.StatusTooManyRequests {
		p.log.Warn("azure: throttled (429)", append(fields,
			zap.String("retryAfter", resp.Header.Get(headerRetryAfter)),
			zap.String("errorCode", resp.Header.Get("x-ms-error-code")))...)
	}
	return resp, nil
}

func (p countingPolicy) logQuota(resp *http.Response, fields []zap.Field) {
	for h, low := range lowQuota {
		v := resp.Header.Get(h)
		if v == "" {
			continue
		}
		f := append(fields, zap.String(h, v))
		if n, err := strconv.Atoi(v); err == nil && n < low {
			p.log.Warn("azure: read quota running low", f...)
			continue
		}
		p.log.Debug("azure: read quota", f...)
	}
}
