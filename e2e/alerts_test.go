package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/demo"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/examples"
)

// realServer returns the value of a test server setting printed by the
// .ci scripts; without it the test skips, or fails in CI.
func realServer(t *testing.T, env, start string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is unset in CI: run %s first", env, start)
		}
		t.Skipf("%s unset: run %s to test against the real server", env, start)
	}
	return v
}

// teamsSink is a loopback Teams Workflows webhook: it counts the cards it
// is posted and answers 202 like the real trigger.
type teamsSink struct {
	mu    sync.Mutex
	cards []string // the card titles posted
}

func (s *teamsSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Attachments []struct {
			Content struct {
				Body []json.RawMessage `json:"body"`
			} `json:"content"`
		} `json:"attachments"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil || len(msg.Attachments) != 1 {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	body, _ := json.Marshal(msg.Attachments[0].Content.Body)
	s.mu.Lock()
	s.cards = append(s.cards, string(body))
	s.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (s *teamsSink) count(word string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.cards {
		if strings.Contains(c, word) {
			n++
		}
	}
	return n
}

// mailbox counts the mails maildev holds for one recipient whose subject
// contains a word.
func mailbox(t *testing.T, api, rcpt, word string) int {
	t.Helper()
	resp, err := http.Get(strings.TrimRight(api, "/") + "/api/email")
	require.NoError(t, err)
	defer resp.Body.Close()
	var all []struct {
		Subject string `json:"subject"`
		To      []struct {
			Address string `json:"address"`
		} `json:"to"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&all))
	n := 0
	for _, m := range all {
		for _, to := range m.To {
			if strings.EqualFold(to.Address, rcpt) && strings.Contains(strings.ToLower(m.Subject), word) {
				n++
			}
		}
	}
	return n
}

func maildevSettings(t *testing.T, spec, rcpt string) (settings map[string]string, api string) {
	settings = map[string]string{"VNETDRIFT_EMAIL_TO": rcpt, "VNETDRIFT_EMAIL_FROM": "vnetdrift <drift@contoso.example>"}
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "smtp":
			settings["VNETDRIFT_SMTP_ADDR"] = v
		case "api":
			api = v
		case "user":
			settings["VNETDRIFT_SMTP_USERNAME"] = v
		case "pass":
			settings["VNETDRIFT_SMTP_PASSWORD"] = v
		}
	}
	require.NotEmpty(t, api, "VNETDRIFT_TEST_MAILDEV has no api=")
	return settings, api
}

// Two serve instances share alert state in Azurite (Table Storage). Both
// receive the same Event Grid event, and both timer reconciles re-find the
// drift: exactly one Teams card and one mail go out. The fix: exactly one
// resolved card and one resolved mail.
func TestTwoInstancesNotifyExactlyOnce(t *testing.T) {
	tableConn := realServer(t, "VNETDRIFT_TEST_AZURITE", `.ci/azurite.sh start && eval "$(.ci/azurite.sh env)"`)
	mailSpec := realServer(t, "VNETDRIFT_TEST_MAILDEV", `eval "$(.ci/maildev.sh start)"`)
	ctx := context.Background()

	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	tap := &eventTap{}
	tapSrv := httptest.NewServer(tap)
	t.Cleanup(tapSrv.Close)
	emu, err := emulator.New(res, emulator.Options{EventsTo: []string{tapSrv.URL}, PollInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	arm := httptest.NewServer(emu)
	t.Cleanup(func() { arm.Close(); emu.Close() })

	teams := &teamsSink{}
	teamsSrv := httptest.NewServer(teams)
	t.Cleanup(teamsSrv.Close)
	rcpt := fmt.Sprintf("netops+twoinstances-%d@contoso.example", time.Now().UnixNano())
	settings, api := maildevSettings(t, mailSpec, rcpt)
	baselinePath := filepath.Join(t.TempDir(), "baseline.yaml")
	require.NoError(t, os.WriteFile(baselinePath, examples.Baseline, 0o600))
	for k, v := range map[string]string{
		"VNETDRIFT_ARM_ENDPOINT":            arm.URL,
		"VNETDRIFT_SUBSCRIPTIONS":           subWEU + "," + subNEU,
		"VNETDRIFT_BASELINE":                baselinePath,
		"VNETDRIFT_STATE_TABLE":             fmt.Sprintf("alerts%d", time.Now().UnixNano()%1e9),
		"VNETDRIFT_STATE_CONNECTION_STRING": tableConn,
		"VNETDRIFT_TEAMS_WEBHOOK_URL":       teamsSrv.URL + "/workflows/drift?sig=secret-signature",
	} {
		settings[k] = v
	}
	a, b := startHost(t, settings), startHost(t, settings)
	timer := fixture(t, "customhandler-request_timerTrigger_azfunc-test.json")
	deliverToBoth := func() {
		require.NoError(t, emu.WaitEvents(ctx))
		events := tap.take()
		require.NotEmpty(t, events)
		for _, ev := range events {
			var wg sync.WaitGroup
			for _, h := range []*host{a, b} {
				wg.Go(func() {
					status, res := h.invoke(t, "OnResourceChange", invocationOf(t, ev))
					assert.Equal(t, http.StatusOK, status, "%v", res.Logs)
				})
			}
			wg.Wait()
		}
		for _, h := range []*host{a, b} {
			status, res := h.invoke(t, "Reconcile", timer)
			require.Equal(t, http.StatusOK, status, "%v", res.Logs)
		}
	}

	require.NoError(t, demo.NewActions(arm.URL, dana).SetForwarding(ctx, s3ToHubN, false))
	deliverToBoth()
	assert.Equal(t, 1, teams.count("PEERING_SETTINGS_DRIFT"), "one Teams card for the drift")
	assert.Equal(t, 1, mailbox(t, api, rcpt, "peering_settings_drift"), "one mail for the drift")

	require.NoError(t, demo.NewActions(arm.URL, "").SetForwarding(ctx, s3ToHubN, true))
	deliverToBoth()
	assert.Equal(t, 1, teams.count("resolved"), "one resolved card")
	assert.Equal(t, 1, mailbox(t, api, rcpt, "resolved"), "one resolved mail")
	assert.Equal(t, 2, teams.count(""), "nothing else was posted")

	for _, h := range []*host{a, b} {
		assert.NotContains(t, h.output.String(), "secret-signature", "the webhook signature never reaches a log")
		assert.NotContains(t, h.output.String(), settings["VNETDRIFT_SMTP_PASSWORD"], "the SMTP password never reaches a log")
	}
}
