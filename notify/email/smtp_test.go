package email

import (
	"bufio"
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
	"github.com/vnetdrift/vnetdrift/notify/internal/notifytest"
)

// fakeSMTP is a minimal SMTP server on loopback that offers only AUTH
// XOAUTH2, like ACS SMTP, and accepts one bearer token (maildev offers
// PLAIN and LOGIN only). replies overrides the answer to a verb ("EHLO",
// "MAIL", "RCPT", "DATA", or "." for the end of the data).
type fakeSMTP struct {
	ln      net.Listener
	token   string
	replies map[string]string
	mu      sync.Mutex
	auths   []string // decoded SASL responses
	data    []string // message bodies
}

func newFakeSMTP(t *testing.T, token string, replies map[string]string) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &fakeSMTP{ln: ln, token: token, replies: replies}
	t.Cleanup(func() { _ = ln.Close() })
	go s.serve()
	return s
}

func (s *fakeSMTP) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.session(c)
	}
}

func (s *fakeSMTP) session(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	say := func(line string) { _, _ = w.WriteString(line + "\r\n"); _ = w.Flush() }
	say("220 fake.smtp ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		verb = strings.ToUpper(verb)
		if reply, ok := s.replies[verb]; ok {
			say(reply)
			continue
		}
		switch verb {
		case "EHLO", "HELO":
			say("250-fake.smtp\r\n250-8BITMIME\r\n250 AUTH XOAUTH2")
		case "AUTH":
			say(s.auth(arg))
		case "MAIL", "RCPT", "RSET", "NOOP":
			say("250 2.0.0 OK")
		case "DATA":
			say("354 go ahead")
			s.readData(r)
			say(cmp.Or(s.replies["."], "250 2.0.0 queued"))
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 5.5.2 unknown command")
		}
	}
}

func (s *fakeSMTP) auth(arg string) string {
	mech, resp, _ := strings.Cut(arg, " ")
	raw, err := base64.StdEncoding.DecodeString(resp)
	if !strings.EqualFold(mech, "XOAUTH2") || err != nil {
		return "504 5.5.4 unsupported"
	}
	s.mu.Lock()
	s.auths = append(s.auths, string(raw))
	s.mu.Unlock()
	if strings.Contains(string(raw), "auth=Bearer "+s.token+"\x01") {
		return "235 2.7.0 Authentication successful"
	}
	return "535 5.7.3 Authentication unsuccessful"
}

func (s *fakeSMTP) readData(r *bufio.Reader) {
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == ".\r\n" {
			break
		}
		b.WriteString(strings.TrimPrefix(line, ".")) // dot-unstuffing (RFC 5321 4.5.2)
	}
	s.mu.Lock()
	s.data = append(s.data, b.String())
	s.mu.Unlock()
}

// staticCred is an azcore.TokenCredential that hands out one token and
// records the scopes asked for.
type staticCred struct {
	token  string
	err    error
	scopes [][]string
}

func (c *staticCred) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.scopes = append(c.scopes, o.Scopes)
	return azcore.AccessToken{Token: c.token, ExpiresOn: time.Now().Add(time.Hour)}, c.err
}

const acsUser = "acs-vnetdrift|9f8e7d6c-5b4a-4321-9876-0fedcba98765|72f988bf-86f1-41af-91ab-2d7cd011db47"

func TestXOAUTH2(t *testing.T) {
	const good = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.good-token.sig"
	tests := []struct {
		name    string
		cred    *staticCred
		wantErr string
		reason  channel.Reason
	}{
		{name: "accepted", cred: &staticCred{token: good}},
		{name: "rejected token", cred: &staticCred{token: "eyJ0eXAi.expired-token.sig"}, wantErr: "535", reason: channel.ReasonAuthError},
		{name: "no token", cred: &staticCred{err: errors.New("managed identity unavailable")}, wantErr: "getting an SMTP token", reason: channel.ReasonAuthError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeSMTP(t, good, nil)
			logger, logs := notifytest.Logger()
			n, err := New(Config{Addr: srv.ln.Addr().String(), Auth: AuthXOAUTH2, Username: acsUser, Credential: tt.cred,
				From: "DoNotReply@contoso.example", To: []string{"netops@contoso.example"}, Logger: logger})
			require.NoError(t, err)
			retry, err := n.Notify(context.Background(), notifytest.Opened())
			require.Equal(t, [][]string{{DefaultScope}}, tt.cred.scopes, "one token per mail, for the ACS scope")
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.Len(t, srv.data, 1)
				msg, err := netmail.ReadMessage(strings.NewReader(srv.data[0]))
				require.NoError(t, err)
				assert.Equal(t, "[vnetdrift] HIGH ADDRESS_OVERLAP on vnet-spoke-app1-weu (+2 more)", msg.Header.Get("Subject"))
				assert.Equal(t, "opened", msg.Header.Get("X-Vnetdrift-Reason"))
				assert.Equal(t, []string{fmt.Sprintf("user=%s\x01auth=Bearer %s\x01\x01", acsUser, good)}, srv.auths)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
			assert.True(t, retry)
			assert.Equal(t, tt.reason, channel.ReasonOf(err))
			assert.Empty(t, srv.data)
			secrets := []string{good}
			if tt.cred.token != "" {
				secrets = append(secrets, tt.cred.token)
			}
			notifytest.AssertNoSecret(t, err, logs, secrets...)
		})
	}
}

// TestSMTPRepliesAreRetriedAndNamed is the email version of the
// every-status table: each failing SMTP reply is retried and the error
// names the command that failed.
func TestSMTPRepliesAreRetriedAndNamed(t *testing.T) {
	const good = "token-for-the-reply-table"
	tests := []struct {
		verb, reply, step string
		reason            channel.Reason
	}{
		{"EHLO", "421 4.3.2 service shutting down", "greeting (EHLO)", channel.ReasonServerError},
		{"AUTH", "454 4.7.0 temporary authentication failure", "authenticating (AUTH)", channel.ReasonAuthError},
		{"MAIL", "451 4.3.0 try again later", "sending MAIL FROM", channel.ReasonServerError},
		{"MAIL", "550 5.7.1 sender not allowed", "sending MAIL FROM", channel.ReasonServerError},
		{"RCPT", "550 5.1.1 no such user", "sending RCPT TO", channel.ReasonServerError},
		{"RCPT", "452 4.2.2 mailbox full", "sending RCPT TO", channel.ReasonServerError},
		{"DATA", "554 5.3.4 message rejected", "sending DATA", channel.ReasonServerError},
		{".", "552 5.3.4 message too big", "sending DATA", channel.ReasonServerError},
	}
	for _, tt := range tests {
		t.Run(tt.verb+" "+tt.reply[:3], func(t *testing.T) {
			replies := map[string]string{tt.verb: tt.reply}
			if tt.verb == "EHLO" {
				replies["HELO"] = tt.reply // the client falls back to HELO
			}
			srv := newFakeSMTP(t, good, replies)
			n, err := New(Config{Addr: srv.ln.Addr().String(), Auth: AuthXOAUTH2, Username: acsUser,
				Credential: &staticCred{token: good}, From: "a@contoso.example", To: []string{"b@contoso.example"}})
			require.NoError(t, err)
			retry, err := n.Notify(context.Background(), notifytest.Opened())
			require.Error(t, err)
			assert.True(t, retry)
			assert.Contains(t, err.Error(), tt.step)
			assert.Contains(t, err.Error(), tt.reply[:3])
			assert.Equal(t, tt.reason, channel.ReasonOf(err))
			assert.NotContains(t, err.Error(), good)
		})
	}
}
