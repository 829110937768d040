package email

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	texttemplate "text/template"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/notify/internal/view"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var funcs = map[string]any{"color": colorOf, "where": whereOf}

var (
	textTmpl = texttemplate.Must(texttemplate.New("mail.txt.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/mail.txt.tmpl"))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("mail.html.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/mail.html.tmpl"))
)

// Content is one mail: subject and the same text as the Teams card, as
// plain text and as HTML.
type Content struct {
	Subject, Text, HTML string
}

// mailData is what the templates see.
type mailData struct {
	Kicker, Title                 string
	BannerColor, BannerBackground string
	Change                        *view.Change
	Sections                      []section
	More                          int
	ExemptionNote                 string
}

type section struct {
	Heading  string
	Compact  bool // two lines per finding: resolved findings and digests
	Findings []view.Finding
}

// Render lays out the mail for a notice, listing at most maxFindings
// findings; portalBaseURL is the Azure portal it links to ("" for the
// public cloud).
func Render(n alert.Notice, portalBaseURL string, maxFindings int) (Content, error) {
	m := view.Build(n, portalBaseURL)
	d := layout(m, maxFindings)
	var text, html bytes.Buffer
	if err := textTmpl.Execute(&text, d); err != nil {
		return Content{}, fmt.Errorf("rendering plain-text mail: %w", err)
	}
	if err := htmlTmpl.Execute(&html, d); err != nil {
		return Content{}, fmt.Errorf("rendering HTML mail: %w", err)
	}
	return Content{Subject: m.Subject(), Text: text.String(), HTML: html.String()}, nil
}

func layout(m view.Message, maxFindings int) mailData {
	d := mailData{Title: m.Title, Change: m.Change, ExemptionNote: view.ExemptionNote,
		Kicker: "vnetdrift · " + m.Kicker(), BannerColor: "#237B4B", BannerBackground: "#E7F2DA"}
	if len(m.Active) > 0 {
		d.BannerColor, d.BannerBackground = severityColors(m.Severity)
	}
	var all []section
	switch m.Kind {
	case view.KindDigest:
		for _, g := range m.Groups() {
			all = append(all, section{Heading: heading(g.Label, len(g.Findings)), Compact: true, Findings: g.Findings})
		}
	default:
		all = append(all, section{Findings: m.Active})
		if len(m.Resolved) > 0 {
			all = append(all, section{Heading: heading("Resolved", len(m.Resolved)), Compact: true, Findings: m.Resolved})
		}
	}
	left := maxFindings
	for _, s := range all {
		shown := min(left, len(s.Findings))
		d.More += len(s.Findings) - shown
		if shown > 0 {
			s.Findings = s.Findings[:shown]
			d.Sections = append(d.Sections, s)
		}
		left -= shown
	}
	return d
}

func heading(label string, n int) string { return label + " (" + strconv.Itoa(n) + ")" }

func severityColors(s detector.Severity) (fg, bg string) {
	switch s {
	case detector.SeverityHigh:
		return "#C4314B", "#FCF4F6"
	case detector.SeverityMedium:
		return "#9A5B00", "#FBF6D9"
	}
	return "#5B5FC7", "#E8EBFA"
}

func colorOf(f view.Finding) string {
	if f.Good() {
		return "#237B4B"
	}
	fg, _ := severityColors(f.Severity)
	return fg
}

func whereOf(f view.Finding) string {
	if f.Resource.Text != "" {
		return f.Resource.Text
	}
	return f.VNet.Text
}
