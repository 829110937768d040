package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/demo"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/examples"
	"github.com/vnetdrift/vnetdrift/notify/jsonl"
)

// The Functions host's side of the custom-handler protocol
// (shared/notes/functions-and-eventgrid.md §1).
const (
	hostVersion      = "4.1036.1.23224"
	hostPollInterval = 25 * time.Millisecond
	fixtures         = "../eventgrid/testdata/"
)

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds vnetdrift once per test run.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "vnetdrift-e2e-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "vnetdrift")
		out, err := exec.Command("go", "build", "-o", binPath, "..").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	require.NoError(t, binErr)
	return binPath
}

// host runs the binary as the Functions host does.
type host struct {
	url    string
	cmd    *exec.Cmd
	output *syncBuffer
	exited chan struct{} // closed when the process has exited
	err    error         // its exit error, once exited is closed
}

// startHost starts `vnetdrift serve` with FUNCTIONS_CUSTOMHANDLER_PORT and
// the given settings, and polls GET / every 25 ms until it answers.
func startHost(t *testing.T, settings map[string]string) *host {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(binary(t), "serve")
	cmd.Dir = t.TempDir()
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + cmd.Dir,
		"FUNCTIONS_CUSTOMHANDLER_PORT=" + port, "FUNCTIONS_CUSTOMHANDLER_WORKER_ID=" + uuid.NewString(),
		"FUNCTIONS_APP_ROOT_PATH=" + cmd.Dir,
	}
	for k, v := range settings {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	h := &host{url: "http://127.0.0.1:" + port, cmd: cmd, output: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = h.output, h.output
	require.NoError(t, cmd.Start())
	go func() {
		h.err = cmd.Wait()
		close(h.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-h.exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("vnetdrift serve output:\n%s", h.output.String())
		}
	})
	h.waitReady(t)
	return h
}

// waitReady polls like the host: any HTTP answer means ready, only socket
// errors mean not yet.
func (h *host) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(h.url + "/")
		if err == nil {
			_ = resp.Body.Close()
			return
		}
		select {
		case <-h.exited:
			t.Fatalf("vnetdrift serve exited before answering: %v\n%s", h.err, h.output.String())
		default:
		}
		require.True(t, time.Now().Before(deadline), "no answer on %s: %v", h.url, err)
		time.Sleep(hostPollInterval)
	}
}

// invocationResult is the custom handler's answer.
type invocationResult struct {
	Outputs     map[string]any
	Logs        []string
	ReturnValue any
}

// invoke POSTs an invocation of function with the host's headers. It
// requires the JSON content type the host needs and a well-formed result.
func (h *host) invoke(t *testing.T, function string, body []byte) (int, invocationResult) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+"/"+function, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("X-Azure-Functions-InvocationId", uuid.NewString())
	req.Header.Set("X-Azure-Functions-HostVersion", hostVersion)
	req.Header.Set("User-Agent", "Azure-Functions-Host/"+hostVersion)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"), "the host rejects anything else")
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var keys map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &keys), "%s", raw)
	for _, k := range []string{"Outputs", "Logs", "ReturnValue"} {
		assert.Contains(t, keys, k)
	}
	var res invocationResult
	require.NoError(t, json.Unmarshal(raw, &res))
	return resp.StatusCode, res
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	require.NoError(t, err)
	return port
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// eventTap is an Event Grid subscription the test reads: the emulator
// delivers to it, and the test hands each event to the host.
type eventTap struct {
	mu     sync.Mutex
	events []json.RawMessage
}

func (e *eventTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var batch []json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	e.events = append(e.events, batch...)
	e.mu.Unlock()
}

func (e *eventTap) take() []json.RawMessage {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.events
	e.events = nil
	return out
}

// invocationOf wraps an event as the host does for an eventGridTrigger
// binding named "event": the event in Data, its data in Metadata.
func invocationOf(t *testing.T, event json.RawMessage) []byte {
	t.Helper()
	var env struct{ Data json.RawMessage }
	require.NoError(t, json.Unmarshal(event, &env))
	body, err := json.Marshal(map[string]any{
		"Data": map[string]any{"event": event},
		"Metadata": map[string]any{"data": env.Data,
			"sys": map[string]any{"MethodName": "OnResourceChange", "UtcNow": time.Now().UTC(), "RandGuid": uuid.NewString()}},
	})
	require.NoError(t, err)
	return body
}

// hostFixture is an emulator with the example estate and a running host
// reading it.
type hostFixture struct {
	host     *host
	emu      *emulator.Server
	armURL   string
	tap      *eventTap
	findings string
}

