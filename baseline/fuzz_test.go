package baseline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParse checks that Parse never panics, that whatever it accepts the
// schema accepts too (routes and receivers aside: Parse stores them and
// notify.ParseRouting checks them; FuzzParseRouting there covers them), and
// that Marshal writes it back losslessly.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.yaml")
	require.NoError(f, err)
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, doc := range fuzzSeedDocs(f) {
		f.Add(doc)
	}
	for _, c := range parseErrorCases {
		f.Add([]byte(c.src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse("fuzz.yaml", data)
		if err != nil {
			assert.Nil(t, b)
			return
		}
		assert.NoError(t, schemaCheck(t, data, "routes", "receivers"), "Parse accepted what the schema rejects")
		out, err := Marshal(b)
		require.NoError(t, err)
		back, err := Parse("again.yaml", out)
		require.NoError(t, err, "Marshal wrote what Parse rejects:\n%s", out)
		out2, err := Marshal(back)
		require.NoError(t, err)
		require.Equal(t, string(out), string(out2))
		require.Equal(t, stripPositions(b), stripPositions(back))
	})
}
