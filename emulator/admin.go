package emulator

import (
	"net/http"
	"strings"
)

// The /_emulator endpoints are for tests and the CLI. They need no
// authentication and are never faulted or counted:
//
//	GET /_emulator/state     current estate as a JSON array of ARM resources (the shape estate.Decode reads)
//	GET /_emulator/requests  Requests() as a JSON object

const adminPrefix = "/_emulator/"

func isAdminPath(p string) bool { return strings.HasPrefix(strings.ToLower(p), adminPrefix) }

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, errf(http.StatusMethodNotAllowed, "MethodNotAllowed", "The /_emulator endpoints answer GET only."))
		return
	}
	switch strings.TrimSuffix(strings.ToLower(r.URL.Path), "/") {
	case adminPrefix + "state":
		body, err := s.Snapshot().MarshalJSON()
		if err != nil {
			writeError(w, errf(http.StatusInternalServerError, "InternalServerError", "emulator: encoding the state: %v", err))
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	case adminPrefix + "requests":
		writeJSON(w, http.StatusOK, s.Requests())
	default:
		writeError(w, errf(http.StatusNotFound, "NotFound", "Unknown emulator endpoint %s; try /_emulator/state or /_emulator/requests.", r.URL.Path))
	}
}
