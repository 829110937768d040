package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/demo"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/synth"
)

// soakOtherSub holds VNets outside the configured subscriptions: their
// events are the soak's "unrelated resources" noise.
const soakOtherSub = "99999999-9999-9999-9999-999999999999"

// soakVNet is a VNet the soak writes to, with its address space.
type soakVNet struct {
	id       string
	prefixes []string
}

// soakSpoke is a spoke VNet whose peering to its hub carries a seeded
// drift: allowForwardedTraffic turned off, later back on.
type soakSpoke struct {
	soakVNet
	peering string // the peering's resource ID
	where   string // how notifications name the peering: "<vnet>/<peering>"
}

// soakEstate is a synthetic hub-and-spoke estate, its captured baseline and
// the VNets the soak changes.
type soakEstate struct {
	res      *estate.Resources
	baseline []byte
	sub      string // the configured subscription
	spokes   []soakSpoke
	hubs     []soakVNet
	others   []soakVNet // in soakOtherSub, not configured
}

// newSoakEstate generates two hubs with spokes between them, captures the
// baseline (the estate as it is, so that it starts clean), then adds two
// VNets in a subscription serve is not configured for.
func newSoakEstate(t *testing.T, spokes int) *soakEstate {
	t.Helper()
	res := synth.Generate(synth.Spec{VNets: spokes + 2, SpokesPerHub: (spokes + 1) / 2})
	est, err := estate.Build(res)
	require.NoError(t, err)
	data, err := baseline.Marshal(baseline.Capture(est))
	require.NoError(t, err)
	b, err := baseline.Parse("soak-baseline.yaml", data)
	require.NoError(t, err)
	require.Empty(t, detector.Evaluate(detector.Input{Baseline: b, Estate: est}), "the captured estate starts clean")

	s := &soakEstate{res: res, baseline: data}
	for _, v := range res.VNets {
		sv := soakVNet{id: *v.ID, prefixes: prefixesOf(v)}
		s.sub = estate.SubscriptionOf(sv.id)
		if !strings.HasPrefix(*v.Name, "vnet-spoke-") {
			s.hubs = append(s.hubs, sv)
			continue
		}
		require.Len(t, v.Properties.VirtualNetworkPeerings, 1, "a synthetic spoke has one peering, to its hub")
		p := *v.Properties.VirtualNetworkPeerings[0].ID
		s.spokes = append(s.spokes, soakSpoke{soakVNet: sv, peering: p, where: *v.Name + "/" + estate.LastSegment(p)})
	}
	require.Len(t, s.spokes, spokes)
	for i := range 2 {
		v := otherVNet(i)
		res.VNets = append(res.VNets, v)
		s.others = append(s.others, soakVNet{id: *v.ID, prefixes: prefixesOf(v)})
	}
	return s
}

func prefixesOf(v *armnetwork.VirtualNetwork) []string {
	var out []string
	for _, p := range v.Properties.AddressSpace.AddressPrefixes {
		out = append(out, *p)
	}
	return out
}

// otherVNet is a standalone VNet in soakOtherSub.
func otherVNet(i int) *armnetwork.VirtualNetwork {
	name := fmt.Sprintf("vnet-unrelated-%d", i)
	id := fmt.Sprintf("/subscriptions/%s/resourceGroups/rg-unrelated/providers/Microsoft.Network/virtualNetworks/%s", soakOtherSub, name)
	return &armnetwork.VirtualNetwork{
		ID: to.Ptr(id), Name: to.Ptr(name), Type: to.Ptr(estate.TypeVNet), Location: to.Ptr("westeurope"),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr(fmt.Sprintf("192.168.%d.0/24", i))}},
		},
	}
}

// Kinds of soak changes. Each is one ARM write, hence one event.
const (
	opDrift        = "drift"         // a seeded drift: the spoke's peering stops allowing forwarded traffic
	opFix          = "fix"           // its fix
	opTouchPeering = "touch-peering" // the peering written back as it is
	opTouchVNet    = "touch-vnet"    // the spoke VNet written back as it is
	opTouchHub     = "touch-hub"     // a hub VNet written back as it is
	opUnrelated    = "unrelated"     // a write in a subscription serve does not watch
)

