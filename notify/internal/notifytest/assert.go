package notifytest

import (
	"net/http"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/vnetdrift/vnetdrift/notify/testutil"
)

// StatusCase is one row of the every-status retry table.
type StatusCase struct {
	Status int
	OK     bool // the send succeeds
	Retry  bool // a failure is worth retrying
}

// StatusCases is what every HTTP channel must do with each status.
var StatusCases = []StatusCase{
	{http.StatusOK, true, false},
	{http.StatusAccepted, true, false},
	{http.StatusBadRequest, false, false},
	{http.StatusUnauthorized, false, false},
	{http.StatusForbidden, false, false},
	{http.StatusNotFound, false, false},
	{http.StatusRequestEntityTooLarge, false, false},
	{http.StatusTooManyRequests, false, true},
	{http.StatusInternalServerError, false, true},
	{http.StatusBadGateway, false, true},
	{http.StatusServiceUnavailable, false, true},
}

// Logger returns a logger that records every entry at debug level and up.
func Logger() (*zap.Logger, *observer.ObservedLogs) { return testutil.Logger() }

// AssertNoSecret fails the test when any secret appears in err (as %v,
// %+v and %#v) or in any captured log entry (message and fields).
func AssertNoSecret(t testing.TB, err error, logs *observer.ObservedLogs, secrets ...string) {
	t.Helper()
	testutil.AssertErrorHasNoSecret(t, err, secrets...)
	testutil.AssertNoSecret(t, logs, secrets...)
}
