package email

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
	"github.com/vnetdrift/vnetdrift/notify/internal/notifytest"
)

// maildev is a running maildev, from VNETDRIFT_TEST_MAILDEV
// ("smtp=127.0.0.1:1025,api=http://127.0.0.1:1080,user=…,pass=…", as
// printed by .ci/maildev.sh start).
type maildev struct{ smtp, api, user, pass string }

func needMaildev(t *testing.T) maildev {
	t.Helper()
	v := os.Getenv("VNETDRIFT_TEST_MAILDEV")
	if v == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("VNETDRIFT_TEST_MAILDEV is unset in CI: run eval \"$(.ci/maildev.sh start)\" first")
		}
		t.Skip("VNETDRIFT_TEST_MAILDEV unset: run eval \"$(.ci/maildev.sh start)\" to test against maildev")
	}
	var m maildev
	for _, kv := range strings.Split(v, ",") {
		k, val, _ := strings.Cut(kv, "=")
		switch k {
		case "smtp":
			m.smtp = val
		case "api":
			m.api = strings.TrimRight(val, "/")
		case "user":
			m.user = val
		case "pass":
			m.pass = val
		}
	}
	require.NotEmpty(t, m.smtp, "VNETDRIFT_TEST_MAILDEV has no smtp=")
	require.NotEmpty(t, m.api, "VNETDRIFT_TEST_MAILDEV has no api=")
	return m
}

// received is the part of maildev's /api/email answer the tests read.
type received struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
	From    []struct {
		Address string `json:"address"`
	} `json:"from"`
	To []struct {
		Address string `json:"address"`
	} `json:"to"`
	Headers map[string]any `json:"headers"`
}

// inbox returns the mails maildev holds for rcpt.
func (m maildev) inbox(t *testing.T, rcpt string) []received {
	t.Helper()
	resp, err := http.Get(m.api + "/api/email")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var all []received
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&all))
	var out []received
	for _, r := range all {
		for _, to := range r.To {
			if strings.EqualFold(to.Address, rcpt) {
				out = append(out, r)
			}
		}
	}
	return out
}

// rcpt is an address no other test uses, so that tests can share maildev.
func rcpt(t *testing.T, tag string) string {
	return fmt.Sprintf("netops+%s-%d@contoso.example", tag, time.Now().UnixNano())
}

func (m maildev) config(to ...string) Config {
	return Config{Addr: m.smtp, Username: m.user, Password: Secret(m.pass),
		From: "vnetdrift <drift@contoso.example>", To: to}
}

func TestMaildevDelivers(t *testing.T) {
	md := needMaildev(t)
	tests := []struct {
		name    string
		auth    Auth
		notice  alert.Notice
		subject string
	}{
		{"opened plain", AuthPlain, notifytest.Opened(), "[vnetdrift] HIGH ADDRESS_OVERLAP on vnet-spoke-app1-weu (+2 more)"},
		{"resolved login", AuthLogin, notifytest.Resolved(), "[vnetdrift] resolved: ADDRESS_SPACE_DRIFT on vnet-spoke-app1-weu (+1 more)"},
		{"digest", AuthPlain, notifytest.Digest(), "[vnetdrift] reconcile: 4 open drifts (1 high, 2 medium, 1 low), 1 resolved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to1, to2 := rcpt(t, "a"), rcpt(t, "b")
			cfg := md.config(to1, to2)
			cfg.Auth = tt.auth
			n, err := New(cfg)
			require.NoError(t, err)
			retry, err := n.Notify(context.Background(), tt.notice)
			require.NoError(t, err)
			assert.False(t, retry)

			got := md.inbox(t, to1)
			require.Len(t, got, 1, "one mail per notice")
			mail := got[0]
			assert.Equal(t, tt.subject, mail.Subject)
			var tos []string
			for _, a := range mail.To {
				tos = append(tos, a.Address)
			}
			assert.ElementsMatch(t, []string{to1, to2}, tos)
			require.NotEmpty(t, mail.From)
			assert.Equal(t, "drift@contoso.example", mail.From[0].Address)
			want, err := Render(tt.notice, "", DefaultMaxFindings)
			require.NoError(t, err)
			assert.Equal(t, strings.TrimSpace(want.Text), normalize(mail.Text), "plain-text part")
			assert.Equal(t, strings.TrimSpace(want.HTML), normalize(mail.HTML), "HTML part")
		})
	}
}

func TestMaildevWrongPassword(t *testing.T) {
	md := needMaildev(t)
	const wrong = "Wr0ng-Passw0rd-do-not-print"
	to := rcpt(t, "wrong")
	cfg := md.config(to)
	cfg.Password = wrong
	logger, logs := notifytest.Logger()
	cfg.Logger = logger
	n, err := New(cfg)
	require.NoError(t, err)
	retry, err := n.Notify(context.Background(), notifytest.Opened())
	require.Error(t, err)
	assert.True(t, retry, "a rejected login may be a rotated secret: the dispatcher retries")
	assert.Equal(t, channel.ReasonAuthError, channel.ReasonOf(err))
	assert.Contains(t, err.Error(), "authenticating (AUTH)")
	assert.Contains(t, err.Error(), "535")
	notifytest.AssertNoSecret(t, err, logs, wrong, md.pass)
	assert.Empty(t, md.inbox(t, to))
}

func TestSendErrorsAreRetriedAndNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	logger, logs := notifytest.Logger()
	const pass = "s3cret-never-shown"
	n, err := New(Config{Addr: addr, Username: "u", Password: pass, From: "a@b.example", To: []string{"c@d.example"},
		Logger: logger})
	require.NoError(t, err)
	retry, err := n.Notify(context.Background(), notifytest.Opened())
	require.Error(t, err)
	assert.True(t, retry)
	assert.Equal(t, channel.ReasonNetwork, channel.ReasonOf(err))
	assert.Contains(t, err.Error(), "connecting with "+addr)
	notifytest.AssertNoSecret(t, err, logs, pass)
}

func normalize(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
