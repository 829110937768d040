package email

import (
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
)

// Secret is a string that never prints (String, %#v, JSON and text all
// give "<redacted>"): the SMTP password is one.
type Secret = channel.Secret

// Auth is an SMTP authentication mechanism.
type Auth string

// Mechanisms. PLAIN and LOGIN send Username and Password; XOAUTH2 sends
// Username and an Entra token from Config.Credential (Azure Communication
// Services SMTP).
const (
	AuthPlain   Auth = "plain"
	AuthLogin   Auth = "login"
	AuthXOAUTH2 Auth = "xoauth2"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvAddr     = "VNETDRIFT_SMTP_ADDR"     // host:port, e.g. smtp.azurecomm.net:587
	EnvUsername = "VNETDRIFT_SMTP_USERNAME" // empty: no authentication
	EnvPassword = "VNETDRIFT_SMTP_PASSWORD" // secret; unused with xoauth2
	EnvAuth     = "VNETDRIFT_SMTP_AUTH"     // plain (default), login or xoauth2
	EnvFrom     = "VNETDRIFT_EMAIL_FROM"
	EnvTo       = "VNETDRIFT_EMAIL_TO" // comma-separated
)

// Defaults applied by New to zero Config fields.
const (
	DefaultName        = "email"
	DefaultTimeout     = 30 * time.Second
	DefaultScope       = "https://communication.azure.com/.default" // ACS SMTP XOAUTH2
	DefaultMaxFindings = 200
)

// Config configures one mail route: a server and a list of recipients.
type Config struct {
	Name     string // channel name in logs and routes (default "email")
	Addr     string // SMTP server host:port; STARTTLS is mandatory unless the host is loopback
	Username string // empty: no SMTP AUTH
	Password Secret
	Auth     Auth // default plain
	// Credential supplies the XOAUTH2 token (Auth xoauth2), e.g. the
	// Function App's managed identity; Scope defaults to DefaultScope.
	Credential azcore.TokenCredential
	Scope      string
	From       string   // sender address, e.g. "vnetdrift <drift@contoso.com>"
	To         []string // recipients
	Timeout    time.Duration
	// MaxFindings bounds the findings listed in one mail (default 200;
	// the rest are counted as "+N more").
	MaxFindings   int
	PortalBaseURL string      // Azure portal the mail links to (default public cloud)
	Logger        *zap.Logger // one debug line per mail, never the password
}

// ConfigFromEnv reads a Config from the VNETDRIFT_SMTP_* and
// VNETDRIFT_EMAIL_* variables; ok is false when VNETDRIFT_SMTP_ADDR is
// unset. cred is used for xoauth2 (may be nil otherwise). getenv is
// usually os.Getenv.
func ConfigFromEnv(getenv func(string) string, cred azcore.TokenCredential) (cfg Config, ok bool) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	cfg = Config{
		Addr: get(EnvAddr), Username: get(EnvUsername), Password: Secret(getenv(EnvPassword)),
		Auth: Auth(strings.ToLower(get(EnvAuth))), From: get(EnvFrom), To: splitList(get(EnvTo)),
	}
	if cfg.Auth == AuthXOAUTH2 {
		cfg.Credential = cred
	}
	return cfg, cfg.Addr != ""
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c Config) withDefaults() Config {
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.Auth == "" {
		c.Auth = AuthPlain
	}
	if c.Scope == "" {
		c.Scope = DefaultScope
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxFindings <= 0 {
		c.MaxFindings = DefaultMaxFindings
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	return c
}

// validate checks c (after withDefaults) and returns the server's host
// and port. Errors never include the password.
func (c Config) validate() (host string, port int, err error) {
	host, p, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		return "", 0, fmt.Errorf("email: SMTP address %q: want host:port", c.Addr)
	}
	if port, err = strconv.Atoi(p); err != nil || port <= 0 || port > 65535 {
		return "", 0, fmt.Errorf("email: SMTP address %q: bad port", c.Addr)
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		return "", 0, fmt.Errorf("email: sender %q: %w", c.From, err)
	}
	if len(c.To) == 0 {
		return "", 0, errors.New("email: no recipients")
	}
	for _, to := range c.To {
		if _, err := netmail.ParseAddress(to); err != nil {
			return "", 0, fmt.Errorf("email: recipient %q: %w", to, err)
		}
	}
	return host, port, c.validateAuth()
}

func (c Config) validateAuth() error {
	switch c.Auth {
	case AuthPlain, AuthLogin:
		if c.Username != "" && c.Password == "" {
			return fmt.Errorf("email: SMTP auth %s for user %q: password is empty", c.Auth, c.Username)
		}
	case AuthXOAUTH2:
		if c.Username == "" || c.Credential == nil {
			return errors.New("email: SMTP auth xoauth2 needs a username and a token credential")
		}
	default:
		return fmt.Errorf("email: SMTP auth %q: want plain, login or xoauth2", string(c.Auth))
	}
	return nil
}

// isLoopback reports whether host is localhost or a loopback address, the
// only servers that may be reached without STARTTLS.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
