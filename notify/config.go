package notify

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
)

// Defaults of the routing config.
const (
	// DefaultRepeatInterval is how often a still-open drift is notified
	// again when the routes block does not say.
	DefaultRepeatInterval = 24 * time.Hour
	// DefaultReceiver is the receiver of findings no route matches, unless
	// routes.default says otherwise. Unless the receivers block declares
	// it, it is built from VNETDRIFT_TEAMS_WEBHOOK_URL and VNETDRIFT_EMAIL_TO.
	DefaultReceiver = "default"
)

// Routing is the parsed "routes" and "receivers" blocks of a baseline.
type Routing struct {
	// RepeatInterval is how long a still-open drift waits before it is
	// notified again; 0 turns repeats off. Pass it to State.Record.
	RepeatInterval time.Duration
	// Default names the receivers of findings that no route matches.
	Default []string
	// Routes are tried in order; the first match wins unless it says
	// continue.
	Routes []Route
	// Receivers by name.
	Receivers map[string]Receiver
}

// Route sends the findings it matches to receivers.
type Route struct {
	Match     Match
	Receivers []string
	Continue  bool // keep trying the routes after this one
	Line      int
}

// Match selects findings; every set field must match. Patterns are
// case-insensitive and '*' matches any run of characters, '/' included.
type Match struct {
	MinSeverity *detector.Severity // nil: any
	Rule        string             // rule ID pattern; "": any
	VNet        string             // VNet ID pattern; "": any
	Resource    string             // resource ID pattern; "": any
}

// Receiver is a named set of channels.
type Receiver struct {
	Name  string
	Teams []Teams
	Email []Email
	Line  int
}

// Teams is one Teams Workflows webhook. The baseline names the setting
// (environment variable, app setting, Key Vault reference) that holds the
// URL, never the URL: it carries the signature that authorizes posts.
type Teams struct {
	URLFrom string
}

// Email is one list of recipients: To, or the comma-separated addresses
// in the setting ToFrom.
type Email struct {
	To     []string
	ToFrom string
}

// Names of the settings the default receiver is built from.
const (
	EnvTeamsWebhookURL = "VNETDRIFT_TEAMS_WEBHOOK_URL"
	EnvEmailTo         = "VNETDRIFT_EMAIL_TO"
)

// DefaultRouting is the routing of a baseline without routes or
// receivers: everything to the default receiver, repeated daily.
func DefaultRouting() *Routing {
	return &Routing{RepeatInterval: DefaultRepeatInterval, Default: []string{DefaultReceiver}, Receivers: map[string]Receiver{}}
}

// Patterns shared with baseline/schema.json (a test keeps them equal).
var (
	receiverName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)
	settingName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	durationText = regexp.MustCompile(`^(0|([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+)$`)
	emailAddress = regexp.MustCompile(`^[^@\s<>",;]+@[^@\s<>",;]+$`)
)

// severities are the severity names a match accepts.
var severities = map[string]detector.Severity{"low": detector.SeverityLow, "medium": detector.SeverityMedium, "high": detector.SeverityHigh}

// ParseRouting checks and decodes the routes and receivers blocks of b
// (nil: none). Problems are *baseline.Error values located by line and
// field path, joined.
func ParseRouting(b *baseline.Baseline) (*Routing, error) {
	r := DefaultRouting()
	if b == nil || b.Routing.Kind == 0 {
		return r, nil
	}
	d := &decoder{file: b.Path}
	for i := 0; i+1 < len(b.Routing.Content); i += 2 {
		switch k, v := b.Routing.Content[i].Value, b.Routing.Content[i+1]; k {
		case "routes":
			d.routes(v, r)
		case "receivers":
			d.receivers(v, r)
		}
	}
	d.references(r)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return r, nil
}

// routes decodes the routes block.
func (d *decoder) routes(n *yaml.Node, r *Routing) {
	d.mapping("routes", n, fields{
		"repeatInterval": func(p string, v *yaml.Node) { r.RepeatInterval = d.duration(p, v) },
		"default":        func(p string, v *yaml.Node) { r.Default = d.names(p, v) },
		"routes": func(p string, v *yaml.Node) {
			d.sequence(p, v, func(p string, v *yaml.Node) { r.Routes = append(r.Routes, d.route(p, v)) })
		},
	})
}

