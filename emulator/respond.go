package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// reply is what a handler decides under the server lock.
type reply struct {
	status int
	body   any        // encoded under the lock; nil: no body
	op     *operation // long-running: add the polling headers
	err    *armError
}

func failed(e *armError) reply { return reply{err: e} }

// serve runs decide under s.mu, encodes its body there (the state may
// change once the lock is released) and writes the response outside it.
func (s *Server) serve(w http.ResponseWriter, decide func() reply) {
	s.mu.Lock()
	rep := decide()
	var body []byte
	var err error
	if rep.err == nil && rep.body != nil {
		body, err = json.Marshal(rep.body)
	}
	s.mu.Unlock()
	switch {
	case rep.err != nil:
		writeError(w, rep.err)
		return
	case err != nil:
		writeError(w, errf(http.StatusInternalServerError, "InternalServerError", "emulator: encoding the response: %v", err))
		return
	}
	h := w.Header()
	if rep.op != nil {
		h.Set("Azure-AsyncOperation", rep.op.statusURL)
		s.setRetryAfter(h)
		if body == nil {
			h.Set("Location", rep.op.resultURL)
		}
	}
	if body != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(body)
}

// maxBody bounds a request body; ARM's own limit is 4 MB.
const maxBody = 4 << 20

// decodeBody reads a JSON request body into an SDK model.
func decodeBody[T any](r *http.Request) (*T, *armError) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, badRequest("InvalidRequestContent", "The request content could not be read: %v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, badRequest("InvalidRequestContent", "The request content was invalid and could not be deserialized: the body is empty.")
	}
	v := new(T)
	if err := json.Unmarshal(data, v); err != nil {
		return nil, badRequest("InvalidRequestContent", "The request content was invalid and could not be deserialized: %v", err)
	}
	return v, nil
}
