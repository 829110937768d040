package e2e

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// noteItem is one finding in a message: its rule, where (the resource as
// messages name it) and why it is there ("opened", "resolved"…).
type noteItem struct{ rule, where, reason string }

// Lines of a message (a Teams card's text runs and facts in order, or a
// mail's text) that noteItems reads.
var (
	findingLine = regexp.MustCompile(`^(HIGH|MEDIUM|LOW) · ([A-Z0-9_]+) · (.+)$`)
	headingLine = regexp.MustCompile(`^(?:== )?(Opened|Open|Still open|Exemption expired|Resolved) \(\d+\)(?: ==)?$`)
)

// itemReasons are the reasons a detailed finding line ends with; a compact
// line ends with the resource instead and takes its section's reason.
var itemReasons = map[string]bool{"opened": true, "open": true, "still open": true, "exemption expired": true, "resolved": true}

// noteItems reads the findings of a message. It reports truncated when the
// message says some findings were not shown.
func noteItems(lines []string) (items []noteItem, truncated bool) {
	section := ""
	var cur *noteItem
	var vnet string
	flush := func() {
		if cur != nil {
			if cur.where == "" {
				cur.where = vnet
			}
			items = append(items, *cur)
		}
		cur, vnet = nil, ""
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if m := headingLine.FindStringSubmatch(l); m != nil {
			flush()
			section = strings.ToLower(m[1])
			continue
		}
		if m := findingLine.FindStringSubmatch(l); m != nil {
			flush()
			if itemReasons[m[3]] {
				cur = &noteItem{rule: m[2], reason: m[3]}
			} else {
				items = append(items, noteItem{rule: m[2], where: m[3], reason: section})
			}
			continue
		}
		truncated = truncated || strings.Contains(l, "more not shown")
		if cur == nil {
			continue
		}
		if v, ok := strings.CutPrefix(l, "Resource: "); ok {
			cur.where = v
		} else if v, ok := strings.CutPrefix(l, "VNet: "); ok {
			vnet = v
		}
	}
	flush()
	return items, truncated
}

// tally counts notified items per resource and outcome.
type tally struct {
	messages  int
	items     int
	truncated int
	by        map[string]map[string]int // where → "opened" | "resolved" | other reason → count
}

func newTally() *tally { return &tally{by: map[string]map[string]int{}} }

func (t *tally) add(items []noteItem, truncated bool) {
	t.messages++
	if truncated {
		t.truncated++
	}
	for _, it := range items {
		t.items++
		reason := it.reason
		if reason == "open" { // a retried opening
			reason = "opened"
		}
		if it.rule != "PEERING_SETTINGS_DRIFT" {
			reason = it.rule + " " + reason
		}
		if t.by[it.where] == nil {
			t.by[it.where] = map[string]int{}
		}
		t.by[it.where][reason]++
	}
}

func (t *tally) count(where, reason string) int { return t.by[where][reason] }

// soakTeams is a loopback Teams Workflows webhook that refuses a seeded
// share of posts (429 with Retry-After: 1, or 500) and reads the findings
// of every card it accepts.
type soakTeams struct {
	failRate float64
	mu       sync.Mutex
	rng      *rand.Rand
	refused  map[int]int
	tally    *tally
}

func newSoakTeams(seed uint64, failRate float64) *soakTeams {
	return &soakTeams{failRate: failRate, rng: rand.New(rand.NewPCG(seed, 4)), refused: map[int]int{}, tally: newTally()}
}

func (s *soakTeams) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Attachments []struct {
			Content struct {
				Body []cardElement `json:"body"`
			} `json:"content"`
		} `json:"attachments"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil || len(msg.Attachments) != 1 {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if x, which := s.rng.Float64(), s.rng.Float64(); x < s.failRate {
		status := http.StatusInternalServerError
		if which < 0.5 {
			status = http.StatusTooManyRequests
			w.Header().Set("Retry-After", "1")
		}
		s.refused[status]++
		w.WriteHeader(status)
		return
	}
	var lines []string
	for _, e := range msg.Attachments[0].Content.Body {
		lines = e.lines(lines)
	}
	s.tally.add(noteItems(lines))
	w.WriteHeader(http.StatusAccepted)
}

// cardElement is the part of an Adaptive Card element that carries text.
type cardElement struct {
	Inlines []struct{ Text string } `json:"inlines"`
	Items   []cardElement           `json:"items"`
	Facts   []struct{ Title, Value string }
}

// lines appends the element's text in reading order; a fact reads
// "Title: Value", as in the mail.
func (e cardElement) lines(out []string) []string {
	for _, in := range e.Inlines {
		out = append(out, in.Text)
	}
	for _, f := range e.Facts {
		out = append(out, f.Title+": "+f.Value)
	}
	for _, it := range e.Items {
		out = it.lines(out)
	}
	return out
}

// read returns a consistent view of the sink: the tally is copied.
func (s *soakTeams) read(f func(t *tally, refused map[int]int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.tally, s.refused)
}

// mailTally reads every mail maildev holds for rcpt.
func mailTally(api, rcpt string) (*tally, error) {
	resp, err := http.Get(strings.TrimRight(api, "/") + "/api/email")
	if err != nil {
		return nil, fmt.Errorf("listing maildev mails: %w", err)
	}
	defer resp.Body.Close()
	var all []struct {
		Text string `json:"text"`
		To   []struct {
			Address string `json:"address"`
		} `json:"to"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&all); err != nil {
		return nil, fmt.Errorf("decoding maildev's /api/email: %w", err)
	}
	t := newTally()
	for _, m := range all {
		for _, to := range m.To {
			if strings.EqualFold(to.Address, rcpt) {
				t.add(noteItems(strings.Split(m.Text, "\n")))
			}
		}
	}
	return t, nil
}
