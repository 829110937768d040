package eventgridpub

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
)

// Secret is a string that never prints (String, %#v, JSON and text all
// give "<redacted>"): the topic access key is one.
type Secret = channel.Secret

// Environment variables read by ConfigFromEnv.
const (
	EnvTopicEndpoint = "VNETDRIFT_EVENTGRID_TOPIC_ENDPOINT" // https://<topic>.<region>-1.eventgrid.azure.net/api/events
	EnvTopicKey      = "VNETDRIFT_EVENTGRID_TOPIC_KEY"      // secret; empty: Entra ID
)

// Defaults applied by New to zero Config fields.
const (
	DefaultName    = "eventgrid"
	DefaultTimeout = 30 * time.Second
)

// Config configures publishing to one Event Grid custom topic.
type Config struct {
	Name     string // channel name in logs and routes (default "eventgrid")
	Endpoint string // the topic endpoint, https only
	// Key is a topic access key, sent in the aeg-sas-key header. When it is
	// empty, Credential (Entra ID; the identity needs the "EventGrid Data
	// Sender" role on the topic) authenticates instead.
	Key        Secret
	Credential azcore.TokenCredential
	// Tenant names the event source when a finding's resource ID has no
	// subscription: source is /vnetdrift/<subscription ID or tenant>.
	Tenant string
	// HTTPClient sends the requests (default: a client with a 30 s
	// timeout); tests pass an httptest TLS server's client.
	HTTPClient    *http.Client
	PortalBaseURL string      // Azure portal the events link to (default public cloud)
	Logger        *zap.Logger // one debug line per publish, never the key
}

// ConfigFromEnv reads the endpoint and key from
// VNETDRIFT_EVENTGRID_TOPIC_ENDPOINT and VNETDRIFT_EVENTGRID_TOPIC_KEY; cred
// is used when the key is unset. ok is false when the endpoint is unset.
// getenv is usually os.Getenv.
func ConfigFromEnv(getenv func(string) string, cred azcore.TokenCredential) (cfg Config, ok bool) {
	cfg = Config{Endpoint: strings.TrimSpace(getenv(EnvTopicEndpoint)), Key: Secret(strings.TrimSpace(getenv(EnvTopicKey)))}
	if cfg.Key == "" {
		cfg.Credential = cred
	}
	return cfg, cfg.Endpoint != ""
}

func (c Config) withDefaults() Config {
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultTimeout}
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	return c
}

// validate checks the endpoint and that one way to authenticate is set; it
// returns the endpoint's host.
func (c Config) validate() (string, error) {
	u, err := url.Parse(c.Endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("eventgrid: topic endpoint %q: want https://<topic>.<region>-1.eventgrid.azure.net/api/events", c.Endpoint)
	}
	if c.Key == "" && c.Credential == nil {
		return "", errors.New("eventgrid: need a topic key or a token credential")
	}
	return u.Host, nil
}
