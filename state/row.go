package state

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// row is a record or an event claim as stored: the Table entity, with
// times as fixed-width UTC strings (they sort as text) and nested values
// as JSON strings.
type row struct {
	PartitionKey string
	RowKey       string
	ETag         string `json:"-"`
	Kind         string // kindFinding or kindEvent

	Status       string `json:",omitempty"` // "open" or "resolved"
	VNet         string `json:",omitempty"` // the VNet key, for reading the table by hand
	Finding      string `json:",omitempty"` // detector.Finding as JSON
	Line         int32  `json:",omitempty"`
	OpenedBy     string `json:",omitempty"` // alert.Attribution as JSON
	FirstSeen    string `json:",omitempty"`
	LastSeen     string `json:",omitempty"`
	LastNotified string `json:",omitempty"`
	ResolvedAt   string `json:",omitempty"`
	Settled      string `json:",omitempty"` // end of the reads behind the last transition
	Exempt       bool   `json:",omitempty"`
	Announced    bool   `json:",omitempty"`
	Pending      int32  `json:",omitempty"` // alert.Reason
	Gen          int32  `json:",omitempty"`
	Attempts     int32  `json:",omitempty"`
	Delivered    string `json:",omitempty"` // JSON array of targets
	LeaseUntil   string `json:",omitempty"`

	Expires string `json:",omitempty"` // event claims
}

// Row kinds.
const (
	kindFinding = "finding"
	kindEvent   = "event"
)

// Partition key prefixes: findings and event claims never share a
// partition, and "f" ≤ PartitionKey < "g" selects every finding.
const (
	findingPrefix = "f"
	eventPrefix   = "e"
)

// timeLayout sorts as text; every stored time is UTC.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// maxFindingJSON keeps the Finding property well under the Table limit of
// 64 KiB (32 K UTF-16 characters) per string property.
const maxFindingJSON = 30000

// clipTo is how long Message, Expected and Actual may be when a finding
// is too big to store whole.
const clipTo = 4000

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("decoding %s: %w", field, err)
	}
	return t, nil
}

// findingPartition is the partition of a VNet's findings: a hash, since
// resource IDs contain '/', which keys must not.
func findingPartition(vnet estate.Key) string { return findingPrefix + hash(string(vnet))[:16] }

// findingRow is the row key of a fingerprint: the fingerprint itself when
// it is a safe key (detector fingerprints are hex), else a hash of it.
func findingRow(fingerprint string) string {
	if safeKey(fingerprint) {
		return fingerprint
	}
	return "h" + hash(fingerprint)[:32]
}

// eventKeys returns the keys of an event ID's claim, spread over 256
// partitions.
func eventKeys(id string) (pk, rk string) {
	h := hash(id)
	return eventPrefix + h[:2], h[:40]
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// safeKey reports whether s may be a Table key as it is: 1 to 200
// letters, digits, '-', '_' or '.' (no '/', '\\', '#', '?', control
// characters or '|', the token separator).
func safeKey(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// token is the Item.Token of message gen of a record.
func token(pk, rk string, gen int32) string {
	return pk + "|" + rk + "|" + strconv.FormatInt(int64(gen), 10)
}

// parseToken splits an Item.Token.
func parseToken(t string) (pk, rk string, gen int32, err error) {
	parts := strings.Split(t, "|")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return "", "", 0, fmt.Errorf("bad item token %q", t)
	}
	g, err := strconv.ParseInt(parts[2], 10, 32)
	if err != nil {
		return "", "", 0, fmt.Errorf("bad item token %q: %w", t, err)
	}
	return parts[0], parts[1], int32(g), nil
}

// toRow encodes a record.
func toRow(r record) (row, error) {
	f, err := encodeFinding(r.finding)
	if err != nil {
		return row{}, err
	}
	by, err := json.Marshal(r.openedBy)
	if err != nil {
		return row{}, fmt.Errorf("encoding attribution: %w", err)
	}
	out := row{
		PartitionKey: r.pk, RowKey: r.rk, ETag: r.etag, Kind: kindFinding,
		Status: "resolved", VNet: string(r.finding.VNetKey()), Finding: f, Line: int32(r.finding.Line), OpenedBy: string(by),
		FirstSeen: formatTime(r.firstSeen), LastSeen: formatTime(r.lastSeen), LastNotified: formatTime(r.lastNotified),
		ResolvedAt: formatTime(r.resolvedAt), Settled: formatTime(r.settled), Exempt: r.exempt, Announced: r.announced,
		Pending: int32(r.pending), Gen: r.gen, Attempts: r.attempts, LeaseUntil: formatTime(r.leaseUntil),
	}
	if r.open {
		out.Status = "open"
	}
	if len(r.delivered) > 0 {
		d, _ := json.Marshal(r.delivered) // a []string always encodes
		out.Delivered = string(d)
	}
	return out, nil
}

// encodeFinding writes a finding as JSON, clipping its texts if the
// result would not fit in one Table property.
func encodeFinding(f detector.Finding) (string, error) {
	b, err := json.Marshal(f)
	if err == nil && len(b) > maxFindingJSON {
		f.Message, f.Expected, f.Actual = clip(f.Message), clip(f.Expected), clip(f.Actual)
		b, err = json.Marshal(f)
	}
	if err != nil {
		return "", fmt.Errorf("encoding finding %s: %w", f.Fingerprint, err)
	}
	return string(b), nil
}

// clip shortens s to at most clipTo bytes, on a rune boundary, marked "…".
func clip(s string) string {
	if len(s) <= clipTo {
		return s
	}
	cut := clipTo - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// fromRow decodes a finding row.
func fromRow(w row) (record, error) {
	r := record{pk: w.PartitionKey, rk: w.RowKey, etag: w.ETag, open: w.Status == "open", exempt: w.Exempt,
		announced: w.Announced, pending: alert.Reason(w.Pending), gen: w.Gen, attempts: w.Attempts}
	if err := json.Unmarshal([]byte(w.Finding), &r.finding); err != nil {
		return record{}, fmt.Errorf("decoding finding of row %s/%s: %w", w.PartitionKey, w.RowKey, err)
	}
	r.finding.Line = int(w.Line)
	if w.OpenedBy != "" {
		if err := json.Unmarshal([]byte(w.OpenedBy), &r.openedBy); err != nil {
			return record{}, fmt.Errorf("decoding attribution of row %s/%s: %w", w.PartitionKey, w.RowKey, err)
		}
	}
	if w.Delivered != "" {
		if err := json.Unmarshal([]byte(w.Delivered), &r.delivered); err != nil {
			return record{}, fmt.Errorf("decoding deliveries of row %s/%s: %w", w.PartitionKey, w.RowKey, err)
		}
	}
	times := []struct {
		name string
		s    string
		dst  *time.Time
	}{
		{"FirstSeen", w.FirstSeen, &r.firstSeen}, {"LastSeen", w.LastSeen, &r.lastSeen},
		{"LastNotified", w.LastNotified, &r.lastNotified}, {"ResolvedAt", w.ResolvedAt, &r.resolvedAt},
		{"LeaseUntil", w.LeaseUntil, &r.leaseUntil}, {"Settled", w.Settled, &r.settled},
	}
	for _, t := range times {
		v, err := parseTime(t.name, t.s)
		if err != nil {
			return record{}, fmt.Errorf("decoding row %s/%s: %w", w.PartitionKey, w.RowKey, err)
		}
		*t.dst = v
	}
	return r, nil
}
