package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/vnetdrift/vnetdrift/estate"
)

// armError is an error answered in ARM's shape:
// {"error":{"code":…,"message":…}} with the code also in x-ms-error-code.
type armError struct {
	status  int
	code    string
	message string
}

func (e *armError) Error() string { return e.code + ": " + e.message }

func errf(status int, code, format string, a ...any) *armError {
	return &armError{status: status, code: code, message: fmt.Sprintf(format, a...)}
}

// notFound is ARM's answer for a missing top-level resource.
func notFound(id string) *armError {
	return errf(http.StatusNotFound, "ResourceNotFound",
		"The Resource '%s/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
		estate.TypeFromID(id), estate.LastSegment(id), estate.ResourceGroupOf(id))
}

// childNotFound is the Network resource provider's answer for a missing
// child resource such as a peering.
func childNotFound(id string) *armError {
	return errf(http.StatusNotFound, "NotFound", "Resource %s not found.", id)
}

func badRequest(code, format string, a ...any) *armError {
	return errf(http.StatusBadRequest, code, format, a...)
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, e *armError) {
	w.Header().Set("x-ms-error-code", e.code)
	writeJSON(w, e.status, errorBody{Error: errorDetail{Code: e.code, Message: e.message}})
}

// writeJSON answers v as JSON. Encoding errors cannot happen for the values
// the emulator writes (SDK models, maps and plain structs), so a failure
// only truncates the body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":"InternalServerError","message":"emulator: encoding the response failed"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
