package handler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"

	"github.com/vnetdrift/vnetdrift/eventgrid"
	"go.uber.org/zap"
)

// invocationResult is the custom-handler response the Functions host
// reads (HttpScriptInvocationResult). Logs become the invocation's trace
// lines; vnetdrift's functions have no output bindings.
type invocationResult struct {
	Outputs     map[string]any `json:"Outputs"`
	Logs        []string       `json:"Logs"`
	ReturnValue any            `json:"ReturnValue"`
}

// writeInvocation answers the Functions host. Any non-2xx status fails the
// invocation; for an eventGridTrigger Event Grid then redelivers.
func writeInvocation(w http.ResponseWriter, status int, logs []string) {
	if logs == nil {
		logs = []string{}
	}
	writeJSON(w, status, invocationResult{Outputs: map[string]any{}, Logs: logs})
}

func (s *server) invocationLog(r *http.Request, function string) *invocationLog {
	log := s.log.With(zap.String("function", function))
	if id := r.Header.Get(HeaderInvocationID); id != "" {
		log = log.With(zap.String("invocation_id", id))
	}
	return &invocationLog{log: log}
}

// onResourceChange serves the eventGridTrigger function. Bad input is
// acknowledged with 200 and a warning, because Event Grid would redeliver
// it for 24 hours without success; only pipeline errors that may pass
// (transient, deadline) answer 500.
func (s *server) onResourceChange(w http.ResponseWriter, r *http.Request) {
	il := s.invocationLog(r, FunctionOnResourceChange)
	body, err := readBody(w, r, 3*s.cfg.MaxBodyBytes)
	if err != nil && !tooLarge(err) {
		il.error("reading the invocation", err)
		writeInvocation(w, http.StatusInternalServerError, il.lines)
		return
	}
	s.m.EventReceived()
	if err != nil {
		s.m.EventFailed(FailMalformed)
		il.warn(fmt.Sprintf("dropped an invocation larger than %d bytes (not retried)", 3*s.cfg.MaxBodyBytes))
		writeInvocation(w, http.StatusOK, il.lines)
		return
	}
	c, err := eventgrid.DecodeFunctionsInvocation(body)
	if err != nil {
		s.m.EventFailed(FailMalformed)
		il.warn("dropped a malformed event (not retried): " + err.Error())
		writeInvocation(w, http.StatusOK, il.lines)
		return
	}
	il.log = il.log.With(zap.String("event_id", c.EventID), zap.String("correlation_id", c.CorrelationID))
	_, err = s.handle(r.Context(), il, []eventgrid.Change{c})
	writeInvocation(w, answer(il, err), il.lines)
}

// reconcile serves the timerTrigger function. The timer body is only
// logged; a missing or odd one does not prevent the reconcile.
func (s *server) reconcile(w http.ResponseWriter, r *http.Request) {
	il := s.invocationLog(r, FunctionReconcile)
	body, err := readBody(w, r, s.cfg.MaxBodyBytes)
	var t timerInfo
	if err == nil {
		t, err = decodeTimer(body)
	}
	if err != nil {
		il.warn("ignoring the timer data: " + err.Error())
	}
	fields := []zap.Field{zap.Bool("past_due", t.IsPastDue)}
	if t.ScheduleStatus != nil {
		fields = append(fields, zap.String("last", t.ScheduleStatus.Last), zap.String("next", t.ScheduleStatus.Next))
	}
	il.log.Info("reconcile triggered", fields...)
	err = runWithin(r.Context(), s.cfg.ReconcileDeadline, "reconciling", s.p.Reconcile)
	writeInvocation(w, answer(il, err), il.lines)
}

// timerInfo is the TimerInfo the host sends for a timerTrigger. Times are
// kept as text: they may lack a zone, and ScheduleStatus is null when the
// function does not use the schedule monitor.
type timerInfo struct {
	ScheduleStatus *struct{ Last, Next, LastUpdated string }
	IsPastDue      bool
}

// decodeTimer reads {"Data":{<binding>:TimerInfo},"Metadata":{…}}; an
// empty body gives a zero timerInfo.
func decodeTimer(body []byte) (timerInfo, error) {
	var t timerInfo
	if len(bytes.TrimSpace(body)) == 0 {
		return t, nil
	}
	var inv struct{ Data map[string]json.RawMessage }
	if err := json.Unmarshal(body, &inv); err != nil {
		return t, fmt.Errorf("decoding timer invocation: %w", err)
	}
	keys := slices.Sorted(maps.Keys(inv.Data)) // the trigger is the only binding
	if len(keys) == 0 {
		return t, nil
	}
	if err := json.Unmarshal(inv.Data[keys[0]], &t); err != nil {
		return timerInfo{}, fmt.Errorf("decoding timer invocation: field %q: %w", "Data."+keys[0], err)
	}
	return t, nil
}

// readBody reads the request body, at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("reading request body: %w", err)
	}
	return body, nil
}

// tooLarge reports whether err comes from exceeding readBody's limit.
func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
