package state

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// store implements alert.State over a backend.
type store struct {
	b      backend
	o      options
	name   string
	claims atomic.Uint64
}

var _ alert.State = (*store)(nil)

// String describes the store, for logs.
func (s *store) String() string { return s.name }

// Record implements alert.State.
func (s *store) Record(ctx context.Context, scope []estate.Key, findings []detector.Finding, by alert.Attribution, read alert.ReadSpan, repeat time.Duration) ([]alert.Item, error) {
	now := read.Start
	if read.End.Before(now) {
		read.End = now
	}
	in := inScope(scope)
	current := map[string]*detector.Finding{}
	for i := range findings {
		if f := &findings[i]; in(f.VNetKey()) {
			current[findingPartition(f.VNetKey())+"|"+findingRow(f.Fingerprint)] = f
		}
	}
	stored, err := s.read(ctx, scope)
	if err != nil {
		return nil, err
	}
	prev := map[string]*record{}
	var garbage []row
	for _, w := range stored {
		r, err := fromRow(w)
		if err != nil {
			return nil, fmt.Errorf("reading state of %s: %w", s.name, err)
		}
		k := r.pk + "|" + r.rk
		switch {
		case !in(r.finding.VNetKey()):
		case current[k] == nil && !r.open && now.Sub(r.resolvedAt) > s.o.retention:
			garbage = append(garbage, w)
		default:
			prev[k] = &r
		}
	}
	e := evaluation{now: now, end: read.End, by: by, repeat: repeat, lease: s.o.lease, touch: touchEvery}
	items, err := s.apply(ctx, keysOf(current, prev), current, prev, e)
	s.collect(ctx, garbage)
	return items, err
}

