package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/handler"
)

const deadLetterFile = "testdata/deadletter.json"

// replayRun runs `vnetdrift replay` with the given environment and stdin.
func replayRun(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(append([]string{"replay"}, args...), &Env{
		Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin),
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

// recorder is a webhook that records requests and answers with the next
// status of statuses (200 once they run out).
type recorder struct {
	mu       sync.Mutex
	reqs     []*http.Request
	bodies   [][]byte
	statuses []int
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs, r.bodies = append(r.reqs, req), append(r.bodies, body)
	status := http.StatusOK
	if len(r.statuses) > 0 {
		status, r.statuses = r.statuses[0], r.statuses[1:]
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "temporarily unable\n to handle")
}

func TestReplayPostsEachEventAsEventGridDelivers(t *testing.T) {
	rec := &recorder{statuses: []int{http.StatusOK, http.StatusInternalServerError}}
	srv := httptest.NewServer(rec)
	defer srv.Close()

	code, out, errs := replayRun(t, nil, "", "--file", deadLetterFile, "--to", srv.URL+"/api/events", "--key", "s3cret")

	assert.Equal(t, exitNotDelivered, code, "one event was refused")
	assert.Empty(t, errs)
	assert.Contains(t, out, "event 8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a11 Microsoft.Resources.ResourceWriteSuccess "+
		"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub "+
		"(dead-lettered: MaxDeliveryAttemptsExceeded after 30 attempt(s), last outcome Probation): accepted (200 OK)")
	assert.Contains(t, out, "0a12 Microsoft.Resources.ResourceDeleteSuccess")
	assert.Contains(t, out, "last outcome InternalServerError): FAILED: HTTP 500: temporarily unable to handle")
	assert.Contains(t, out, "replayed 2 event(s) to "+srv.URL+"/api/events: 1 accepted, 1 failed")
	assert.NotContains(t, out, "s3cret")

	original := readDeadLetterFixture(t)
	require.Len(t, rec.reqs, 2)
	for i, req := range rec.reqs {
		assert.Equal(t, http.MethodPost, req.Method)
		assert.Equal(t, "/api/events", req.URL.Path)
		assert.Equal(t, "s3cret", req.Header.Get(handler.HeaderKey))
		assert.Equal(t, "Notification", req.Header.Get("aeg-event-type"))
		assert.Equal(t, "application/json; charset=utf-8", req.Header.Get("Content-Type"))

		var sent []map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(rec.bodies[i], &sent), "an EventGridSchema delivery is an array")
		require.Len(t, sent, 1)
		for _, f := range deadLetterFields {
			assert.NotContains(t, sent[0], f, "dead-letter property removed")
		}
		want := original[i]
		for _, f := range deadLetterFields {
			delete(want, f)
		}
		assert.Equal(t, canonical(t, want), canonical(t, sent[0]), "the event is otherwise sent as published")
	}
}

// Replayed into the real handler, the events reach the pipeline as the
// changes they describe; a wrong key is refused and reported.
func TestReplayIntoTheHandler(t *testing.T) {
	p := &replayPipeline{}
	srv := httptest.NewServer(handler.New(p, handler.Config{WebhookKey: "right"}))
	defer srv.Close()

	code, out, _ := replayRun(t, map[string]string{replayKeyEnv: "right"}, "", "--file", deadLetterFile, "--to", srv.URL+handler.WebhookPath)
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "2 accepted, 0 failed")
	require.Len(t, p.changes, 2)
	assert.Equal(t, "8c1bd5b0-3c1f-4c6e-9a3e-5c3a3f7d0a11", p.changes[0].EventID)
	assert.Equal(t, "Microsoft.Network/virtualNetworks/write", p.changes[0].OperationName)
	assert.Equal(t, "Jane Doe", p.changes[0].Caller.Name)
	assert.Equal(t, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete", p.changes[1].OperationName)

	code, out, _ = replayRun(t, nil, "", "--file", deadLetterFile, "--to", srv.URL+handler.WebhookPath, "--key", "wrong")
	assert.Equal(t, exitNotDelivered, code)
	assert.Contains(t, out, "FAILED: HTTP 403: check --key (or $VNETDRIFT_WEBHOOK_KEY)")
	assert.Contains(t, out, "0 accepted, 2 failed")
	assert.Len(t, p.changes, 2, "nothing more reached the pipeline")
}

// replayPipeline records the changes the handler passes on.
type replayPipeline struct {
	mu      sync.Mutex
	changes []eventgrid.Change
}

func (p *replayPipeline) Handle(_ context.Context, changes []eventgrid.Change) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.changes = append(p.changes, changes...)
	return nil
}

func (p *replayPipeline) Reconcile(context.Context) error { return nil }

