package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// replayKeyEnv supplies --key when the flag is not given, so that the key
// stays out of shell history and process listings.
const replayKeyEnv = "VNETDRIFT_WEBHOOK_KEY"

// exitNotDelivered is replay's exit code when an event was not accepted.
const exitNotDelivered = 1

// deadLetterFields are the properties Event Grid adds to an event it
// dead-letters; they are reported and removed before the event is sent
// again. (learn.microsoft.com/azure/event-grid/manage-event-delivery)
var deadLetterFields = []string{
	"deadLetterReason", "deliveryAttempts", "lastDeliveryOutcome", "lastHttpStatusCode",
	"publishTime", "lastDeliveryAttemptTime",
}

type replayOptions struct {
	file, to, key string
	timeout       time.Duration
	dryRun        bool
}

func runReplay(env *Env, args []string) int {
	var o replayOptions
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.StringVar(&o.file, "file", "", "dead-letter file: JSON array(s) of events as Event Grid writes them to blob storage, or - for standard input")
	fs.StringVar(&o.to, "to", "", "where to POST the events: vnetdrift's https://…/api/events, or the Function App's /runtime/webhooks/eventgrid?functionName=OnResourceChange&code=… URL")
	fs.StringVar(&o.key, "key", "", "webhook key, sent in the x-vnetdrift-key header (default $"+replayKeyEnv+")")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "time limit of each POST")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list the events without sending them")
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	if o.key == "" {
		o.key = env.Getenv(replayKeyEnv)
	}
	target, err := o.validate()
	if err != nil {
		return fail(env, "replay", err)
	}
	events, err := readDeadLetters(env, o.file)
	if err != nil {
		return fail(env, "replay", err)
	}
	return replay(env, o, target, events)
}

// validate checks the options and returns the parsed target URL.
func (o replayOptions) validate() (*url.URL, error) {
	if o.file == "" {
		return nil, errors.New("--file is required")
	}
	if o.dryRun && o.to == "" {
		return nil, nil
	}
	if o.to == "" {
		return nil, errors.New("--to is required (or --dry-run)")
	}
	u, err := url.Parse(o.to)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("--to %s: want an absolute http(s) URL", redactURL(o.to))
	}
	if u.Scheme == "http" && !loopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("--to %s: plain http is allowed only to a loopback address (the events and key would cross the network in clear text)", redactURL(o.to))
	}
	return u, nil
}

func loopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}

// redactURL returns raw without its query string, which may hold a key
// (the Functions system key travels as code=…).
func redactURL(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i] + "?…"
	}
	return raw
}

// deadLetter is one event read from a dead-letter file.
type deadLetter struct {
	fields                    map[string]json.RawMessage // the event without the dead-letter properties
	id, kind, subject, reason string
	attempts, outcome         string
	cloudEvent                bool
}

// readDeadLetters reads a stream of JSON values, each an array of events (a
// dead-letter blob) or a single event, so that blobs can be concatenated.
func readDeadLetters(env *Env, file string) ([]deadLetter, error) {
	var r io.Reader = env.Stdin
	name := "standard input"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("reading dead-letter file: %w", err)
		}
		defer f.Close()
		r, name = f, file
	}
	dec := json.NewDecoder(r)
	var events []deadLetter
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		batch, err := splitEvents(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: value %d: %w", name, len(events)+1, err)
		}
		for _, ev := range batch {
			dl, err := parseDeadLetter(ev)
			if err != nil {
				return nil, fmt.Errorf("%s: event %d: %w", name, len(events)+1, err)
			}
			events = append(events, dl)
		}
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("%s: no events", name)
	}
	return events, nil
}

// splitEvents returns the events of a JSON array, or raw itself when it is
// one event object.
func splitEvents(raw json.RawMessage) ([]map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var evs []map[string]json.RawMessage
		if err := json.Unmarshal(raw, &evs); err != nil {
			return nil, fmt.Errorf("want an array of event objects: %w", err)
		}
		return evs, nil
	}
	var ev map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, fmt.Errorf("want an event object or an array of them: %w", err)
	}
	return []map[string]json.RawMessage{ev}, nil
}

func parseDeadLetter(ev map[string]json.RawMessage) (deadLetter, error) {
	dl := deadLetter{fields: ev}
	dl.id = text(ev["id"])
	dl.subject = text(ev["subject"])
	dl.kind = text(ev["eventType"])
	if dl.kind == "" {
		dl.kind, dl.cloudEvent = text(ev["type"]), true
	}
	if dl.id == "" || dl.kind == "" {
		return deadLetter{}, errors.New("not an Event Grid event (want id and eventType, or CloudEvents id and type)")
	}
	dl.reason, dl.attempts, dl.outcome = text(ev["deadLetterReason"]), text(ev["deliveryAttempts"]), text(ev["lastDeliveryOutcome"])
	for _, f := range deadLetterFields {
		delete(ev, f)
	}
	return dl, nil
}

// text returns a JSON string's value, a number's text, or "".
func text(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// describe is the one-line account of a dead-lettered event.
func (dl deadLetter) describe() string {
	s := fmt.Sprintf("event %s %s %s", dl.id, dl.kind, dl.subject)
	if dl.reason != "" {
		s += fmt.Sprintf(" (dead-lettered: %s after %s attempt(s), last outcome %s)", dl.reason, orDash(dl.attempts), orDash(dl.outcome))
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// body returns what to POST: an EventGridSchema event as a one-element
// array (what Event Grid delivers), a CloudEvent as a single object.
func (dl deadLetter) body() ([]byte, string, error) {
	if dl.cloudEvent {
		b, err := json.Marshal(dl.fields)
		return b, "application/cloudevents+json; charset=utf-8", err
	}
	b, err := json.Marshal([]map[string]json.RawMessage{dl.fields})
	return b, "application/json; charset=utf-8", err
}