// read lists the finding rows of the scoped VNets' partitions.
func (s *store) read(ctx context.Context, scope []estate.Key) ([]row, error) {
	if scope == nil {
		rows, err := s.b.list(ctx, "")
		if err != nil {
			return nil, fmt.Errorf("reading state of %s: %w", s.name, err)
		}
		return rows, nil
	}
	var parts []string
	for _, k := range scope {
		if p := findingPartition(estate.KeyOf(string(k))); !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	lists := make([][]row, len(parts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.b.parallelism())
	for i, p := range parts {
		g.Go(func() (err error) {
			lists[i], err = s.b.list(gctx, p)
			if err != nil {
				return fmt.Errorf("reading state of %s, partition %s: %w", s.name, p, err)
			}
			return nil
		})
	}
	err := g.Wait()
	return slices.Concat(lists...), err
}

// apply decides and stores every key's transition; it returns the items
// handed out, sorted, even when some keys failed.
func (s *store) apply(ctx context.Context, keys []string, current map[string]*detector.Finding, prev map[string]*record, e evaluation) ([]alert.Item, error) {
	out := make([]*alert.Item, len(keys))
	errs := make([]error, len(keys))
	g := errgroup.Group{}
	g.SetLimit(s.b.parallelism())
	for i, k := range keys {
		g.Go(func() error {
			out[i], errs[i] = s.transition(ctx, prev[k], current[k], e)
			return nil
		})
	}
	_ = g.Wait() // errors are collected per key
	var items []alert.Item
	for _, it := range out {
		if it != nil {
			items = append(items, *it)
		}
	}
	sortItems(items)
	return items, errors.Join(errs...)
}

// transition stores one key's next record, re-reading and deciding again
// when another instance changed it first.
func (s *store) transition(ctx context.Context, prev *record, f *detector.Finding, e evaluation) (*alert.Item, error) {
	pk, rk := keysOfRecord(prev, f)
	for range maxAttempts {
		next, it, write := decide(prev, f, e)
		if !write {
			return nil, nil
		}
		err := s.put(ctx, prev, next)
		if err == nil {
			return it, nil
		}
		if !retryable(err) {
			return nil, fmt.Errorf("recording finding %s in %s: %w", rk, s.name, err)
		}
		if prev, err = s.load(ctx, pk, rk); err != nil {
			return nil, fmt.Errorf("recording finding %s in %s: %w", rk, s.name, err)
		}
	}
	return nil, fmt.Errorf("recording finding %s in %s: %w", rk, s.name, errContention)
}

// put inserts next (no prev) or replaces prev with it.
func (s *store) put(ctx context.Context, prev *record, next record) error {
	w, err := toRow(next)
	if err != nil {
		return err
	}
	if prev == nil {
		_, err = s.b.insert(ctx, w)
		return err
	}
	w.ETag = prev.etag
	_, err = s.b.replace(ctx, w)
	return err
}

// load reads one record; nil if it is gone.
func (s *store) load(ctx context.Context, pk, rk string) (*record, error) {
	w, err := s.b.get(ctx, pk, rk)
	if errors.Is(err, errNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := fromRow(w)
	return &r, err
}

// Notified implements alert.State.
func (s *store) Notified(ctx context.Context, items []alert.Item, now time.Time) error {
	errs := make([]error, len(items))
	g := errgroup.Group{}
	g.SetLimit(s.b.parallelism())
	for i, it := range items {
		g.Go(func() error {
			errs[i] = s.notified(ctx, it, now)
			return nil
		})
	}
	_ = g.Wait()
	return errors.Join(errs...)
}

// notified stores one delivery report.
func (s *store) notified(ctx context.Context, it alert.Item, now time.Time) error {
	pk, rk, gen, err := parseToken(it.Token)
	if err != nil {
		return fmt.Errorf("recording delivery of finding %s: %w", it.Finding.Fingerprint, err)
	}
	for range maxAttempts {
		prev, err := s.load(ctx, pk, rk)
		if err != nil || prev == nil {
			return wrapDelivery(err, rk, s.name)
		}
		next, write := notified(*prev, it, gen, now)
		if !write {
			return nil
		}
		if err := s.put(ctx, prev, next); !retryable(err) {
			return wrapDelivery(err, rk, s.name)
		}
	}
	return wrapDelivery(errContention, rk, s.name)
}

func wrapDelivery(err error, rk, name string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("recording delivery of finding %s in %s: %w", rk, name, err)
}

// Open implements alert.State.
func (s *store) Open(ctx context.Context) ([]detector.Finding, error) {
	rows, err := s.b.list(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("reading state of %s: %w", s.name, err)
	}
	var out []detector.Finding
	for _, w := range rows {
		r, err := fromRow(w)
		if err != nil {
			return nil, fmt.Errorf("reading state of %s: %w", s.name, err)
		}
		if r.open {
			out = append(out, r.finding)
		}
	}
	slices.SortFunc(out, compareFindings)
	return out, nil
}

// collect deletes old resolved records, at most gcBatch of them. It is
// opportunistic: failures are left for the next call.
func (s *store) collect(ctx context.Context, garbage []row) {
	for _, w := range garbage[:min(len(garbage), gcBatch)] {
		if s.b.remove(ctx, w) != nil {
			return
		}
	}
}

func retryable(err error) bool {
	return errors.Is(err, errConflict) || errors.Is(err, errPrecondition) || errors.Is(err, errNotFound)
}

// keysOfRecord returns the keys of a stored record or of a new finding.
func keysOfRecord(r *record, f *detector.Finding) (pk, rk string) {
	if r != nil {
		return r.pk, r.rk
	}
	return findingPartition(f.VNetKey()), findingRow(f.Fingerprint)
}

// keysOf returns the keys of both maps, sorted.
func keysOf(current map[string]*detector.Finding, prev map[string]*record) []string {
	keys := make([]string, 0, len(current)+len(prev))
	for k := range current {
		keys = append(keys, k)
	}
	for k := range prev {
		if current[k] == nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func inScope(scope []estate.Key) func(estate.Key) bool {
	if scope == nil {
		return func(estate.Key) bool { return true }
	}
	set := make(map[estate.Key]bool, len(scope))
	for _, k := range scope {
		set[estate.KeyOf(string(k))] = true
	}
	return func(k estate.Key) bool { return set[k] }
}

func compareFindings(a, b detector.Finding) int {
	return cmp.Or(cmp.Compare(a.VNetKey(), b.VNetKey()), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Fingerprint, b.Fingerprint))
}

// sortItems orders items like findings, resolutions last.
func sortItems(items []alert.Item) {
	slices.SortFunc(items, func(a, b alert.Item) int {
		if a.Resolved != b.Resolved {
			if a.Resolved {
				return 1
			}
			return -1
		}
		return compareFindings(a.Finding, b.Finding)
	})
}