// A CloudEvents dead-letter is sent as a single structured-mode event;
// concatenated blobs on standard input are all read.
func TestReplayCloudEventsFromStdin(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	stdin := `{"specversion":"1.0","id":"ce-1","type":"Microsoft.Resources.ResourceWriteSuccess","source":"/subscriptions/s","subject":"/subscriptions/s/x","data":{"operationName":"Microsoft.Network/virtualNetworks/write"},"deadLetterReason":"TimeToLiveExceeded","deliveryAttempts":4}
[{"id":"eg-1","eventType":"Microsoft.Resources.ResourceWriteSuccess","subject":"/subscriptions/s/y","data":{},"eventTime":"2025-03-04T10:00:00Z","dataVersion":"2","metadataVersion":"1"}]`

	code, out, errs := replayRun(t, nil, stdin, "--file", "-", "--to", srv.URL)
	require.Equal(t, ExitOK, code, errs)
	assert.Contains(t, out, "event ce-1 Microsoft.Resources.ResourceWriteSuccess /subscriptions/s/x (dead-lettered: TimeToLiveExceeded after 4 attempt(s), last outcome -): accepted")
	assert.Contains(t, out, "event eg-1 Microsoft.Resources.ResourceWriteSuccess /subscriptions/s/y: accepted")
	require.Len(t, rec.reqs, 2)
	assert.Equal(t, "application/cloudevents+json; charset=utf-8", rec.reqs[0].Header.Get("Content-Type"))
	assert.Empty(t, rec.reqs[0].Header.Get(handler.HeaderKey), "no key given, none sent")
	var ce map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(rec.bodies[0], &ce), "a CloudEvent is sent as an object")
	assert.JSONEq(t, `"ce-1"`, string(ce["id"]))
	assert.NotContains(t, ce, "deadLetterReason")
	assert.True(t, bytes.HasPrefix(rec.bodies[1], []byte("[")), "the EventGridSchema event is sent as an array")
}

func TestReplayDryRunSendsNothing(t *testing.T) {
	code, out, errs := replayRun(t, nil, "", "--file", deadLetterFile, "--dry-run")
	assert.Equal(t, ExitOK, code, errs)
	assert.Equal(t, 2, strings.Count(out, ": not sent (dry run)"))
	assert.Contains(t, out, "2 event(s) read, none sent (dry run)")
}

func TestReplayDoesNotFollowRedirects(t *testing.T) {
	elsewhere := &recorder{}
	other := httptest.NewServer(elsewhere)
	defer other.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal?code=x", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()

	code, out, _ := replayRun(t, nil, "", "--file", deadLetterFile, "--to", redirect.URL, "--key", "s3cret")
	assert.Equal(t, exitNotDelivered, code)
	assert.Contains(t, out, "FAILED: HTTP 307 redirect to "+other.URL+"/steal?… (not followed)")
	assert.Empty(t, elsewhere.reqs, "the key never reached the redirect target")
}

// The Functions webhook URL carries the system key in its query: it never
// appears in the output, even when the request fails.
func TestReplayKeepsTheURLKeyOutOfTheOutput(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // connection refused from now on

	code, out, errs := replayRun(t, nil, "", "--file", deadLetterFile,
		"--to", url+"/runtime/webhooks/eventgrid?functionName=OnResourceChange&code=SYSTEMKEY")
	assert.Equal(t, exitNotDelivered, code)
	assert.Contains(t, out, "FAILED: POST: Post "+url+"/runtime/webhooks/eventgrid?…")
	assert.Contains(t, out, "to "+url+"/runtime/webhooks/eventgrid?…: 0 accepted, 2 failed")
	assert.NotContains(t, out+errs, "SYSTEMKEY")
}

func TestReplayUsageErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := dir + "/" + name
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
		return path
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"--to", "https://x.example/api/events"}, "--file is required"},
		{"no target", []string{"--file", deadLetterFile}, "--to is required (or --dry-run)"},
		{"not http", []string{"--file", deadLetterFile, "--to", "ftp://x.example/events"}, "want an absolute http(s) URL"},
		{"relative", []string{"--file", deadLetterFile, "--to", "/api/events"}, "want an absolute http(s) URL"},
		{"clear text over the network", []string{"--file", deadLetterFile, "--to", "http://func.example/api/events?code=SYSTEMKEY"},
			"--to http://func.example/api/events?…: plain http is allowed only to a loopback address"},
		{"missing file", []string{"--file", dir + "/nope.json", "--dry-run"}, "reading dead-letter file: open " + dir + "/nope.json"},
		{"not JSON", []string{"--file", write("bad.json", "[{"), "--dry-run"}, "bad.json: unexpected EOF"},
		{"empty", []string{"--file", write("empty.json", "[]"), "--dry-run"}, "empty.json: no events"},
		{"not an event", []string{"--file", write("odd.json", `[{"hello":"world"}]`), "--dry-run"}, "odd.json: event 1: not an Event Grid event"},
		{"not an object", []string{"--file", write("num.json", `[1]`), "--dry-run"}, "num.json: value 1: want an array of event objects"},
		{"stray argument", []string{"--file", deadLetterFile, "--dry-run", "extra"}, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := replayRun(t, nil, "", c.args...)
			assert.Equal(t, ExitUsage, code, out)
			assert.Contains(t, errs, c.want)
			assert.NotContains(t, errs, "SYSTEMKEY")
		})
	}
}

func readDeadLetterFixture(t *testing.T) []map[string]json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(deadLetterFile)
	require.NoError(t, err)
	var evs []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &evs))
	return evs
}

// canonical re-encodes v so that equal JSON compares equal.
func canonical(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var generic any
	require.NoError(t, json.Unmarshal(b, &generic))
	b, err = json.Marshal(generic)
	require.NoError(t, err)
	return string(b)
}
