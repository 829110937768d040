// Package email mails drift notices over SMTP: one mail per notice (all
// findings of one change, a resolved mail, or a reconcile digest) with a
// plain-text and an HTML part that say what the Teams card says.
//
// STARTTLS is mandatory unless the server is on loopback (a local test
// sink such as maildev). Authentication is PLAIN or LOGIN with a password,
// or XOAUTH2 with an Entra token, which is how Azure Communication Services
// SMTP is used with a managed identity.
//
// # Retries
//
// Notify returns retry=false for configuration and rendering errors and
// retry=true for connection and SMTP errors, which are wrapped with the
// step that failed (dial, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA). A
// failure is a *channel.Error; its RetryAfter() is always 0.
package email

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/wneessen/go-mail"
	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
)

// Notifier mails notices to one list of recipients. It is safe for
// concurrent use: each Notify opens its own connection.
type Notifier struct {
	cfg  Config
	host string
	port int
}

var _ alert.Notifier = (*Notifier)(nil)

// New checks cfg and returns a Notifier; it does not connect.
func New(cfg Config) (*Notifier, error) {
	cfg = cfg.withDefaults()
	host, port, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	return &Notifier{cfg: cfg, host: host, port: port}, nil
}

// Name returns the configured channel name ("email" by default).
func (n *Notifier) Name() string { return n.cfg.Name }

// Notify sends one mail for the notice. A notice without items sends
// nothing, except a digest.
func (n *Notifier) Notify(ctx context.Context, ns alert.Notice) (retry bool, err error) {
	if len(ns.Items) == 0 && !ns.Digest {
		return false, nil
	}
	msg, err := n.message(ns)
	if err != nil {
		return false, &channel.Error{Reason: channel.ReasonConfig, Err: fmt.Errorf("email: %w", err)}
	}
	client, err := n.client(ctx)
	if err != nil {
		return true, err
	}
	if err := n.send(ctx, client, msg); err != nil {
		return true, err
	}
	n.cfg.Logger.Debug("sent mail", zap.String("channel", n.cfg.Name), zap.String("server", n.cfg.Addr),
		zap.Int("recipients", len(n.cfg.To)), zap.Int("items", len(ns.Items)))
	return false, nil
}

func (n *Notifier) message(ns alert.Notice) (*mail.Msg, error) {
	c, err := Render(ns, n.cfg.PortalBaseURL, n.cfg.MaxFindings)
	if err != nil {
		return nil, err
	}
	m := mail.NewMsg()
	if err := m.From(n.cfg.From); err != nil {
		return nil, fmt.Errorf("setting sender %q: %w", n.cfg.From, err)
	}
	if err := m.To(n.cfg.To...); err != nil {
		return nil, fmt.Errorf("setting recipients: %w", err)
	}
	m.Subject(c.Subject)
	m.SetDate()
	m.SetMessageID()
	m.SetGenHeader("X-Vnetdrift-Reason", reasons(ns))
	m.SetBodyString(mail.TypeTextPlain, c.Text)
	m.AddAlternativeString(mail.TypeTextHTML, c.HTML)
	return m, nil
}

// reasons lists the distinct reasons of a notice's items, for mail filters.
func reasons(ns alert.Notice) string {
	if ns.Digest {
		return "digest"
	}
	var out []string
	seen := map[string]bool{}
	for _, it := range ns.Items {
		if r := it.Reason.String(); !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return strings.Join(out, ", ")
}

// client builds a go-mail client for one send; with XOAUTH2 it fetches
// the token first.
func (n *Notifier) client(ctx context.Context) (*mail.Client, error) {
	loopback := isLoopback(n.host)
	opts := []mail.Option{mail.WithPort(n.port), mail.WithTimeout(n.cfg.Timeout), mail.WithTLSPolicy(mail.TLSMandatory)}
	if loopback {
		opts[2] = mail.WithTLSPolicy(mail.TLSOpportunistic)
	}
	if n.cfg.Username != "" {
		secret, err := n.secret(ctx)
		if err != nil {
			return nil, err
		}
		opts = append(opts, mail.WithSMTPAuth(mechanism(n.cfg.Auth, loopback)),
			mail.WithUsername(n.cfg.Username), mail.WithPassword(secret))
	}
	c, err := mail.NewClient(n.host, opts...)
	if err != nil {
		return nil, &channel.Error{Reason: channel.ReasonConfig, Err: fmt.Errorf("email: configuring SMTP client for %s: %w", n.cfg.Addr, err)}
	}
	return c, nil
}

// secret returns the password, or for XOAUTH2 a fresh token.
func (n *Notifier) secret(ctx context.Context) (string, error) {
	if n.cfg.Auth != AuthXOAUTH2 {
		return n.cfg.Password.Reveal(), nil
	}
	tok, err := n.cfg.Credential.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{n.cfg.Scope}})
	if err != nil {
		return "", &channel.Error{Reason: channel.ReasonAuthError, Err: fmt.Errorf("email: getting an SMTP token for %s: %w", n.cfg.Scope, err)}
	}
	return tok.Token, nil
}

// mechanism maps Auth to go-mail's type. On loopback the NOENC variants
// allow PLAIN and LOGIN without TLS (a local sink); everywhere else
// STARTTLS is mandatory anyway.
func mechanism(a Auth, loopback bool) mail.SMTPAuthType {
	switch {
	case a == AuthXOAUTH2:
		return mail.SMTPAuthXOAUTH2
	case a == AuthLogin && loopback:
		return mail.SMTPAuthLoginNoEnc
	case a == AuthLogin:
		return mail.SMTPAuthLogin
	case loopback:
		return mail.SMTPAuthPlainNoEnc
	}
	return mail.SMTPAuthPlain
}

// send connects, authenticates, sends and quits, naming the step that
// failed.
func (n *Notifier) send(ctx context.Context, c *mail.Client, m *mail.Msg) error {
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		step, reason := connectStep(err)
		return n.fail(reason, fmt.Errorf("email: %s with %s: %w", step, n.cfg.Addr, err))
	}
	defer func() { _ = c.CloseWithSMTPClient(sc) }()
	if err := c.SendWithSMTPClient(sc, m); err != nil {
		return n.fail(channel.ReasonServerError, fmt.Errorf("email: sending %s to %s: %w", sendStep(err), n.cfg.Addr, err))
	}
	return nil
}

// fail wraps a send error and scrubs the password or token from it, in
// case a server quotes it back.
func (n *Notifier) fail(reason channel.Reason, err error) error {
	if p := n.cfg.Password.Reveal(); len(p) >= 4 && strings.Contains(err.Error(), p) {
		err = errors.New(strings.ReplaceAll(err.Error(), p, channel.Redacted))
	}
	return &channel.Error{Reason: reason, Err: err}
}
