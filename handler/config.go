package handler

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"strings"
	"time"

	"go.uber.org/zap"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxBodyBytes      = 1 << 20          // Event Grid's event size limit is 1 MB
	DefaultDeadline          = 25 * time.Second // Event Grid waits 30 s for an answer
	DefaultReconcileDeadline = 4 * time.Minute  // inside the Consumption plan's 5 min functionTimeout
	DefaultDedupSize         = 10000
	DefaultDedupWindow       = 10 * time.Minute
)

// Config configures the HTTP handler. The zero value works for the
// Functions routes; /api/events also needs WebhookKey or
// AllowUnauthenticated.
type Config struct {
	// Subscriptions lists the subscription IDs whose events are handled
	// (VNETDRIFT_SUBSCRIPTIONS); empty accepts all. An event is handled
	// only when both its data.subscriptionId and the subscription of the
	// changed resource are listed.
	Subscriptions []string
	// WebhookKey is the shared key /api/events requires in the
	// x-vnetdrift-key header or the code query parameter
	// (VNETDRIFT_WEBHOOK_KEY). When it is empty /api/events is not served
	// unless AllowUnauthenticated is set.
	WebhookKey Secret
	// AllowUnauthenticated serves /api/events without a key when WebhookKey
	// is empty; for local tests only.
	AllowUnauthenticated bool
	// MaxBodyBytes bounds a webhook body (default 1 MiB). A Functions
	// invocation carries the event twice (Data and Metadata.data), so those
	// routes accept 3×MaxBodyBytes.
	MaxBodyBytes int64
	// Deadline bounds the handling of one event invocation or webhook
	// delivery (default 25 s, inside Event Grid's 30 s).
	Deadline time.Duration
	// ReconcileDeadline bounds one timer-triggered reconcile (default 4 min).
	ReconcileDeadline time.Duration
	// DedupSize and DedupWindow bound the memory of handled event IDs
	// (defaults 10000 IDs, 10 min).
	DedupSize   int
	DedupWindow time.Duration
	Logger      *zap.Logger // default: no logging
	Metrics     *Metrics    // default: a private Metrics served on /metrics
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Deadline <= 0 {
		c.Deadline = DefaultDeadline
	}
	if c.ReconcileDeadline <= 0 {
		c.ReconcileDeadline = DefaultReconcileDeadline
	}
	if c.DedupSize <= 0 {
		c.DedupSize = DefaultDedupSize
	}
	if c.DedupWindow <= 0 {
		c.DedupWindow = DefaultDedupWindow
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	if c.Metrics == nil {
		c.Metrics = NewMetrics()
	}
	return c
}

// ConfigFromEnv reads Subscriptions from VNETDRIFT_SUBSCRIPTIONS (IDs
// separated by commas or spaces) and WebhookKey from VNETDRIFT_WEBHOOK_KEY.
// getenv is usually os.Getenv.
func ConfigFromEnv(getenv func(string) string) Config {
	return Config{
		Subscriptions: strings.FieldsFunc(getenv("VNETDRIFT_SUBSCRIPTIONS"), func(r rune) bool {
			return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n'
		}),
		WebhookKey: Secret(strings.TrimSpace(getenv("VNETDRIFT_WEBHOOK_KEY"))),
	}
}

// ListenAddr returns the address to serve on: 127.0.0.1 and the port the
// Functions host passes in FUNCTIONS_CUSTOMHANDLER_PORT (or the older
// FUNCTIONS_HTTPWORKER_PORT); without either, fallback.
func ListenAddr(getenv func(string) string, fallback string) string {
	for _, name := range []string{"FUNCTIONS_CUSTOMHANDLER_PORT", "FUNCTIONS_HTTPWORKER_PORT"} {
		if port := strings.TrimSpace(getenv(name)); port != "" {
			return net.JoinHostPort("127.0.0.1", port)
		}
	}
	return fallback
}

// Secret is a string that never prints: String, GoString, MarshalJSON and
// MarshalText all give "<redacted>".
type Secret string

const redacted = "<redacted>"

// String returns "<redacted>".
func (Secret) String() string { return redacted }

// GoString returns "<redacted>", also for %#v.
func (Secret) GoString() string { return redacted }

// MarshalJSON returns the JSON string "<redacted>".
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "<redacted>".
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Equal reports whether s equals candidate, in time that depends on
// neither value nor length (both are hashed first).
func (s Secret) Equal(candidate string) bool {
	a := sha256.Sum256([]byte(s))
	b := sha256.Sum256([]byte(candidate))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
