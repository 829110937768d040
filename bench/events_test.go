package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/pipeline"
	"github.com/vnetdrift/vnetdrift/state"
	"github.com/vnetdrift/vnetdrift/synth"
)

// The burst: burstEvents Event Grid events about burstVNets VNets of a
// synthetic hub-and-spoke estate (4 hubs with VPN gateways joined
// Vnet2Vnet, 196 spokes), half VNet writes and half peering writes, in a
// fixed random order. Every spoke has drifted (an extra address prefix),
// so the first evaluation of each spoke delivers a notice.
const (
	burstEvents = 10_000
	burstVNets  = 200
)

// BenchmarkEventBurst delivers the burst to /api/events over loopback the
// way Event Grid does: in batches of `batch` events (maxEventsPerBatch),
// `conc` deliveries in flight; or, in-process, hands 20 decoded batches of
// 500 to Pipeline.Handle at once. Reported per run:
//
//	reads/vnet     ARM calls made by serve ÷ distinct VNets the events affect
//	evals          neighbourhood reads (one per coalesced evaluation batch)
//	p50-ms/p99-ms  decision latency per event: delivery sent → answered, which
//	               is after the evaluation covering it delivered its notice
//	events/s       events ÷ wall time of the burst
//	notified-vnets VNets a notice was delivered for (196 drifted spokes)
func BenchmarkEventBurst(b *testing.B) {
	cases := []struct {
		name        string
		batch, conc int // 0: no HTTP, Pipeline.Handle directly
	}{
		{"in-process/handle=500x20", 500, 0},
		{"webhook/batch=500/conc=20", 500, 20},
		{"webhook/batch=1/conc=500", 1, 500},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var sum burstResult
			for range b.N {
				b.StopTimer()
				h := newBurstHarness(b)
				b.StartTimer()
				r := h.run(b, c.batch, c.conc)
				b.StopTimer()
				h.close()
				sum.add(r)
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(sum.readsPerVNet/n, "reads/vnet")
			b.ReportMetric(float64(sum.evals)/n, "evals")
			b.ReportMetric(sum.p50/n, "p50-ms")
			b.ReportMetric(sum.p99/n, "p99-ms")
			b.ReportMetric(sum.eventsPerSec/n, "events/s")
			b.ReportMetric(float64(sum.notified)/n, "notified-vnets")
		})
	}
}

type burstResult struct {
	readsPerVNet, p50, p99, eventsPerSec float64
	evals, notified                      int
}

func (r *burstResult) add(o burstResult) {
	r.readsPerVNet += o.readsPerVNet
	r.p50 += o.p50
	r.p99 += o.p99
	r.eventsPerSec += o.eventsPerSec
	r.evals += o.evals
	r.notified += o.notified
}

// burstHarness is the emulator serving the drifted estate and the serve
// stack (handler + pipeline + in-memory state + a counting sink) on
// loopback.
type burstHarness struct {
	emu    *emulator.Server
	arm    *httptest.Server
	serve  *httptest.Server
	p      *pipeline.Pipeline
	reader *countingReader
	sink   *vnetSink
	events [][]byte // one JSON event each
	vnets  int      // distinct VNets the events affect
}

func newBurstHarness(b *testing.B) *burstHarness {
	b.Helper()
	clean := synth.Generate(synth.Spec{VNets: burstVNets, SpokesPerHub: 49})
	est, err := estate.Build(clean)
	require.NoError(b, err)
	base := baseline.Capture(est)
	drifted := synth.Generate(synth.Spec{VNets: burstVNets, SpokesPerHub: 49})
	var spokes, hubs []string
	for i, v := range drifted.VNets {
		if len(v.Properties.VirtualNetworkPeerings) == 1 { // a spoke
			extra := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 96 + byte(i>>12), byte(i >> 4), byte(i&15) << 4}), 28)
			prefixes := append(slices.Clone(v.Properties.AddressSpace.AddressPrefixes), to.Ptr(extra.String()))
			v.Properties.AddressSpace = &armnetwork.AddressSpace{AddressPrefixes: prefixes}
			spokes = append(spokes, *v.ID)
		} else {
			hubs = append(hubs, *v.ID)
		}
	}
	h := &burstHarness{reader: &countingReader{}, sink: &vnetSink{seen: map[estate.Key]bool{}}}
	h.emu, err = emulator.New(drifted, emulator.Options{})
	require.NoError(b, err)
	h.arm = httptest.NewServer(h.emu)
	r, err := azure.New(azure.Config{Endpoint: h.arm.URL, Subscriptions: []string{"00000000-0000-0000-0000-000000000000"}, Concurrency: 32})
	require.NoError(b, err)
	h.reader.Reader = r
	h.p, err = pipeline.New(pipeline.Config{Reader: h.reader, Baseline: base, State: state.NewMemory(), Notifiers: []alert.Notifier{h.sink}})
	require.NoError(b, err)
	h.serve = httptest.NewServer(handler.New(h.p, handler.Config{AllowUnauthenticated: true, DedupSize: 2 * burstEvents}))
	h.events, h.vnets = burstOf(b, spokes, hubs, drifted)
	return h
}

func (h *burstHarness) close() {
	h.serve.Close()
	h.p.Close()
	h.arm.Close()
	h.emu.Close()
}

