package state

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"

	"github.com/vnetdrift/vnetdrift/alert"
)

// Settings FromEnv reads.
const (
	// EnvTable names the state table; unset means in-memory state.
	EnvTable = "VNETDRIFT_STATE_TABLE"
	// EnvConnectionString is a storage connection string for the table,
	// taking precedence over the Functions storage settings.
	EnvConnectionString = "VNETDRIFT_STATE_CONNECTION_STRING"
	// EnvTableServiceURI is the Functions identity-based storage setting
	// (with EnvCredential and EnvClientID).
	EnvTableServiceURI = "AzureWebJobsStorage__tableServiceUri"
	// EnvAccountName is the other identity-based form: the account name.
	EnvAccountName = "AzureWebJobsStorage__accountName"
	// EnvCredential is "managedidentity" for identity-based storage.
	EnvCredential = "AzureWebJobsStorage__credential"
	// EnvClientID selects a user-assigned managed identity.
	EnvClientID = "AzureWebJobsStorage__clientId"
	// EnvStorage is the Functions storage connection string.
	EnvStorage = "AzureWebJobsStorage"
)

// devStorage is the Azurite account that "UseDevelopmentStorage=true"
// stands for (its well-known, public key).
const devStorage = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
	"AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
	"TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"

// FromEnv returns the State the settings choose: in memory when
// VNETDRIFT_STATE_TABLE is unset, else that Azure table, in the account of
// (first set wins) VNETDRIFT_STATE_CONNECTION_STRING, the Functions
// identity-based storage settings (AzureWebJobsStorage__tableServiceUri or
// __accountName, with managed identity: __clientId selects a user-assigned
// one; otherwise DefaultAzureCredential, where AZURE_CLIENT_ID does) or the
// AzureWebJobsStorage connection string. The returned State's String
// method describes it for logs; no error or description contains a key.
func FromEnv(ctx context.Context, getenv func(string) string, opts ...Option) (alert.State, error) {
	table := strings.TrimSpace(getenv(EnvTable))
	if table == "" {
		return NewMemory(opts...), nil
	}
	svc, source, err := serviceFromEnv(getenv)
	if err != nil {
		return nil, fmt.Errorf("state table %q: %w", table, err)
	}
	st, err := NewTable(ctx, svc, table, opts...)
	if err != nil {
		return nil, err
	}
	s := st.(*store)
	s.name += " (account from " + source + ")"
	return s, nil
}

// serviceFromEnv builds the Table service client the settings name and
// says which setting named the account.
func serviceFromEnv(getenv func(string) string) (svc *aztables.ServiceClient, source string, err error) {
	if cs := getenv(EnvConnectionString); cs != "" {
		svc, err = fromConnectionString(EnvConnectionString, cs)
		return svc, EnvConnectionString, err
	}
	uri, source := getenv(EnvTableServiceURI), EnvTableServiceURI
	if name := getenv(EnvAccountName); uri == "" && name != "" {
		uri, source = "https://"+name+".table.core.windows.net/", EnvAccountName
	}
	if uri != "" {
		svc, err = fromIdentity(uri, getenv)
		return svc, source, err
	}
	if cs := getenv(EnvStorage); cs != "" {
		svc, err = fromConnectionString(EnvStorage, cs)
		return svc, EnvStorage, err
	}
	return nil, "", fmt.Errorf("no storage account: set %s, %s or %s", EnvConnectionString, EnvTableServiceURI, EnvStorage)
}

// fromConnectionString parses a connection string; its errors never
// quote it, as it holds the account key.
func fromConnectionString(setting, cs string) (*aztables.ServiceClient, error) {
	if strings.EqualFold(strings.TrimSpace(cs), "UseDevelopmentStorage=true") {
		cs = devStorage
	}
	svc, err := aztables.NewServiceClientFromConnectionString(cs, nil)
	if err != nil {
		return nil, fmt.Errorf("%s is not a usable storage connection string (want AccountName, AccountKey or SharedAccessSignature, and TableEndpoint or EndpointSuffix)", setting)
	}
	return svc, nil
}

// fromIdentity returns a client for the https table endpoint uri that
// authenticates with Microsoft Entra ID.
func fromIdentity(uri string, getenv func(string) string) (*aztables.ServiceClient, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("%s: want an https URL without query, like https://<account>.table.core.windows.net/", EnvTableServiceURI)
	}
	cred, err := credential(getenv)
	if err != nil {
		return nil, err
	}
	svc, err := aztables.NewServiceClient(uri, cred, nil)
	if err != nil {
		return nil, fmt.Errorf("creating table client for %s: %w", u.Host, err)
	}
	return svc, nil
}

// credential is the managed identity the Functions settings name, or
// DefaultAzureCredential.
func credential(getenv func(string) string) (azcore.TokenCredential, error) {
	id := getenv(EnvClientID)
	if id != "" || strings.EqualFold(getenv(EnvCredential), "managedidentity") {
		var opts azidentity.ManagedIdentityCredentialOptions
		if id != "" {
			opts.ID = azidentity.ClientID(id)
		}
		cred, err := azidentity.NewManagedIdentityCredential(&opts)
		if err != nil {
			return nil, fmt.Errorf("creating managed identity credential: %w", err)
		}
		return cred, nil
	}
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("creating Azure credential: %w", err)
	}
	return cred, nil
}
