package handler

import (
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/messaging/eventgrid/azsystemevents"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"go.uber.org/zap"
)

// Content types Event Grid delivers with (EventGridSchema; CloudEvents
// structured mode, single and batch). A request without one is accepted.
var webhookContentTypes = map[string]bool{
	"application/json":                   true,
	"text/json":                          true,
	"application/cloudevents+json":       true,
	"application/cloudevents-batch+json": true,
}

func (s *server) webhookLog(r *http.Request) *zap.Logger {
	return s.log.With(
		zap.String("function", webhookFunction),
		zap.String("aeg_event_type", r.Header.Get("aeg-event-type")),
		zap.String("aeg_subscription_name", r.Header.Get("aeg-subscription-name")),
		zap.String("aeg_delivery_count", r.Header.Get("aeg-delivery-count")),
	)
}

// authenticate checks the shared key before anything else: 401 without a
// key, 403 with a wrong one. The key is read from the x-vnetdrift-key
// header or the code query parameter and never logged.
func (s *server) authenticate(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.WebhookKey == "" { // only served so with AllowUnauthenticated
			next(w, r)
			return
		}
		key := r.Header.Get(HeaderKey)
		if key == "" {
			key = r.URL.Query().Get("code")
		}
		switch {
		case key == "":
			s.log.Warn("rejected a webhook request without key", zap.String("method", r.Method))
			writeJSON(w, http.StatusUnauthorized, errorBody("missing key"))
		case !s.cfg.WebhookKey.Equal(key):
			s.log.Warn("rejected a webhook request with a wrong key", zap.String("method", r.Method))
			writeJSON(w, http.StatusForbidden, errorBody("wrong key"))
		default:
			next(w, r)
		}
	}
}

// webhookOptions answers the CloudEvents abuse-protection handshake
// (CloudEvents HTTP webhook spec §4) by granting the requesting origin.
func (s *server) webhookOptions(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("WebHook-Request-Origin")
	w.Header().Set("Allow", "POST, OPTIONS")
	if origin == "" {
		writeJSON(w, http.StatusBadRequest, errorBody("missing WebHook-Request-Origin header"))
		return
	}
	w.Header().Set("WebHook-Allowed-Origin", origin)
	w.Header().Set("WebHook-Allowed-Rate", "*")
	s.webhookLog(r).Info("granted CloudEvents webhook origin", zap.String("origin", origin))
	w.WriteHeader(http.StatusOK)
}

// webhook serves a direct Event Grid delivery. Event Grid does not retry
// 400, 401, 403 and 413, so those are kept for requests that cannot
// succeed; 500 asks for redelivery.
func (s *server) webhook(w http.ResponseWriter, r *http.Request) {
	log := s.webhookLog(r)
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || !webhookContentTypes[mt] {
			writeJSON(w, http.StatusUnsupportedMediaType, errorBody("unsupported content type"))
			return
		}
	}
	body, err := readBody(w, r, s.cfg.MaxBodyBytes)
	switch {
	case tooLarge(err):
		log.Warn("rejected a delivery over the body limit", zap.Int64("limit", s.cfg.MaxBodyBytes))
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody(fmt.Sprintf("body exceeds %d bytes", s.cfg.MaxBodyBytes)))
		return
	case err != nil:
		writeJSON(w, http.StatusBadRequest, errorBody("reading body failed"))
		return
	}
	changes, validations, err := eventgrid.DecodeBatch(body)
	bad := countErrors(err)
	for range len(changes) + len(validations) + bad {
		s.m.EventReceived()
	}
	for range bad {
		s.m.EventFailed(FailMalformed)
	}
	if err != nil {
		log.Warn("dropped malformed events (not retried)", zap.Error(err))
		if len(changes)+len(validations) == 0 {
			writeJSON(w, http.StatusBadRequest, errorBody(err.Error()))
			return
		}
	}
	il := &invocationLog{log: log}
	accepted, err := s.handle(r.Context(), il, changes)
	if answer(il, err) != http.StatusOK {
		writeJSON(w, http.StatusInternalServerError, errorBody("temporarily unable to handle the events"))
		return
	}
	if len(validations) > 0 {
		s.validate(w, log, validations)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"accepted": accepted, "ignored": len(changes) - accepted})
}

// validate completes the EventGridSchema validation handshake
// synchronously; validationUrl is never fetched.
func (s *server) validate(w http.ResponseWriter, log *zap.Logger, vs []eventgrid.Validation) {
	for _, v := range vs[1:] {
		log.Warn("ignored an extra validation event in the delivery", zap.String("event_id", v.EventID))
	}
	log.Info("answered subscription validation", zap.String("event_id", vs[0].EventID))
	writeJSON(w, http.StatusOK, azsystemevents.SubscriptionValidationResponse{ValidationResponse: &vs[0].Code})
}

// countErrors returns how many errors err joins (1 if it is a single one).
func countErrors(err error) int {
	if err == nil {
		return 0
	}
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		return len(joined.Unwrap())
	}
	return 1
}

func errorBody(msg string) map[string]string { return map[string]string{"error": msg} }
