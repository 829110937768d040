package state

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/vnetdrift/vnetdrift/alert"
)

// NewMemory returns a State kept in this process's memory: for local runs,
// the CLI and tests. It follows the same rules as the Table store (the
// same engine over an in-memory table with ETags) and is safe for
// concurrent use.
func NewMemory(opts ...Option) alert.State {
	return &store{b: &memBackend{parts: map[string]map[string]row{}}, o: newOptions(opts), name: "memory"}
}

// memBackend is an in-memory table: partitions of rows, each with an ETag
// that changes on every write.
type memBackend struct {
	mu    sync.Mutex
	parts map[string]map[string]row
	seq   uint64
}

func (m *memBackend) parallelism() int { return 1 }

func (m *memBackend) list(_ context.Context, pk string) ([]row, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []row
	for p, rows := range m.parts {
		if p == pk || pk == "" && strings.HasPrefix(p, findingPrefix) {
			for _, r := range rows {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func (m *memBackend) expired(_ context.Context, pk, before string, limit int) ([]row, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []row
	for _, r := range m.parts[pk] {
		if r.Expires != "" && r.Expires < before && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memBackend) get(_ context.Context, pk, rk string) (row, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.parts[pk][rk]
	if !ok {
		return row{}, errNotFound
	}
	return r, nil
}

func (m *memBackend) insert(_ context.Context, r row) (row, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.parts[r.PartitionKey][r.RowKey]; ok {
		return row{}, errConflict
	}
	return m.store(r), nil
}

func (m *memBackend) replace(_ context.Context, r row) (row, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.parts[r.PartitionKey][r.RowKey]
	switch {
	case !ok:
		return row{}, errNotFound
	case old.ETag != r.ETag:
		return row{}, errPrecondition
	}
	return m.store(r), nil
}

func (m *memBackend) remove(_ context.Context, r row) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.parts[r.PartitionKey][r.RowKey]; ok && old.ETag == r.ETag {
		delete(m.parts[r.PartitionKey], r.RowKey)
	}
	return nil
}

// store writes r with a new ETag; m.mu must be held.
func (m *memBackend) store(r row) row {
	m.seq++
	r.ETag = `W/"` + strconv.FormatUint(m.seq, 10) + `"`
	if m.parts[r.PartitionKey] == nil {
		m.parts[r.PartitionKey] = map[string]row{}
	}
	m.parts[r.PartitionKey][r.RowKey] = r
	return r
}