// run delivers the events and measures: conc deliveries of batch events
// in flight over HTTP, or, with conc 0, all batches handed to
// Pipeline.Handle at once.
func (h *burstHarness) run(b *testing.B, batch, conc int) burstResult {
	send := h.sender(b, conc)
	if conc == 0 {
		conc = len(h.events)
	}
	latencies := make([]time.Duration, 0, len(h.events))
	var mu sync.Mutex
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < len(h.events); i += batch {
		part := h.events[i:min(i+batch, len(h.events))]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			t0 := time.Now()
			send(part)
			d := time.Since(t0)
			mu.Lock()
			for range part {
				latencies = append(latencies, d)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	wall := time.Since(start)
	slices.Sort(latencies)
	ms := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	return burstResult{
		readsPerVNet: float64(h.reader.Calls()) / float64(h.vnets),
		evals:        int(h.reader.evals.Load()),
		p50:          ms(0.50), p99: ms(0.99),
		eventsPerSec: float64(len(h.events)) / wall.Seconds(),
		notified:     h.sink.count(),
	}
}

// sender returns how a batch of events is handed over: POSTed to
// /api/events with conc connections, or (conc 0) decoded beforehand and
// passed to Pipeline.Handle.
func (h *burstHarness) sender(b *testing.B, conc int) func([][]byte) {
	if conc > 0 {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}}
		b.Cleanup(client.CloseIdleConnections)
		return func(part [][]byte) { deliver(b, client, h.serve.URL+handler.WebhookPath, part) }
	}
	changes := map[*byte][]eventgrid.Change{}
	for i := 0; i < len(h.events); i += 500 {
		part := h.events[i:min(i+500, len(h.events))]
		cs, _, err := eventgrid.DecodeBatch(joinBatch(part))
		require.NoError(b, err)
		changes[&part[0][0]] = cs
	}
	return func(part [][]byte) {
		if err := h.p.Handle(context.Background(), changes[&part[0][0]]); err != nil {
			b.Error(err)
		}
	}
}

func joinBatch(events [][]byte) []byte {
	body := append([]byte{'['}, bytes.Join(events, []byte{','})...)
	return append(body, ']')
}

// deliver POSTs one Event Grid delivery (an EventGridSchema array).
func deliver(b *testing.B, client *http.Client, url string, events [][]byte) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(joinBatch(events)))
	if err != nil {
		b.Error(err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("aeg-event-type", "Notification")
	resp, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Errorf("delivery answered %d", resp.StatusCode)
	}
}

// burstOf builds the events in a fixed random order and returns them with
// the number of distinct VNets they affect.
func burstOf(b *testing.B, spokes, hubs []string, res *estate.Resources) ([][]byte, int) {
	b.Helper()
	peeringOf := map[string]string{}
	for _, v := range res.VNets {
		if len(v.Properties.VirtualNetworkPeerings) == 1 {
			peeringOf[*v.ID] = *v.Properties.VirtualNetworkPeerings[0].ID
		}
	}
	all := append(slices.Clone(spokes), hubs...)
	rng := rand.New(rand.NewPCG(1, 2))
	events := make([][]byte, burstEvents)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for i := range events {
		vnet := all[i%len(all)]
		resource, op := vnet, "Microsoft.Network/virtualNetworks/write"
		if p := peeringOf[vnet]; p != "" && i%2 == 1 {
			resource, op = p, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write"
		}
		ev, err := json.Marshal(map[string]any{
			"id": fmt.Sprintf("burst-%05d", i), "topic": "/subscriptions/" + estate.SubscriptionOf(resource), "subject": resource,
			"eventType": "Microsoft.Resources.ResourceWriteSuccess", "eventTime": t0.Add(time.Duration(i) * time.Millisecond),
			"dataVersion": "2", "metadataVersion": "1",
			"data": map[string]any{"operationName": op, "resourceUri": resource, "status": "Succeeded",
				"subscriptionId": estate.SubscriptionOf(resource), "correlationId": fmt.Sprintf("corr-%05d", i),
				"claims": map[string]string{"name": "Burst Tester", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "burst@contoso.example"}},
		})
		require.NoError(b, err)
		events[i] = ev
	}
	rng.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	return events, len(all)
}

// countingReader counts evaluations (neighbourhood reads).
type countingReader struct {
	*azure.Reader
	evals atomic.Int64
}

func (c *countingReader) ReadNeighbourhood(ctx context.Context, ids []string) (*estate.Resources, error) {
	c.evals.Add(1)
	return c.Reader.ReadNeighbourhood(ctx, ids)
}

// vnetSink counts the VNets a notice was delivered for.
type vnetSink struct {
	mu   sync.Mutex
	seen map[estate.Key]bool
}

func (s *vnetSink) Name() string { return "bench" }

func (s *vnetSink) Notify(_ context.Context, n alert.Notice) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range n.Items {
		s.seen[it.Finding.VNetKey()] = true
	}
	return false, nil
}

func (s *vnetSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// BenchmarkSingleChange measures the decision latency of lone changes:
// one event at a time, each about a different spoke (so no evaluation is
// throttled), POSTed to /api/events over loopback. Reported:
//
//	p50-ms/p99-ms  delivery received → answered (notice delivered)
//	reads/change   ARM calls per change
func BenchmarkSingleChange(b *testing.B) {
	h := newBurstHarness(b)
	defer h.close()
	client := &http.Client{}
	defer client.CloseIdleConnections()
	var spokes [][]byte
	for _, ev := range h.events {
		if bytes.Contains(ev, []byte(`virtualNetworks/write`)) && bytes.Contains(ev, []byte("vnet-spoke-")) {
			spokes = append(spokes, ev)
		}
	}
	latencies := make([]time.Duration, 0, b.N)
	calls := h.reader.Calls()
	b.ResetTimer()
	for i := range b.N {
		ev := spokes[i%len(spokes)]
		t0 := time.Now()
		deliver(b, client, h.serve.URL+handler.WebhookPath, [][]byte{ev})
		latencies = append(latencies, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(latencies)
	q := func(f float64) float64 {
		return float64(latencies[int(f*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(h.reader.Calls()-calls)/float64(b.N), "reads/change")
}
