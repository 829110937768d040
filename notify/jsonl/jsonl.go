// Package jsonl is the notifier that appends each drift message to a JSON
// Lines file (VNETDRIFT_FINDINGS_FILE): one object per finding and message,
// for scripts, tests and `make run`.
package jsonl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// Record is one line of the file.
type Record struct {
	Time  time.Time `json:"time"`  // when the line was written
	Event string    `json:"event"` // opened | resolved | remediated | still open | exemption expired | remediation failed | remediation stopped
	Retry bool      `json:"retry,omitempty"`
	detector.Finding
	By        alert.Attribution  `json:"by"`                 // what triggered the evaluation
	OpenedBy  *alert.Attribution `json:"openedBy,omitempty"` // what opened the drift, when known
	FirstSeen time.Time          `json:"firstSeen,omitzero"`
	Digest    bool               `json:"digest,omitempty"` // sent by a reconcile sweep
	// Remediation is what vnetdrift did or would do about the drift.
	Remediation []alert.Remediation `json:"remediation,omitempty"`
}

// Sink appends records to a file. It is safe for concurrent use; each
// notice is written with one write call, so lines of concurrent notices
// never interleave.
type Sink struct {
	path string
	now  func() time.Time

	mu sync.Mutex
	f  *os.File
}

var _ alert.Notifier = (*Sink)(nil)

// Open opens (creating it, mode 0600) the file at path for appending.
func Open(path string) (*Sink, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening findings file: %w", err)
	}
	return &Sink{path: path, now: time.Now, f: f}, nil
}

// Name returns "jsonl".
func (*Sink) Name() string { return "jsonl" }

// Notify appends one line per item. A failed write (disk full, file
// closed) is worth retrying.
func (s *Sink) Notify(_ context.Context, n alert.Notice) (bool, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	now := s.now().UTC()
	for _, it := range n.Items {
		if err := enc.Encode(recordOf(n, it, now)); err != nil {
			return false, fmt.Errorf("encoding finding %s: %w", it.Finding.Fingerprint, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.Write(buf.Bytes()); err != nil {
		return true, fmt.Errorf("appending %d findings to %s: %w", len(n.Items), s.path, err)
	}
	return false, nil
}

func recordOf(n alert.Notice, it alert.Item, now time.Time) Record {
	reason := it.Reason
	if reason == alert.ReasonRetry && it.Original != 0 {
		reason = it.Original
	}
	r := Record{Time: now, Event: reason.String(), Retry: it.Reason == alert.ReasonRetry, Finding: it.Finding,
		By: n.By, FirstSeen: it.FirstSeen, Digest: n.Digest, Remediation: it.Remediation}
	if it.Remediated() {
		r.Event = alert.RemediationRemediated
	}
	if ob := it.OpenedBy; ob.EventID != "" || ob.Reconcile {
		r.OpenedBy = &ob
	}
	return r
}

// Close closes the file.
func (s *Sink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.f.Close(); err != nil {
		return fmt.Errorf("closing findings file: %w", err)
	}
	return nil
}

// ReadFile returns the records of a findings file, in file order.
func ReadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading findings file: %w", err)
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("reading findings file %s: line %d: %w", path, line, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading findings file %s: %w", path, err)
	}
	return out, nil
}
