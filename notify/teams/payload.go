package teams

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/notify/internal/view"
)

// MaxPayloadBytes caps the serialized message. Teams rejects messages
// over about 28 KB, counted after rendering, so the card stays well below.
const MaxPayloadBytes = 20 << 10

// Payload returns the JSON message that Notify posts for n: a Workflows
// message with one Adaptive Card 1.4 attachment. Findings that do not fit
// in MaxPayloadBytes are replaced by a "+N more" line. portalBaseURL is
// the Azure portal the card links to ("" for the public cloud).
func Payload(n alert.Notice, portalBaseURL string) ([]byte, error) {
	head, items := blocks(view.Build(n, portalBaseURL))
	base, err := encode(assemble(head, nil, len(items)))
	if err != nil {
		return nil, err
	}
	budget := MaxPayloadBytes - len(base)
	keep := 0
	for ; keep < len(items); keep++ {
		b, err := json.Marshal(items[keep])
		if err != nil {
			return nil, fmt.Errorf("encoding card element: %w", err)
		}
		if budget -= len(b); budget < 0 { // b's brackets pay for the commas
			break
		}
	}
	for ; ; keep-- {
		out, err := encode(assemble(head, items[:keep], len(items)-keep))
		if err != nil || len(out) <= MaxPayloadBytes || keep == 0 {
			return out, err
		}
	}
}

func assemble(head []element, items []block, more int) message {
	body := append([]element(nil), head...)
	for _, b := range items {
		body = append(body, b...)
	}
	if more > 0 {
		body = append(body, text(run{Text: fmt.Sprintf("+%d more not shown: run vnetdrift scan for the full list.", more), IsSubtle: true}).separated())
	}
	return message{Type: "message", Attachments: []attachment{{
		ContentType: "application/vnd.microsoft.card.adaptive",
		Content: card{Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard",
			Version: "1.4", MSTeams: msteams{Width: "Full"}, Body: body},
	}}}
}

func encode(m message) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encoding Teams message: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
