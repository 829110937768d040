package pipeline

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/examples"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/state"
)

// fakeReader serves the example estate from memory. Every read returns
// all of it: a superset of a neighbourhood, which the detector's scope
// makes no difference to.
type fakeReader struct {
	mu    sync.Mutex
	res   *estate.Resources
	err   error
	block chan struct{} // reads wait for it when set
	reads [][]string    // ReadNeighbourhood arguments; nil entry for ReadAll
	calls atomic.Int64
}

func newFakeReader(t testing.TB) *fakeReader {
	t.Helper()
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	return &fakeReader{res: res}
}

func (f *fakeReader) read(ctx context.Context, ids []string) (*estate.Resources, error) {
	f.mu.Lock()
	f.reads = append(f.reads, ids)
	block, err, res := f.block, f.err, f.res
	f.mu.Unlock()
	f.calls.Add(int64(max(len(ids), 1)))
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return res, err
}

func (f *fakeReader) ReadNeighbourhood(ctx context.Context, ids []string) (*estate.Resources, error) {
	return f.read(ctx, ids)
}

func (f *fakeReader) ReadAll(ctx context.Context) (*estate.Resources, error) {
	return f.read(ctx, nil)
}

func (f *fakeReader) Calls() int64 { return f.calls.Load() }

func (f *fakeReader) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeReader) readArgs() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.reads...)
}

// setAddressSpace changes a VNet's address space in place.
func (f *fakeReader) setAddressSpace(t testing.TB, vnet string, prefixes ...string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, v := range f.res.VNets {
		if strings.EqualFold(*v.ID, vnet) {
			for _, p := range prefixes {
				netip.MustParsePrefix(p)
			}
			v.Properties.AddressSpace = &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)}
			return
		}
	}
	t.Fatalf("no VNet %s", vnet)
}

// sink records notices; fail decides each call's outcome (nil: success).
type sink struct {
	name    string
	mu      sync.Mutex
	notices []alert.Notice
	calls   int
	fail    func(call int) (bool, error)
}

func (s *sink) Name() string { return s.name }

func (s *sink) Notify(_ context.Context, n alert.Notice) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.fail != nil {
		if retry, err := s.fail(s.calls); err != nil {
			return retry, err
		}
	}
	s.notices = append(s.notices, n)
	return false, nil
}

func (s *sink) got() []alert.Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]alert.Notice(nil), s.notices...)
}

func (s *sink) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// items lists a notice's items as "reason RULE vnet-name".
func items(n alert.Notice) []string {
	var out []string
	for _, it := range n.Items {
		out = append(out, it.Reason.String()+" "+it.Finding.Rule+" "+estate.LastSegment(it.Finding.VNetID))
	}
	return out
}

// recordingState wraps a State, records Notified calls and can fail Record.
type recordingState struct {
	alert.State
	mu        sync.Mutex
	notified  [][]alert.Item
	recordErr error
}

func (s *recordingState) Record(ctx context.Context, scope []estate.Key, fs []detector.Finding, by alert.Attribution, read alert.ReadSpan, repeat time.Duration) ([]alert.Item, error) {
	s.mu.Lock()
	err := s.recordErr
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return s.State.Record(ctx, scope, fs, by, read, repeat)
}

func (s *recordingState) Notified(ctx context.Context, its []alert.Item, now time.Time) error {
	s.mu.Lock()
	s.notified = append(s.notified, append([]alert.Item(nil), its...))
	s.mu.Unlock()
	return s.State.Notified(ctx, its, now)
}

type fixture struct {
	p      *Pipeline
	reader *fakeReader
	state  *recordingState
	m      *handler.Metrics
}

func newFixture(t *testing.T, notifiers []alert.Notifier, opts ...state.Option) *fixture {
	t.Helper()
	f := &fixture{reader: newFakeReader(t), state: &recordingState{State: state.NewMemory(opts...)}, m: handler.NewMetrics()}
	p, err := New(Config{
		Reader: f.reader, Baseline: exampleBaseline(t), State: f.state, Notifiers: notifiers,
		CoalesceWindow: 20 * time.Millisecond, Settle: time.Millisecond, Metrics: f.m,
	})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	f.p = p
	return f
}

// vnetWrite is the change of a VNet PUT by a named user.
func vnetWrite(id, eventID string, at time.Time) eventgrid.Change {
	return eventgrid.Change{
		EventID: eventID, EventType: "Microsoft.Resources.ResourceWriteSuccess", Subject: id, ResourceURI: id,
		OperationName: "Microsoft.Network/virtualNetworks/write", Status: "Succeeded",
		CorrelationID: "corr-" + eventID, EventTime: at,
		Caller: eventgrid.Caller{Name: "Dana Admin", UPN: "dana@contoso.example", ObjectID: "oid-dana"},
	}
}

var errBoom = errors.New("boom")