func startHostFixture(t *testing.T) *hostFixture {
	t.Helper()
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	f := &hostFixture{tap: &eventTap{}, findings: filepath.Join(t.TempDir(), "findings.jsonl")}
	tap := httptest.NewServer(f.tap)
	t.Cleanup(tap.Close)
	f.emu, err = emulator.New(res, emulator.Options{EventsTo: []string{tap.URL}, PollInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	arm := httptest.NewServer(f.emu)
	t.Cleanup(func() { arm.Close(); f.emu.Close() })
	f.armURL = arm.URL
	baselinePath := filepath.Join(t.TempDir(), "baseline.yaml")
	require.NoError(t, os.WriteFile(baselinePath, examples.Baseline, 0o600))
	f.host = startHost(t, map[string]string{
		"VNETDRIFT_ARM_ENDPOINT":  arm.URL,
		"VNETDRIFT_SUBSCRIPTIONS": subWEU + "," + subNEU,
		"VNETDRIFT_BASELINE":      baselinePath,
		"VNETDRIFT_FINDINGS_FILE": f.findings,
	})
	return f
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtures + name)
	require.NoError(t, err)
	return b
}

func TestHostInvocations(t *testing.T) {
	f := startHostFixture(t)
	cases := []struct {
		name, function, body string // body: a fixture file name, or inline JSON when it starts with "{"
		status               int
		log                  string // in the invocation's Logs
	}{
		{"Event Grid schema event, not an ARM change", "OnResourceChange", "customhandler-request_eventGridTrigger_eventgrid-schema_azfunc-test.json", 200, "ignored event 4e773554"},
		{"CloudEvents event, not an ARM change", "OnResourceChange", "customhandler-request_eventGridTrigger_cloudevents-schema_azfunc-test.json", 200, "ignored event"},
		{"VNet write outside the configured subscriptions", "OnResourceChange", "synthetic_functions-invocation_vnet-write_object.json", 200, "is not configured"},
		{"event as a JSON string", "OnResourceChange", "synthetic_functions-invocation_peering-write_string-event.json", 200, "is not configured"},
		{"validation event on the Functions route", "OnResourceChange", "synthetic_functions-invocation_forged-subscription-validation.json", 200, "ignored event"},
		{"a queue item is no event", "OnResourceChange", "customhandler-request_queueTrigger_functions-custom-handlers-doc.json", 200, "malformed"},
		{"not JSON", "OnResourceChange", "{not json", 200, "malformed"},
		{"timer", "Reconcile", "customhandler-request_timerTrigger_azfunc-test.json", 200, ""},
		{"timer with ScheduleStatus null", "Reconcile", "synthetic_functions-invocation_timer_null-schedule-status.json", 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := []byte(c.body)
			if c.body[0] != '{' {
				body = fixture(t, c.body)
			}
			status, res := f.host.invoke(t, c.function, body)
			assert.Equal(t, c.status, status, "%v", res.Logs)
			if c.log != "" {
				assert.Contains(t, fmt.Sprint(res.Logs), c.log)
			}
		})
	}
	recs, err := readFindings(f.findings)
	require.NoError(t, err)
	assert.Empty(t, recs, "the example estate matches its baseline")
}

func TestHostDriftEndToEnd(t *testing.T) {
	f := startHostFixture(t)
	ctx := context.Background()
	require.NoError(t, demo.NewActions(f.armURL, dana).SetForwarding(ctx, s3ToHubN, false))
	require.NoError(t, f.emu.WaitEvents(ctx))
	events := f.tap.take()
	require.Len(t, events, 1, "one write, one event")
	for range 2 { // the host may invoke twice for one event (at-least-once)
		status, res := f.host.invoke(t, "OnResourceChange", invocationOf(t, events[0]))
		require.Equal(t, 200, status, "%v", res.Logs)
	}
	recs, err := readFindings(f.findings)
	require.NoError(t, err)
	require.Len(t, recs, 1, "one message for the drift")
	assert.Equal(t, "opened", recs[0].Event)
	assert.Equal(t, detector.RulePeeringSettingsDrift, recs[0].Rule)
	assert.Equal(t, "dana@contoso.example", recs[0].By.Caller)

	require.NoError(t, demo.NewActions(f.armURL, "").SetForwarding(ctx, s3ToHubN, true))
	require.NoError(t, f.emu.WaitEvents(ctx))
	for _, ev := range f.tap.take() {
		status, res := f.host.invoke(t, "OnResourceChange", invocationOf(t, ev))
		require.Equal(t, 200, status, "%v", res.Logs)
	}
	status, _ := f.host.invoke(t, "Reconcile", fixture(t, "customhandler-request_timerTrigger_azfunc-test.json"))
	require.Equal(t, 200, status)
	recs, err = readFindings(f.findings)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "resolved", recs[1].Event)

	require.NoError(t, f.host.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-f.host.exited:
		assert.NoError(t, f.host.err, "a clean exit on SIGTERM")
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
}

func TestHostRefusesToStartWithoutABaseline(t *testing.T) {
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = []string{"FUNCTIONS_CUSTOMHANDLER_PORT=" + freePort(t)}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "%v: %s", err, out)
	assert.Equal(t, 2, exit.ExitCode())
	assert.Contains(t, string(out), "no baseline")
}

func readFindings(path string) ([]jsonl.Record, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return jsonl.ReadFile(path)
}
