package eventgrid

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedEvents holds the real Event Grid and Functions payloads in
// shared/data beside the repository (CI checks it out at ../shared).
const sharedEvents = "../../shared/data/events"

// addSeeds seeds a fuzz target with every testdata fixture and, when
// shared/data is beside the repository, every payload there.
func addSeeds(f *testing.F) {
	shared, err := filepath.Glob(filepath.Join(sharedEvents, "*.json"))
	require.NoError(f, err)
	if len(shared) == 0 {
		f.Logf("no seeds from %s: shared/data not beside the repository", sharedEvents)
	}
	for _, name := range append(testdataFiles(f), shared...) {
		body, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(body)
	}
	for _, body := range hostileSeeds() {
		f.Add(body)
	}
}

// checkChange asserts the invariants of every decoded Change.
func checkChange(t *testing.T, c Change) {
	t.Helper()
	assert.NotEmpty(t, c.EventID)
	assert.NotEmpty(t, c.EventType)
	assert.Contains(t, []string{SchemaEventGrid, SchemaCloudEvents}, c.Schema)
	if !c.EventTime.IsZero() {
		assert.Equal(t, time.UTC, c.EventTime.Location())
	}
}

func FuzzDecodeBatch(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		changes, validations, err := DecodeBatch(body)
		again, againV, againErr := DecodeBatch(body)
		assert.Equal(t, changes, again, "deterministic")
		assert.Equal(t, validations, againV, "deterministic")
		assert.Equal(t, err == nil, againErr == nil, "deterministic")
		if againErr != nil {
			assert.Equal(t, err.Error(), againErr.Error(), "deterministic")
		}
		for _, c := range changes {
			checkChange(t, c)
			assert.False(t, c.IsValidation())
		}
		for _, v := range validations {
			assert.NotEmpty(t, v.Code)
			assert.NotEmpty(t, v.EventID)
		}
		// Every element of an array is accounted for exactly once.
		var raws []json.RawMessage
		if json.Unmarshal(bytes.TrimSpace(body), &raws) == nil && bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
			assert.Equal(t, len(raws), len(changes)+len(validations)+countEventErrors(t, err))
		}
	})
}

func countEventErrors(t *testing.T, err error) int {
	if err == nil {
		return 0
	}
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "batch errors are joined: %v", err)
	for _, e := range joined.Unwrap() {
		var ee *EventError
		require.True(t, errors.As(e, &ee), "%v", e)
	}
	return len(joined.Unwrap())
}

func FuzzDecodeFunctionsInvocation(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodeFunctionsInvocation(body)
		again, againErr := DecodeFunctionsInvocation(body)
		assert.Equal(t, c, again, "deterministic")
		assert.Equal(t, err == nil, againErr == nil, "deterministic")
		if err != nil {
			assert.Equal(t, Change{}, c)
			return
		}
		checkChange(t, c)
	})
}