func (d *decoder) route(path string, n *yaml.Node) Route {
	rt := Route{Line: n.Line}
	d.mapping(path, n, fields{
		"match":     func(p string, v *yaml.Node) { rt.Match = d.match(p, v) },
		"receivers": func(p string, v *yaml.Node) { rt.Receivers = d.names(p, v) },
		"continue":  func(p string, v *yaml.Node) { rt.Continue = d.boolean(p, v) },
	})
	if rt.Receivers == nil && n.Kind == yaml.MappingNode {
		d.failf(n, path, "receivers: missing (required)")
	}
	return rt
}

func (d *decoder) match(path string, n *yaml.Node) Match {
	var m Match
	d.mapping(path, n, fields{
		"severity": func(p string, v *yaml.Node) {
			s, _ := d.scalar(p, v, "!!str", "low, medium or high")
			if sev, ok := severities[s]; ok {
				m.MinSeverity = &sev
			} else if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
				d.failf(v, p, "unknown severity %q: want low, medium or high", s)
			}
		},
		"rule":     func(p string, v *yaml.Node) { m.Rule = d.pattern(p, v, false) },
		"vnet":     func(p string, v *yaml.Node) { m.VNet = d.pattern(p, v, true) },
		"resource": func(p string, v *yaml.Node) { m.Resource = d.pattern(p, v, true) },
	})
	return m
}

// receivers decodes the receivers block.
func (d *decoder) receivers(n *yaml.Node, r *Routing) {
	d.each("receivers", n, func(name, p string, k, v *yaml.Node) {
		if !receiverName.MatchString(name) {
			d.failf(k, p, "bad receiver name: want letters, digits, '.', '_' or '-'")
		}
		rc := Receiver{Name: name, Line: k.Line}
		d.mapping(p, v, fields{
			"teams": func(p string, v *yaml.Node) {
				d.sequence(p, v, func(p string, v *yaml.Node) { rc.Teams = append(rc.Teams, d.teams(p, v)) })
			},
			"email": func(p string, v *yaml.Node) {
				d.sequence(p, v, func(p string, v *yaml.Node) { rc.Email = append(rc.Email, d.email(p, v)) })
			},
		})
		r.Receivers[name] = rc
	})
}

func (d *decoder) teams(path string, n *yaml.Node) Teams {
	var t Teams
	d.mapping(path, n, fields{"urlFrom": func(p string, v *yaml.Node) { t.URLFrom = d.setting(p, v) }})
	if t.URLFrom == "" && n.Kind == yaml.MappingNode {
		d.failf(n, path, "urlFrom: missing (required): name the setting that holds the webhook URL")
	}
	return t
}

func (d *decoder) email(path string, n *yaml.Node) Email {
	var e Email
	d.mapping(path, n, fields{
		"to":     func(p string, v *yaml.Node) { e.To = d.addresses(p, v) },
		"toFrom": func(p string, v *yaml.Node) { e.ToFrom = d.setting(p, v) },
	})
	if (len(e.To) == 0) == (e.ToFrom == "") && n.Kind == yaml.MappingNode {
		d.failf(n, path, "want exactly one of to (addresses) and toFrom (a setting)")
	}
	return e
}

// setting decodes the name of a setting that holds a secret or a list.
func (d *decoder) setting(path string, n *yaml.Node) string {
	s := d.str(path, n)
	if s != "" && !settingName.MatchString(s) {
		d.failf(n, path, "want the name of a setting (letters, digits, '_'), not its value")
		return ""
	}
	return s
}

func (d *decoder) addresses(path string, n *yaml.Node) []string {
	var out []string
	d.sequence(path, n, func(p string, v *yaml.Node) {
		s := d.str(p, v)
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s || !emailAddress.MatchString(s) {
			d.failf(v, p, "bad email address %q: want name@domain", s)
			return
		}
		out = append(out, s)
	})
	return out
}

// references checks that routes name declared receivers; the default
// receiver needs no declaration.
func (d *decoder) references(r *Routing) {
	check := func(path string, line int, names []string) {
		for _, n := range names {
			if _, ok := r.Receivers[n]; !ok && n != DefaultReceiver {
				d.failLine(line, path, fmt.Errorf("unknown receiver %q; declared: %s", n, strings.Join(declared(r), ", ")))
			}
		}
	}
	check("routes.default", 0, r.Default)
	for i, rt := range r.Routes {
		check(fmt.Sprintf("routes.routes[%d].receivers", i), rt.Line, rt.Receivers)
	}
}

func declared(r *Routing) []string {
	names := []string{DefaultReceiver}
	for n := range r.Receivers {
		if n != DefaultReceiver {
			names = append(names, n)
		}
	}
	slices.Sort(names[1:])
	return names
}
