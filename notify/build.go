package notify

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"

	"github.com/vnetdrift/vnetdrift/alert"
)

// Channel kinds, the keys of Factories.
const (
	KindTeams = "teams"
	KindEmail = "email"
)

// Channel is one channel of a receiver with its settings resolved: what a
// Factory builds a notifier from.
type Channel struct {
	Receiver string
	Kind     string // KindTeams or KindEmail
	Index    int    // position among the receiver's channels of this kind
	// URL is the Teams webhook URL. It is a secret: String and GoString
	// redact it, and nothing in this package logs it.
	URL string
	To  []string // email recipients
}

// Key is the channel's delivery target key, "receiver/kind/index": what
// alert.Item.Delivered records.
func (c Channel) Key() string { return fmt.Sprintf("%s/%s/%d", c.Receiver, c.Kind, c.Index) }

// String describes the channel without its URL.
func (c Channel) String() string { return c.Key() }

// GoString describes the channel without its URL, also for %#v.
func (c Channel) GoString() string { return "notify.Channel{" + c.Key() + "}" }

// Factory builds the notifier of one channel.
type Factory func(Channel) (alert.Notifier, error)

// Factories map channel kinds (KindTeams, KindEmail) to constructors, so
// that this package needs no channel package. A kind without a factory is
// an error when a receiver uses it.
type Factories map[string]Factory

// Target is one delivery target: a notifier and its stable key.
type Target struct {
	Key      string // "receiver/kind/index", or "sink/<name>" for sinks
	Notifier alert.Notifier
}

// Build resolves every receiver's settings with getenv (usually
// os.Getenv) and builds its targets with the factories. The default
// receiver, unless declared, gets a Teams channel when
// VNETDRIFT_TEAMS_WEBHOOK_URL is set and an email channel when
// VNETDRIFT_EMAIL_TO is; with neither it has no targets, and the items
// routed only to it go to the sinks alone.
func Build(r *Routing, getenv func(string) string, f Factories) (map[string][]Target, error) {
	if r == nil {
		r = DefaultRouting()
	}
	out := map[string][]Target{}
	var errs []error
	for _, rc := range receiversToBuild(r, getenv) {
		targets, err := buildReceiver(rc, getenv, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[rc.Name] = targets
	}
	return out, errors.Join(errs...)
}

// receiversToBuild returns the declared receivers and the implicit
// default one, sorted by name.
func receiversToBuild(r *Routing, getenv func(string) string) []Receiver {
	var list []Receiver
	for _, rc := range r.Receivers {
		list = append(list, rc)
	}
	if _, ok := r.Receivers[DefaultReceiver]; !ok {
		def := Receiver{Name: DefaultReceiver}
		if strings.TrimSpace(getenv(EnvTeamsWebhookURL)) != "" {
			def.Teams = []Teams{{URLFrom: EnvTeamsWebhookURL}}
		}
		if strings.TrimSpace(getenv(EnvEmailTo)) != "" {
			def.Email = []Email{{ToFrom: EnvEmailTo}}
		}
		list = append(list, def)
	}
	slices.SortFunc(list, func(a, b Receiver) int { return strings.Compare(a.Name, b.Name) })
	return list
}

func buildReceiver(rc Receiver, getenv func(string) string, f Factories) ([]Target, error) {
	var chans []Channel
	var errs []error
	for i, t := range rc.Teams {
		u, err := webhookURL(t.URLFrom, getenv)
		chans = append(chans, Channel{Receiver: rc.Name, Kind: KindTeams, Index: i, URL: u})
		errs = append(errs, err)
	}
	for i, e := range rc.Email {
		to, err := recipients(e, getenv)
		chans = append(chans, Channel{Receiver: rc.Name, Kind: KindEmail, Index: i, To: to})
		errs = append(errs, err)
	}
	targets := make([]Target, 0, len(chans))
	for i, c := range chans {
		if errs[i] != nil {
			errs[i] = fmt.Errorf("receiver %s: %s: %w", rc.Name, c.Key(), errs[i])
			continue
		}
		n, err := build(c, f)
		if err != nil {
			errs[i] = fmt.Errorf("receiver %s: %s: %w", rc.Name, c.Key(), err)
			continue
		}
		targets = append(targets, Target{Key: c.Key(), Notifier: n})
	}
	return targets, errors.Join(errs...)
}

func build(c Channel, f Factories) (alert.Notifier, error) {
	fn := f[c.Kind]
	if fn == nil {
		return nil, fmt.Errorf("no %s channel is configured in this deployment", c.Kind)
	}
	n, err := fn(c)
	if err != nil {
		return nil, fmt.Errorf("building %s channel: %w", c.Kind, err)
	}
	return n, nil
}

// webhookURL reads a webhook URL from its setting. Errors never quote it.
func webhookURL(setting string, getenv func(string) string) (string, error) {
	s := strings.TrimSpace(getenv(setting))
	if s == "" {
		return "", fmt.Errorf("setting %s is empty: it must hold the webhook URL", setting)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("setting %s does not hold an http(s) URL", setting)
	}
	return s, nil
}

// recipients returns an email channel's addresses.
func recipients(e Email, getenv func(string) string) ([]string, error) {
	if e.ToFrom == "" {
		return e.To, nil
	}
	var out []string
	for _, a := range strings.Split(getenv(e.ToFrom), ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if _, err := mail.ParseAddress(a); err != nil {
			return nil, fmt.Errorf("setting %s: bad email address %q", e.ToFrom, a)
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("setting %s is empty: it must hold comma-separated email addresses", e.ToFrom)
	}
	return out, nil
}
