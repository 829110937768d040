package channel

import "net/http"

// Retrier is the retry policy of an HTTP channel, as data: 2xx is success,
// 5xx and RetryCodes are worth retrying, every other status is permanent.
type Retrier struct {
	RetryCodes []int
}

// HTTPRetrier retries 408 and 429 besides 5xx; every HTTP channel uses it.
var HTTPRetrier = Retrier{RetryCodes: []int{http.StatusRequestTimeout, http.StatusTooManyRequests}}

// Check reports whether status is a success, whether a failure is worth
// retrying, and the failure's reason.
func (r Retrier) Check(status int) (ok, retry bool, reason Reason) {
	if status >= 200 && status < 300 {
		return true, false, ReasonOther
	}
	reason = reasonOf(status)
	if status >= 500 {
		return false, true, reason
	}
	for _, c := range r.RetryCodes {
		if c == status {
			return false, true, reason
		}
	}
	return false, false, reason
}

func reasonOf(status int) Reason {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return ReasonAuthError
	case status == http.StatusTooManyRequests:
		return ReasonRateLimited
	case status >= 500:
		return ReasonServerError
	case status >= 400:
		return ReasonClientError
	}
	return ReasonOther
}
