package baseline

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

// deepDepth is far beyond yaml.v3's nesting limit (10000).
const deepDepth = 100_000

// A baseline nested deeper than yaml.v3 allows, in flow or block style or
// as JSON, is a located error, never a stack overflow; the error does not
// echo the document. Nesting within the limit is walked without trouble
// and rejected for what it is.
func TestParseDeeplyNested(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"flow sequences", "version: 1\nvnets: " + strings.Repeat("[", deepDepth) + strings.Repeat("]", deepDepth) + "\n", "exceeded max depth"},
		{"flow mappings", "version: 1\nvnets: " + strings.Repeat("{a: ", deepDepth) + "1" + strings.Repeat("}", deepDepth) + "\n", "exceeded max depth"},
		{"block sequences", "version: 1\nvnets:\n" + strings.Repeat("- ", deepDepth) + "x\n", "exceeded max depth"},
		{"unclosed", strings.Repeat("[", deepDepth), "exceeded max depth"},
		{"JSON", `{"version": 1, "vnets": ` + strings.Repeat(`[`, deepDepth) + strings.Repeat(`]`, deepDepth) + "}", "exceeded max depth"},
		{"within the limit", "version: 1\nvnets: " + strings.Repeat("[", 9_000) + strings.Repeat("]", 9_000) + "\n", "want a mapping"},
		{"deep exemptions", "version: 1\nexemptions:\n" + strings.Repeat("- ", 9_000) + "x\n", "want a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse("deep.yaml", []byte(tt.src))
			require.Error(t, err)
			assert.Nil(t, b)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "deep.yaml"), err.Error())
			assert.Less(t, len(err.Error()), 4096, "the error does not echo the document")
		})
	}
}

// fuzzSeedDocs returns baseline documents to seed fuzz targets with: the
// testdata and example files, and the baseline captured from the estate
// of shared/data's ARM examples when it is beside the repository (CI
// checks it out at ../shared).
func fuzzSeedDocs(tb testing.TB) [][]byte {
	tb.Helper()
	var docs [][]byte
	for _, path := range []string{examplePath, "testdata/reserved.yaml", "testdata/minimal.yaml"} {
		data, err := os.ReadFile(path)
		require.NoError(tb, err)
		docs = append(docs, data)
	}
	if _, err := os.Stat(examplesEstate); err != nil {
		tb.Logf("no seed from %s: shared/data not beside the repository", examplesEstate)
		return docs
	}
	e, err := estate.Load(examplesEstate)
	require.NoError(tb, err)
	captured, err := Marshal(Capture(e))
	require.NoError(tb, err)
	return append(docs, captured, []byte("version: 1\nvnets: "+strings.Repeat("[", 10_001)))
}
