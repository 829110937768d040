package state

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnvWithoutTableIsMemory(t *testing.T) {
	st, err := FromEnv(context.Background(), env(map[string]string{EnvStorage: "whatever"}))
	require.NoError(t, err)
	assert.Equal(t, "memory", fmt.Sprint(st))
}

func TestFromEnvErrors(t *testing.T) {
	const key = "c2VjcmV0LWtleS12YWx1ZQ=="
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no account", map[string]string{EnvTable: "alerts"}, "no storage account: set VNETDRIFT_STATE_CONNECTION_STRING"},
		{"bad table name", map[string]string{EnvTable: "a-b", EnvStorage: "UseDevelopmentStorage=true"}, `state table name "a-b"`},
		{"bad connection string", map[string]string{EnvTable: "alerts", EnvConnectionString: "AccountKey=" + key}, "VNETDRIFT_STATE_CONNECTION_STRING is not a usable storage connection string"},
		{"bad functions connection string", map[string]string{EnvTable: "alerts", EnvStorage: "junk;AccountKey=" + key}, "AzureWebJobsStorage is not a usable"},
		{"http service uri", map[string]string{EnvTable: "alerts", EnvTableServiceURI: "http://127.0.0.1:10002/devstoreaccount1"}, "want an https URL"},
		{"service uri with a SAS", map[string]string{EnvTable: "alerts", EnvTableServiceURI: "https://acct.table.core.windows.net/?sig=" + key}, "want an https URL without query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromEnv(context.Background(), env(tt.env))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), key, "no secret in errors")
		})
	}
}

func TestServiceFromEnvPrecedence(t *testing.T) {
	const cs = "DefaultEndpointsProtocol=https;AccountName=fromcs;AccountKey=a2V5;EndpointSuffix=core.windows.net"
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"state connection string first", map[string]string{EnvConnectionString: cs, EnvTableServiceURI: "https://other.table.core.windows.net/", EnvStorage: "x"}, EnvConnectionString},
		{"identity: service uri", map[string]string{EnvTableServiceURI: "https://acct.table.core.windows.net/", EnvAccountName: "other", EnvCredential: "managedidentity", EnvClientID: "00000000-0000-0000-0000-000000000001", EnvStorage: cs}, EnvTableServiceURI},
		{"identity: account name", map[string]string{EnvAccountName: "acct", EnvStorage: cs}, EnvAccountName},
		{"functions connection string last", map[string]string{EnvStorage: cs}, EnvStorage},
		{"development storage", map[string]string{EnvStorage: "UseDevelopmentStorage=true"}, EnvStorage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, source, err := serviceFromEnv(env(tt.env))
			require.NoError(t, err)
			assert.NotNil(t, svc)
			assert.Equal(t, tt.want, source)
		})
	}
}

func TestFromEnvTable(t *testing.T) {
	svc := azurite(t)
	name := newTableName(t, svc)
	st, err := FromEnv(context.Background(), env(map[string]string{EnvTable: name, EnvConnectionString: os.Getenv(azuriteEnv)}))
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("Azure table %q (account from %s)", name, EnvConnectionString), fmt.Sprint(st))
	assert.False(t, strings.Contains(fmt.Sprint(st), "AccountKey"))
	ok, err := st.ClaimEvent(context.Background(), "e", t0, 0)
	require.NoError(t, err)
	assert.True(t, ok, "the table was created and is usable")
}
