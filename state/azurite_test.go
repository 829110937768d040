package state

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
)

// azuriteEnv names the Table connection string of the Azurite the Table
// tests run against (.ci/azurite.sh start prints it).
const azuriteEnv = "VNETDRIFT_TEST_AZURITE"

// azurite returns a service client for the test Azurite. Without one the
// test is skipped, unless CI is set: then it fails, so that CI cannot
// silently skip the Table store.
func azurite(t testing.TB) *aztables.ServiceClient {
	t.Helper()
	cs := os.Getenv(azuriteEnv)
	if cs == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("Azurite required: set %s (run .ci/azurite.sh start)", azuriteEnv)
		}
		t.Skipf("%s not set: skipping the Azure Table tests (run .ci/azurite.sh start)", azuriteEnv)
	}
	svc, err := aztables.NewServiceClientFromConnectionString(cs, nil)
	require.NoError(t, err)
	return svc
}

// newTableName returns a fresh table name, deleted when the test ends.
func newTableName(t testing.TB, svc *aztables.ServiceClient) string {
	t.Helper()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "vdtest" + hex.EncodeToString(b)
	t.Cleanup(func() { _, _ = svc.DeleteTable(context.Background(), name, nil) })
	return name
}

// tablePair returns two State instances on one fresh table, as two
// function instances would have.
func tablePair(t *testing.T, opts ...Option) (alert.State, alert.State) {
	t.Helper()
	svc := azurite(t)
	name := newTableName(t, svc)
	a, err := NewTable(context.Background(), svc, name, opts...)
	require.NoError(t, err)
	b, err := NewTable(context.Background(), svc, name, opts...)
	require.NoError(t, err)
	return a, b
}

// memoryPair returns one memory store twice: one process's instances
// share it.
func memoryPair(_ *testing.T, opts ...Option) (alert.State, alert.State) {
	s := NewMemory(opts...)
	return s, s
}

// stores are the implementations every shared test runs against.
var stores = []struct {
	name string
	pair func(t *testing.T, opts ...Option) (alert.State, alert.State)
}{
	{"memory", memoryPair},
	{"table", tablePair},
}
