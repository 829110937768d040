// Package infra holds no Go code, only the tests that keep the Bicep under
// infra/, the azd hooks and the docs consistent with the code they deploy.
// They read the Bicep as text: no Bicep compiler runs offline (the syntax
// check is tools/bicepcheck, run by .ci/bicepcheck.sh).
package infra

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// bicepSources returns every .bicep file under infra/, by slash path
// relative to infra/.
func bicepSources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".bicep") {
			return err
		}
		b, err := os.ReadFile(path)
		out[filepath.ToSlash(path)] = string(b)
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, out)
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

var stringItem = regexp.MustCompile(`^'([^'$]*)'$`)

// stringArray returns the items of `var name = [ ... ]` in src. Every item
// must be a plain string literal on its own line, so that the test sees
// exactly what the deployment sends.
func stringArray(t *testing.T, src, name string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?ms)^var ` + regexp.QuoteMeta(name) + ` = \[\n(.*?)^\]`).FindStringSubmatch(src)
	require.NotNil(t, m, "var %s = [...] not found", name)
	var items []string
	for _, line := range strings.Split(strings.TrimSpace(m[1]), "\n") {
		item := stringItem.FindStringSubmatch(strings.TrimSpace(line))
		require.NotNil(t, item, "var %s: %q is not a plain string literal", name, line)
		items = append(items, item[1])
	}
	return items
}

// block returns the text of the declaration starting at the first match of
// header in src, up to its closing brace at the start of a line.
func block(t *testing.T, src, header string) string {
	t.Helper()
	loc := regexp.MustCompile(`(?m)` + header).FindStringIndex(src)
	require.NotNil(t, loc, "declaration %q not found", header)
	rest := src[loc[0]:]
	end := strings.Index(rest, "\n}")
	require.GreaterOrEqual(t, end, 0, "declaration %q is not closed", header)
	return rest[:end+2]
}

var stringLiteral = regexp.MustCompile(`'(?:[^'\\]|\\.)*'`)

// withoutStrings replaces every string literal of src with an empty one.
func withoutStrings(src string) string {
	return stringLiteral.ReplaceAllString(src, "''")
}
