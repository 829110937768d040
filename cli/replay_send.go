package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/vnetdrift/vnetdrift/handler"
)

// replay sends each event in turn and reports one line per event, then a
// summary. A failed event does not stop the others.
func replay(env *Env, o replayOptions, target *url.URL, events []deadLetter) int {
	if o.dryRun {
		for _, dl := range events {
			fmt.Fprintf(env.Stdout, "%s: not sent (dry run)\n", dl.describe())
		}
		fmt.Fprintf(env.Stdout, "%d event(s) read, none sent (dry run)\n", len(events))
		return ExitOK
	}
	client := &http.Client{
		Timeout: o.timeout,
		// A redirect would carry the key to wherever it points.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	failed := 0
	for _, dl := range events {
		status, err := send(client, o, target, dl)
		if err != nil {
			failed++
			fmt.Fprintf(env.Stdout, "%s: FAILED: %v\n", dl.describe(), err)
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: accepted (%s)\n", dl.describe(), status)
	}
	fmt.Fprintf(env.Stdout, "replayed %d event(s) to %s: %d accepted, %d failed\n",
		len(events), redactURL(target.String()), len(events)-failed, failed)
	if failed > 0 {
		return exitNotDelivered
	}
	return ExitOK
}

// send POSTs one event the way Event Grid delivers it and returns the
// response status when it is 2xx.
func send(client *http.Client, o replayOptions, target *url.URL, dl deadLetter) (string, error) {
	body, contentType, err := dl.body()
	if err != nil {
		return "", fmt.Errorf("encoding event: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("building request: %w", redactErr(err))
	}
	req.Header.Set("Content-Type", contentType)
	// The Functions Event Grid extension's webhook only processes
	// deliveries marked as notifications; vnetdrift's /api/events logs it.
	req.Header.Set("aeg-event-type", "Notification")
	req.Header.Set("User-Agent", "vnetdrift-replay/"+Version)
	if o.key != "" {
		req.Header.Set(handler.HeaderKey, o.key)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("POST: %w", redactErr(err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.Status, nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return "", fmt.Errorf("HTTP %d redirect to %s (not followed)", resp.StatusCode, redactURL(resp.Header.Get("Location")))
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return "", fmt.Errorf("HTTP %d: check --key (or $%s) or the code= of the URL", resp.StatusCode, replayKeyEnv)
	}
	return "", fmt.Errorf("HTTP %d: %s", resp.StatusCode, oneLine(string(snippet)))
}

// redactErr drops the URL (whose query may hold a key) from an HTTP client
// error, keeping the cause.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, redactURL(ue.URL), ue.Err)
	}
	return err
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
