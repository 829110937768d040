package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/state"
)

// soakSize sizes a soak run.
type soakSize struct {
	name     string
	events   int // changes made, one event each: 2 per drift, the rest noise
	drifts   int // seeded drifts, each fixed later
	spokes   int // spokes in the synthetic estate (at least drifts)
	perRound int // drifts seeded per round
}

// soakSizeFromEnv is the short run (CI) unless VNETDRIFT_SOAK=full (make
// soak). VNETDRIFT_SOAK_SEED changes the seed of every random choice.
func soakSizeFromEnv() (soakSize, uint64) {
	seed := uint64(8)
	if s, err := strconv.ParseUint(os.Getenv("VNETDRIFT_SOAK_SEED"), 10, 64); err == nil {
		seed = s
	}
	if os.Getenv("VNETDRIFT_SOAK") == "full" {
		return soakSize{name: "full", events: 1000, drifts: 100, spokes: 100, perRound: 10}, seed
	}
	return soakSize{name: "short", events: 200, drifts: 20, spokes: 40, perRound: 5}, seed
}

// Soak settings.
const (
	soakThrottle  = 0.10                   // ARM requests answered 429 Retry-After: 1…
	soakServerErr = 0.22                   // …and 500 or 503 of the rest: 29.8 % in all
	soakDuplicate = 0.3                    // events delivered twice
	soakDelay     = 500 * time.Millisecond // bound of each delivery's random delay (reorders)
	soakTeamsFail = 0.08                   // Teams posts refused (429 Retry-After: 1, or 500)
	soakTimer     = 10 * time.Second       // the Reconcile timer's period
	soakRoundWait = 3 * time.Minute        // liveness bound of one round's notifications
	soakMaxHWM    = 256 << 10              // KiB: bound of each instance's peak RSS
	soakMaxGs     = 200                    // bound of each instance's goroutines once idle
)

// Issue #8: two serve instances sharing Azurite, fed by the emulator with
// 30 % of ARM requests failing and events duplicated, delayed and
// reordered; seeded drifts and their later fixes among noise events; the
// Reconcile timer running meanwhile, and a final reconcile. Every seeded
// drift is notified exactly once and resolved exactly once at the Teams
// webhook and in maildev, nothing else is notified, nothing stays open,
// and the instances' goroutines and memory stay bounded.
func TestSoak(t *testing.T) {
	tableConn := realServer(t, "VNETDRIFT_TEST_AZURITE", `.ci/azurite.sh start && eval "$(.ci/azurite.sh env)"`)
	mailSpec := realServer(t, "VNETDRIFT_TEST_MAILDEV", `eval "$(.ci/maildev.sh start)"`)
	sz, seed := soakSizeFromEnv()
	s := startSoak(t, sz, seed, tableConn, mailSpec)
	s.run(t)
	s.finish(t)
}

// soak is one run's fixture and figures.
type soak struct {
	size      soakSize
	seed      uint64
	start     time.Time
	est       *soakEstate
	emu       *emulator.Server
	arm       *armCounter
	router    *eventRouter
	teams     *soakTeams
	hosts     []*host
	settings  map[string]string
	mailAPI   string
	rcpt      string
	writer    *soakWriter
	plan      soakPlan
	timerBody []byte
	timer     map[int]int
	idle      []procMem // after start
	warm      []procMem // after the first round
}

func startSoak(t *testing.T, sz soakSize, seed uint64, tableConn, mailSpec string) *soak {
	t.Helper()
	binary(t) // built before the clock starts
	s := &soak{size: sz, seed: seed, start: time.Now(), est: newSoakEstate(t, sz.spokes),
		teams: newSoakTeams(seed, soakTeamsFail), timerBody: fixture(t, "customhandler-request_timerTrigger_azfunc-test.json")}
	s.plan = newSoakPlan(sz, sz.spokes, rand.New(rand.NewPCG(seed, 5)))
	routerSrv := httptest.NewUnstartedServer(nil)
	var err error
	s.emu, err = emulator.New(s.est.res, emulator.Options{EventsTo: []string{"http://" + routerSrv.Listener.Addr().String()},
		PollInterval: 20 * time.Millisecond, Faults: emulator.Faults{Seed: int64(seed), ThrottleRate: soakThrottle,
			ServerErrRate: soakServerErr, EventDuplicate: soakDuplicate, EventDelay: soakDelay}})
	require.NoError(t, err)
	s.arm = &armCounter{next: s.emu, byStatus: map[int]int{}}
	faulty := httptest.NewServer(s.arm)
	clean := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set(emulator.NoFaultsHeader, "1")
		s.emu.ServeHTTP(w, r)
	}))
	teamsSrv := httptest.NewServer(s.teams)
	s.writer = newSoakWriter(s.est, clean.URL)
	s.startHosts(t, faulty.URL, teamsSrv.URL, tableConn, mailSpec)
	s.router = newEventRouter(s.hosts, seed, 3)
	routerSrv.Config.Handler = s.router
	routerSrv.Start()
	t.Cleanup(func() { // before the instances stop (cleanups run last first)
		s.emu.Close()
		routerSrv.Close()
		faulty.Close()
		clean.Close()
		teamsSrv.Close()
	})
	s.idle = s.memory(t)
	return s
}

