package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/pipeline"
)

// printer is the walkthrough's notifier: it prints each drift message the
// moment serve delivers it and keeps it for the step's checks.
type printer struct {
	out io.Writer

	mu        sync.Mutex
	got       []alert.Item
	latencies []time.Duration // change → message delivered, for event-driven messages
	opened    int
	resolved  int
}

func (p *printer) Name() string { return "walkthrough" }

func (p *printer) Notify(_ context.Context, n alert.Notice) (bool, error) {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, it := range n.Items {
		verb := "DETECTED"
		switch {
		case it.Remediated():
			verb = "REMEDIATED"
			p.resolved++
		case it.Resolved:
			verb = "RESOLVED"
			p.resolved++
		default:
			p.opened++
		}
		f := it.Finding
		fmt.Fprintf(p.out, "    %s  %-6s %s on %s\n", verb, f.Severity, f.Rule, estate.LastSegment(f.VNetID))
		fmt.Fprintf(p.out, "              %s\n", f.Message)
		for _, r := range it.Remediation {
			fmt.Fprintf(p.out, "              fix %s: %s %s\n", r.Status, r.Request, r.Body)
		}
		fmt.Fprintf(p.out, "              %s\n", p.cause(n.By, now))
		p.got = append(p.got, it)
	}
	return false, nil
}

// cause says what triggered the evaluation and, for a change, how long
// after it the message was delivered. The caller holds mu.
func (p *printer) cause(by alert.Attribution, now time.Time) string {
	switch {
	case by.Reconcile:
		return "found by the timer reconcile"
	case by.Caller == pipeline.RemediationCaller:
		return "fixed by vnetdrift and verified by a fresh read"
	}
	op := by.OperationName
	if i := strings.Index(op, "/"); i >= 0 {
		op = op[i+1:]
	}
	took := now.Sub(by.EventTime)
	p.latencies = append(p.latencies, took)
	id := by.EventID
	if len(id) > 8 {
		id = id[:8]
	}
	return fmt.Sprintf("after %s by %s (event %s), %d ms after the change", op, by.Caller, id, took.Milliseconds())
}

// take returns the items printed since the last take.
func (p *printer) take() []alert.Item {
	p.mu.Lock()
	defer p.mu.Unlock()
	got := p.got
	p.got = nil
	return got
}

// stats returns the counts and the median and largest latency.
func (p *printer) stats() (opened, resolved int, p50, worst time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := slices.Sorted(slices.Values(p.latencies))
	if len(l) > 0 {
		p50, worst = l[len(l)/2], l[len(l)-1]
	}
	return p.opened, p.resolved, p50, worst
}
