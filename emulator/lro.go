package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Long-running operations follow ARM's Azure-AsyncOperation pattern: the
// PUT or DELETE answers 201/202 with an Azure-AsyncOperation URL (and a
// Location URL for deletes); that URL answers {"status":"InProgress"}
// Options.LROSteps times, then {"status":"Succeeded"}. A PUT applies its
// change at once with provisioningState Updating; a DELETE marks the
// resource Deleting. When the operation succeeds its commit runs: the
// provisioningState becomes Succeeded (or the resource is removed) and the
// Event Grid event is queued. Until then the resources it holds answer
// other writes with 409 AnotherOperationInProgress.

// minOpLifetime bounds how long an operation nobody polls keeps its
// resources locked: it succeeds on its own after this long, or after
// (LROSteps+1)×PollInterval if that is longer.
const minOpLifetime = 30 * time.Second

// opRetention is how long a finished operation's status URL still answers.
const opRetention = time.Hour

// Operation status values of the Azure-AsyncOperation body.
const (
	statusInProgress = "InProgress"
	statusSucceeded  = "Succeeded"
)

type operation struct {
	id        string
	statusURL string // Azure-AsyncOperation
	resultURL string // Location (deletes)
	remaining int    // polls still to answer InProgress
	done      bool
	doneAt    time.Time
	locks     []estate.Key
	commit    func() // runs once, under Server.mu, when the operation succeeds
	timer     *time.Timer
}

func (op *operation) stopTimer() {
	if op.timer != nil {
		op.timer.Stop()
	}
}

// conflict answers 409 when a running operation holds any of keys.
// The caller holds s.mu.
func (s *Server) conflict(keys ...estate.Key) *armError {
	for _, k := range keys {
		if op := s.locks[k]; op != nil && k != "" {
			return errf(http.StatusConflict, "AnotherOperationInProgress",
				"Another operation on this or dependent resource is in progress. To retrieve status of the operation use uri: %s", op.statusURL)
		}
	}
	return nil
}

// startOp registers a running operation that holds locks until it
// succeeds. sub and location place its status URL. The caller holds s.mu.
func (s *Server) startOp(r *http.Request, sub, location string, locks []estate.Key, commit func()) *operation {
	id := newID()
	loc := strings.ToLower(strings.ReplaceAll(location, " ", ""))
	if loc == "" {
		loc = "global"
	}
	base := baseURL(r) + "/subscriptions/" + sub + "/providers/Microsoft.Network/locations/" + loc
	query := "?api-version=" + r.URL.Query().Get("api-version")
	op := &operation{
		id:        id,
		statusURL: base + "/operations/" + id + query,
		resultURL: base + "/operationResults/" + id + query,
		remaining: s.opts.LROSteps,
		locks:     locks,
		commit:    commit,
	}
	s.pruneOps(time.Now())
	s.ops[id] = op
	for _, k := range locks {
		if k != "" {
			s.locks[k] = op
		}
	}
	lifetime := max(minOpLifetime, time.Duration(s.opts.LROSteps+1)*s.opts.PollInterval)
	op.timer = time.AfterFunc(lifetime, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.closed {
			s.complete(op)
		}
	})
	return op
}

// pruneOps forgets operations finished more than opRetention ago. The
// caller holds s.mu.
func (s *Server) pruneOps(now time.Time) {
	for id, op := range s.ops {
		if op.done && now.Sub(op.doneAt) > opRetention {
			delete(s.ops, id)
		}
	}
}

// complete finishes an operation once: it releases its locks and commits.
// The caller holds s.mu.
func (s *Server) complete(op *operation) {
	if op.done {
		return
	}
	op.done, op.doneAt = true, time.Now()
	op.stopTimer()
	for _, k := range op.locks {
		if s.locks[k] == op {
			delete(s.locks, k)
		}
	}
	op.commit()
}

// poll advances an operation by one status request and returns its status.
// The caller holds s.mu.
func (s *Server) poll(op *operation) string {
	if !op.done && op.remaining > 0 {
		op.remaining--
		return statusInProgress
	}
	s.complete(op)
	return statusSucceeded
}

// setRetryAfter tells pollers how long to wait: Retry-After in whole
// seconds, or retry-after-ms (which azcore also honours) below one second.
func (s *Server) setRetryAfter(h http.Header) {
	d := s.opts.PollInterval
	if d >= time.Second {
		h.Set("Retry-After", strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
		return
	}
	h.Set("retry-after-ms", strconv.FormatInt(d.Milliseconds(), 10))
}

type opStatus struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// getOperationStatus serves the Azure-AsyncOperation URL.
func (s *Server) getOperationStatus(w http.ResponseWriter, r *http.Request) {
	op, status, e := s.pollByID(r.PathValue("op"))
	if e != nil {
		writeError(w, e)
		return
	}
	if status == statusInProgress {
		s.setRetryAfter(w.Header())
	}
	writeJSON(w, http.StatusOK, opStatus{Name: op.id, Status: status})
}

// getOperationResult serves the Location URL of a delete: 202 while the
// operation runs, 204 once it succeeded.
func (s *Server) getOperationResult(w http.ResponseWriter, r *http.Request) {
	op, status, e := s.pollByID(r.PathValue("op"))
	if e != nil {
		writeError(w, e)
		return
	}
	if status == statusInProgress {
		w.Header().Set("Location", op.resultURL)
		s.setRetryAfter(w.Header())
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) pollByID(id string) (*operation, string, *armError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op := s.ops[strings.ToLower(id)]
	if op == nil {
		return nil, "", errf(http.StatusNotFound, "NotFound", "Operation %s not found.", id)
	}
	return op, s.poll(op), nil
}