// startHosts starts the two serve instances: one Azurite table, one Teams
// webhook, one maildev recipient.
func (s *soak) startHosts(t *testing.T, armURL, teamsURL, tableConn, mailSpec string) {
	t.Helper()
	s.rcpt = fmt.Sprintf("netops+soak-%d@contoso.example", time.Now().UnixNano())
	var settings map[string]string
	settings, s.mailAPI = maildevSettings(t, mailSpec, s.rcpt)
	baselinePath := filepath.Join(t.TempDir(), "baseline.yaml")
	require.NoError(t, os.WriteFile(baselinePath, s.est.baseline, 0o600))
	for k, v := range map[string]string{
		"VNETDRIFT_ARM_ENDPOINT":            armURL,
		"VNETDRIFT_SUBSCRIPTIONS":           s.est.sub,
		"VNETDRIFT_BASELINE":                baselinePath,
		"VNETDRIFT_STATE_TABLE":             fmt.Sprintf("soak%d", time.Now().UnixNano()%1e9),
		"VNETDRIFT_STATE_CONNECTION_STRING": tableConn,
		"VNETDRIFT_TEAMS_WEBHOOK_URL":       teamsURL + "/workflows/soak?sig=soak-signature",
		"GOTRACEBACK":                       "all",
	} {
		settings[k] = v
	}
	s.settings = settings
	s.hosts = []*host{startHost(t, settings), startHost(t, settings)}
}

// run makes the plan's changes round by round. After each round it waits
// until the round's drifts were notified as opened and the previous
// round's as resolved, on both channels, before the next round fixes
// them: a drift fixed before anyone saw it is rightly never notified.
func (s *soak) run(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	tm := startTimer(s.hosts, s.timerBody, soakTimer)
	defer func() {
		if s.timer == nil {
			s.timer = tm.halt()
		}
	}()
	for r, ops := range s.plan.rounds {
		began := time.Now()
		for _, op := range ops {
			require.NoError(t, s.writer.apply(ctx, op), "round %d: %s", r, op.kind)
		}
		t.Logf("round %d/%d: %d changes made in %s", r+1, len(s.plan.rounds), len(ops), time.Since(began).Round(time.Millisecond))
		var prev []int
		if r > 0 {
			prev = s.plan.batches[r-1]
		}
		s.waitNotified(t, r, s.plan.batches[r], prev)
		if r == 0 {
			s.warm = s.memory(t)
		}
	}
	s.timer = tm.halt()
}

// waitNotified waits until every drift of opened was notified as opened
// and every one of resolved as resolved, at the Teams webhook and in
// maildev.
func (s *soak) waitNotified(t *testing.T, round int, opened, resolved []int) {
	t.Helper()
	deadline := time.Now().Add(soakRoundWait)
	for {
		missing := s.missing(t, opened, resolved)
		if len(missing) == 0 {
			t.Logf("round %d/%d done after %s: %d drifts opened, %d resolved", round+1, len(s.plan.rounds),
				time.Since(s.start).Round(time.Second), len(opened), len(resolved))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("round %d: not notified within %s: %v", round+1, soakRoundWait, missing)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func (s *soak) missing(t *testing.T, opened, resolved []int) []string {
	t.Helper()
	mail, err := mailTally(s.mailAPI, s.rcpt)
	require.NoError(t, err)
	var out []string
	s.teams.read(func(teams *tally, _ map[int]int) {
		for _, c := range []struct {
			spokes []int
			reason string
		}{{opened, "opened"}, {resolved, "resolved"}} {
			for _, i := range c.spokes {
				where := s.est.spokes[i].where
				if teams.count(where, c.reason) == 0 {
					out = append(out, "Teams "+c.reason+" "+where)
				}
				if mail.count(where, c.reason) == 0 {
					out = append(out, "mail "+c.reason+" "+where)
				}
			}
		}
	})
	return out
}

// finish waits for the last deliveries, reconciles once more and checks
// the outcome.
func (s *soak) finish(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	require.NoError(t, s.emu.WaitEvents(ctx), "every delivery answered or dropped")
	s.finalReconcile(t, ctx)
	mail, err := mailTally(s.mailAPI, s.rcpt)
	require.NoError(t, err)
	var teams *tally
	s.teams.read(func(tl *tally, _ map[int]int) { teams = tl })
	rs := s.router.stats()
	inst := s.instances(t)
	s.report(t, teams, mail, rs, inst)
	checkBounds(t, inst)
	for _, ch := range []struct {
		name string
		t    *tally
	}{{"Teams", teams}, {"mail", mail}} {
		s.checkChannel(t, ch.name, ch.t)
	}
	st, err := state.FromEnv(ctx, func(k string) string { return s.settings[k] })
	require.NoError(t, err)
	open, err := st.Open(ctx)
	require.NoError(t, err)
	assert.Empty(t, open, "nothing stays open in the shared state")
	assert.Equal(t, s.size.events, rs.distinct, "every change's event reached an instance")
}

// finalReconcile runs the Reconcile function on the first instance until
// it succeeds: under ARM faults a reconcile may fail, as the timer's may.
func (s *soak) finalReconcile(t *testing.T, ctx context.Context) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Minute}
	for try := 1; ; try++ {
		status, err := postInvocation(ctx, c, s.hosts[0], "Reconcile", s.timerBody)
		require.NoError(t, err)
		if status == http.StatusOK {
			return
		}
		require.Less(t, try, 5, "the final reconcile keeps failing: %d", status)
	}
}

// checkChannel asserts that every seeded drift was opened once and
// resolved once on the channel, and that nothing else was notified.
func (s *soak) checkChannel(t *testing.T, name string, tl *tally) {
	t.Helper()
	assert.Zero(t, tl.truncated, "%s: no message left findings out", name)
	seeded := map[string]bool{}
	for r := range s.plan.batches {
		for _, i := range s.plan.batches[r] {
			where := s.est.spokes[i].where
			seeded[where] = true
			assert.Equal(t, map[string]int{"opened": 1, "resolved": 1}, tl.by[where], "%s: %s", name, where)
		}
	}
	for where, reasons := range tl.by {
		assert.True(t, seeded[where], "%s: notified %v for %s, which was never drifted", name, reasons, where)
	}
}
