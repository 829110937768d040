package teams

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
)

// Secret is a string that never prints (String, %#v, JSON and text all
// give "<redacted>"); the webhook URL is one, because it carries the
// signature that authorizes posts.
type Secret = channel.Secret

// Defaults applied by New to zero Config fields.
const (
	DefaultName        = "teams"
	DefaultMinInterval = time.Second      // at most one post per second per webhook
	DefaultTimeout     = 30 * time.Second // per post, when HTTPClient is nil
)

// EnvWebhookURL names the environment variable that holds the webhook URL.
const EnvWebhookURL = "VNETDRIFT_TEAMS_WEBHOOK_URL"

// Config configures one Teams Workflows webhook.
type Config struct {
	// Name is the channel's name in logs and routes (default "teams").
	Name string
	// URL is the Workflows "When a Teams webhook request is received" URL,
	// passed on unchanged (re-encoding its sig parameter gives 401).
	URL Secret
	// HTTPClient posts the card (default: a client with a 30 s timeout).
	HTTPClient *http.Client
	// MinInterval spaces posts to the same webhook URL, across every
	// Notifier of this process (default 1 s; negative: no spacing).
	MinInterval time.Duration
	// PortalBaseURL is the Azure portal the card links to (default
	// https://portal.azure.com).
	PortalBaseURL string
	// Logger gets one debug line per post, never the URL (default: none).
	Logger *zap.Logger
}

// ConfigFromEnv reads the webhook URL from VNETDRIFT_TEAMS_WEBHOOK_URL; ok
// is false when it is unset. getenv is usually os.Getenv.
func ConfigFromEnv(getenv func(string) string) (cfg Config, ok bool) {
	u := strings.TrimSpace(getenv(EnvWebhookURL))
	return Config{URL: Secret(u)}, u != ""
}

func (c Config) withDefaults() Config {
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultTimeout}
	}
	if c.MinInterval == 0 {
		c.MinInterval = DefaultMinInterval
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	return c
}

// validate checks the URL without ever printing it: the errors name only
// what is wrong.
func (c Config) validate() (*url.URL, error) {
	if c.URL == "" {
		return nil, errors.New("teams: webhook URL is empty")
	}
	u, err := url.Parse(c.URL.Reveal())
	if err != nil {
		return nil, errors.New("teams: webhook URL does not parse")
	}
	if u.Host == "" {
		return nil, errors.New("teams: webhook URL has no host")
	}
	if u.Scheme != "https" && (u.Scheme != "http" || !isLoopback(u.Hostname())) {
		return nil, fmt.Errorf("teams: webhook URL scheme %q: want https (http only on loopback)", u.Scheme)
	}
	if c.PortalBaseURL != "" && !strings.HasPrefix(c.PortalBaseURL, "https://") {
		return nil, fmt.Errorf("teams: portal base URL %q: want https://", c.PortalBaseURL)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
