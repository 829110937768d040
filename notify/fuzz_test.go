package notify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/baseline/schematest"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// FuzzParseRouting checks that ParseRouting never panics and that a
// document baseline.Parse and ParseRouting both accept is valid against
// baseline/schema.json.
func FuzzParseRouting(f *testing.F) {
	for _, doc := range routingSeedDocs(f) {
		f.Add(doc)
	}
	f.Add([]byte("version: 1\n" + fullRouting))
	for _, tt := range routingErrors {
		f.Add([]byte("version: 1\n" + tt.src))
	}
	schema, err := schematest.New(baseline.Schema, baseline.SchemaURL)
	require.NoError(f, err)
	probe := finding("PEERING_MISSING", detector.SeverityMedium, hubID, peeringID)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := baseline.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		r, err := ParseRouting(b)
		if err != nil {
			return
		}
		_ = r.ReceiversOf(probe)
		assert.NoError(t, schema.Validate(data), "accepted by Parse and ParseRouting, rejected by the schema")
	})
}

// sharedEstate is the estate of Azure's ARM examples in shared/data
// beside the repository (CI checks it out at ../shared).
const sharedEstate = "../../shared/data/arm-examples/estate-from-examples.json"

// routingSeedDocs returns the baseline testdata and example documents and,
// when shared/data is there, the baseline captured from its estate.
func routingSeedDocs(tb testing.TB) [][]byte {
	tb.Helper()
	paths, err := filepath.Glob("../baseline/testdata/*.yaml")
	require.NoError(tb, err)
	var docs [][]byte
	for _, path := range append(paths, "../examples/baseline.example.yaml", "../examples/baseline.yaml") {
		data, err := os.ReadFile(path)
		require.NoError(tb, err)
		docs = append(docs, data)
	}
	if _, err := os.Stat(sharedEstate); err != nil {
		tb.Logf("no seed from %s: shared/data not beside the repository", sharedEstate)
		return docs
	}
	e, err := estate.Load(sharedEstate)
	require.NoError(tb, err)
	captured, err := baseline.Marshal(baseline.Capture(e))
	require.NoError(tb, err)
	return append(docs, captured)
}
