package detector

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRulesDoc keeps docs/rules.md in step with the catalogue and the
// messages the rules write: a section per rule, the summary table's
// severity and baseline columns, and for each rule at least one example
// quoted verbatim from the scenario's findings.
func TestRulesDoc(t *testing.T) {
	raw, err := os.ReadFile("../docs/rules.md")
	require.NoError(t, err)
	doc := string(raw)
	quotes := blockquotes(doc)
	fs := Evaluate(scenario(t))
	for _, r := range Catalogue {
		assert.Contains(t, doc, "\n## "+r.ID+"\n", "section for %s", r.ID)
		needs := map[bool]string{true: "yes", false: "no"}[r.NeedsBaseline]
		row := "| [" + r.ID + "](#" + strings.ToLower(r.ID) + ") | " + r.Severity.String() + " | " + needs + " |"
		assert.Contains(t, doc, row, "summary row for %s", r.ID)
		found := false
		for _, f := range ofRule(fs, r.ID) {
			found = found || quotes[f.Message]
		}
		assert.True(t, found, "docs quote a message of %s as the code writes it", r.ID)
	}
}

var quoteBreak = regexp.MustCompile(`\n> ?`)

// blockquotes returns the text of every "> " quote in a Markdown document,
// with its lines joined.
func blockquotes(doc string) map[string]bool {
	out := map[string]bool{}
	for _, para := range strings.Split(doc, "\n\n") {
		if strings.HasPrefix(para, "> ") {
			out[quoteBreak.ReplaceAllString(strings.TrimPrefix(para, "> "), " ")] = true
		}
	}
	return out
}
