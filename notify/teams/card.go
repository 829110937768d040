package teams

import (
	"strconv"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/notify/internal/view"
)

// The wire shapes of a Workflows message with one Adaptive Card 1.4.
type (
	message struct {
		Type        string       `json:"type"`
		Attachments []attachment `json:"attachments"`
	}
	attachment struct {
		ContentType string  `json:"contentType"`
		ContentURL  *string `json:"contentUrl"` // always null
		Content     card    `json:"content"`
	}
	card struct {
		Schema  string    `json:"$schema"`
		Type    string    `json:"type"`
		Version string    `json:"version"`
		MSTeams msteams   `json:"msteams"`
		Body    []element `json:"body"`
	}
	msteams struct {
		Width string `json:"width"`
	}
	// element is every body element used: RichTextBlock, Container,
	// FactSet and ActionSet; empty fields are left out.
	element struct {
		Type      string    `json:"type"`
		Inlines   []run     `json:"inlines,omitempty"`
		Style     string    `json:"style,omitempty"`
		Bleed     bool      `json:"bleed,omitempty"`
		Spacing   string    `json:"spacing,omitempty"`
		Separator bool      `json:"separator,omitempty"`
		Items     []element `json:"items,omitempty"`
		Facts     []fact    `json:"facts,omitempty"`
		Actions   []action  `json:"actions,omitempty"`
	}
	// run is a TextRun, the text of a RichTextBlock.
	run struct {
		Type     string `json:"type"`
		Text     string `json:"text"`
		Size     string `json:"size,omitempty"`
		Weight   string `json:"weight,omitempty"`
		Color    string `json:"color,omitempty"`
		IsSubtle bool   `json:"isSubtle,omitempty"`
	}
	fact struct {
		Title string `json:"title"`
		Value string `json:"value"`
	}
	action struct {
		Type  string `json:"type"`
		Title string `json:"title"`
		URL   string `json:"url"`
	}
)

// text is a paragraph: a RichTextBlock with one TextRun. Teams applies its
// Markdown subset to TextBlock text, so PEERING_NOT_IN_SYNC could show NOT
// in italics; a TextRun is shown as written. RichTextBlock always wraps.
func text(r run) element {
	r.Type = "TextRun"
	return element{Type: "RichTextBlock", Inlines: []run{r}}
}

// spaced returns e with the given spacing above it.
func (e element) spaced(spacing string) element {
	e.Spacing = spacing
	return e
}

// separated returns e with a separator line and medium spacing above it.
func (e element) separated() element {
	e.Separator, e.Spacing = true, "Medium"
	return e
}

// block is a run of body elements that is kept or dropped as a whole when
// a card is truncated.
type block []element

// blocks lays a message out: the fixed head (always kept) and one block
// per finding, in reading order.
func blocks(m view.Message) (head []element, items []block) {
	head = []element{banner(m)}
	if m.Change != nil {
		head = append(head, changeBlock(*m.Change)...)
	}
	switch m.Kind {
	case view.KindDigest:
		for _, g := range m.Groups() {
			for i, f := range g.Findings {
				b := compact(f)
				if i == 0 {
					b = append(block{heading(g.Label, len(g.Findings))}, b...)
				}
				items = append(items, b)
			}
		}
	default:
		for _, f := range m.Active {
			items = append(items, detailed(f))
		}
		for i, f := range m.Resolved {
			b := compact(f)
			if i == 0 {
				b = append(block{heading("Resolved", len(m.Resolved))}, b...)
			}
			items = append(items, b)
		}
	}
	return head, items
}

func banner(m view.Message) element {
	kicker, style := "vnetdrift · "+m.Kicker(), "good"
	if len(m.Active) > 0 {
		style = severityColor(m.Severity)
	}
	return element{Type: "Container", Style: style, Bleed: true, Items: []element{
		text(run{Text: kicker, Size: "Small", Weight: "Bolder", Color: style}),
		text(run{Text: m.Title, Size: "Medium", Weight: "Bolder"}).spaced("Small"),
	}}
}

func changeBlock(c view.Change) []element {
	return []element{
		text(run{Text: c.Label, Weight: "Bolder"}),
		{Type: "FactSet", Facts: facts(c.Facts()), Spacing: "Small"},
	}
}

func heading(label string, n int) element {
	return text(run{Text: label + " (" + strconv.Itoa(n) + ")", Weight: "Bolder"}).separated()
}

// detailed is the full layout of a finding: rule, message, facts, links.
func detailed(f view.Finding) block {
	items := []element{
		text(run{Text: f.SeverityLabel + " · " + f.Rule + " · " + f.Reason, Weight: "Bolder", Color: severityColor(f.Severity)}),
	}
	if f.RuleTitle != "" {
		items = append(items, text(run{Text: f.RuleTitle, IsSubtle: true}).spaced("None"))
	}
	if f.ExemptionExpired {
		items = append(items, text(run{Text: view.ExemptionNote, Color: "warning"}).spaced("Small"))
	}
	items = append(items,
		text(run{Text: f.Message}).spaced("Small"),
		element{Type: "FactSet", Facts: facts(f.Facts()), Spacing: "Small"})
	if acts := links(f); len(acts) > 0 {
		items = append(items, element{Type: "ActionSet", Actions: acts})
	}
	return block{{Type: "Container", Separator: true, Spacing: "Medium", Items: items}}
}

// compact is a finding on two lines: for resolved findings and digests.
func compact(f view.Finding) block {
	where := f.VNet.Text
	if f.Resource.Text != "" {
		where = f.Resource.Text
	}
	color := severityColor(f.Severity)
	if f.Good() {
		color = "good"
	}
	b := block{
		text(run{Text: f.SeverityLabel + " · " + f.Rule + " · " + where, Weight: "Bolder", Color: color}).spaced("Small"),
		text(run{Text: f.Message, IsSubtle: true}).spaced("None"),
	}
	if rf := f.RemediationFacts(); len(rf) > 0 {
		b = append(b, element{Type: "FactSet", Facts: facts(rf), Spacing: "Small"})
	}
	return b
}

func links(f view.Finding) []action {
	var acts []action
	add := func(title, url string) {
		if url != "" {
			acts = append(acts, action{Type: "Action.OpenUrl", Title: title, URL: url})
		}
	}
	add("VNet in portal", f.VNet.URL)
	add("Resource in portal", f.Resource.URL)
	add("Rule docs", f.Docs)
	return acts
}

func facts(fs []view.Fact) []fact {
	out := make([]fact, len(fs))
	for i, f := range fs {
		out[i] = fact{Title: f.Title, Value: f.Value}
	}
	return out
}

func severityColor(s detector.Severity) string {
	switch s {
	case detector.SeverityHigh:
		return "attention"
	case detector.SeverityMedium:
		return "warning"
	}
	return "accent"
}