// soakOp is one change.
type soakOp struct {
	kind  string
	spoke int // index into soakEstate.spokes (drift, fix, touch-*)
	other int // index into hubs (touch-hub) or others (unrelated)
}

// soakPlan is the whole run: rounds of changes and, per round, the spokes
// whose drift it seeds. Round r seeds batch r and fixes batch r-1, so a
// drift is fixed only after it was notified, and the last round only
// fixes. Noise is spread evenly and every round is shuffled.
type soakPlan struct {
	rounds  [][]soakOp
	batches [][]int // spokes drifted in round r (the last round: none)
}

func newSoakPlan(sz soakSize, spokes int, rng *rand.Rand) soakPlan {
	perm := rng.Perm(spokes)[:sz.drifts]
	n := sz.drifts / sz.perRound
	p := soakPlan{rounds: make([][]soakOp, n+1), batches: make([][]int, n+1)}
	noise := sz.events - 2*sz.drifts
	for r := range p.rounds {
		if r < n {
			p.batches[r] = perm[r*sz.perRound : (r+1)*sz.perRound]
		}
		var ops []soakOp
		for _, s := range p.batches[r] {
			ops = append(ops, soakOp{kind: opDrift, spoke: s})
		}
		if r > 0 {
			for _, s := range p.batches[r-1] {
				ops = append(ops, soakOp{kind: opFix, spoke: s})
			}
		}
		share := noise / len(p.rounds)
		if r < noise%len(p.rounds) {
			share++
		}
		for range share {
			ops = append(ops, noiseOp(rng, spokes))
		}
		rng.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		p.rounds[r] = ops
	}
	return p
}

// noiseOp draws a change that must not be notified.
func noiseOp(rng *rand.Rand, spokes int) soakOp {
	switch x := rng.Float64(); {
	case x < 0.5:
		return soakOp{kind: opTouchPeering, spoke: rng.IntN(spokes)}
	case x < 0.75:
		return soakOp{kind: opTouchVNet, spoke: rng.IntN(spokes)}
	case x < 0.85:
		return soakOp{kind: opTouchHub, other: rng.IntN(2)}
	default:
		return soakOp{kind: opUnrelated, other: rng.IntN(2)}
	}
}

// soakWriter makes the plan's changes through the ARM API, past the
// emulator's faults, one at a time.
type soakWriter struct {
	est     *soakEstate
	dana    *demo.Actions // the seeded drifts' author
	ops     *demo.Actions // everything else
	drifted map[int]bool
	counts  map[string]int
}

func newSoakWriter(est *soakEstate, armURL string) *soakWriter {
	return &soakWriter{est: est, dana: demo.NewActions(armURL, dana), ops: demo.NewActions(armURL, "name=Ops Pipeline,appid=ops-pipeline"),
		drifted: map[int]bool{}, counts: map[string]int{}}
}

func (w *soakWriter) apply(ctx context.Context, op soakOp) error {
	w.counts[op.kind]++
	switch s := w.est.spokes[op.spoke]; op.kind {
	case opDrift:
		w.drifted[op.spoke] = true
		return w.dana.SetForwarding(ctx, s.peering, false)
	case opFix:
		delete(w.drifted, op.spoke)
		return w.ops.SetForwarding(ctx, s.peering, true)
	case opTouchPeering:
		return w.ops.SetForwarding(ctx, s.peering, !w.drifted[op.spoke])
	case opTouchVNet:
		return w.ops.SetAddressSpace(ctx, s.id, s.prefixes...)
	case opTouchHub:
		h := w.est.hubs[op.other]
		return w.ops.SetAddressSpace(ctx, h.id, h.prefixes...)
	case opUnrelated:
		o := w.est.others[op.other]
		return w.ops.SetAddressSpace(ctx, o.id, o.prefixes...)
	}
	return fmt.Errorf("unknown soak change %q", op.kind)
}
