package email

import (
	"errors"
	"net"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/vnetdrift/vnetdrift/notify/internal/channel"
)

// connectStep names the step of a failed connection: dialing, EHLO,
// STARTTLS or AUTH, and its reason.
func connectStep(err error) (string, channel.Reason) {
	var netErr net.Error
	msg := err.Error()
	switch {
	case strings.Contains(msg, "SMTP AUTH failed") || isAuthUnsupported(err):
		return "authenticating (AUTH)", channel.ReasonAuthError
	case strings.Contains(msg, "STARTTLS") || strings.Contains(msg, "tls:") || strings.Contains(msg, "x509:"):
		return "starting TLS (STARTTLS)", channel.ReasonNetwork
	case errors.As(err, &netErr):
		return "connecting", channel.ReasonNetwork
	}
	return "greeting (EHLO)", channel.ReasonServerError
}

func isAuthUnsupported(err error) bool {
	for _, e := range []error{mail.ErrPlainAuthNotSupported, mail.ErrLoginAuthNotSupported, mail.ErrXOauth2AuthNotSupported} {
		if errors.Is(err, e) {
			return true
		}
	}
	return strings.Contains(err.Error(), "server does not support SMTP AUTH")
}

// sendStep names the SMTP command of a failed send.
func sendStep(err error) string {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return "message"
	}
	switch se.Reason {
	case mail.ErrSMTPMailFrom, mail.ErrGetSender:
		return "MAIL FROM"
	case mail.ErrSMTPRcptTo, mail.ErrGetRcpts:
		return "RCPT TO"
	case mail.ErrSMTPData, mail.ErrSMTPDataClose, mail.ErrWriteContent:
		return "DATA"
	case mail.ErrSMTPReset:
		return "RSET"
	case mail.ErrConnCheck:
		return "NOOP"
	}
	return "message"
}
