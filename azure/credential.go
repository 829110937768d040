package azure

import (
	"context"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// NewCredential returns the credential for endpoint ("" = Azure public
// cloud). For https endpoints it is azidentity's DefaultAzureCredential:
// environment variables, workload identity, managed identity (in Azure
// Functions; AZURE_CLIENT_ID selects a user-assigned identity), then the
// developer tools (az login, azd). For plain http to a loopback address
// (the emulator) it is a static test token. Plain http to any other address
// is an error.
func NewCredential(endpoint string) (azcore.TokenCredential, error) {
	ep, err := parseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if ep.insecure {
		return staticCredential{}, nil
	}
	cred, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
		ClientOptions: azcore.ClientOptions{Cloud: ep.cloud},
	})
	if err != nil {
		return nil, fmt.Errorf("creating Azure credential: %w", err)
	}
	return cred, nil
}

// staticCredential hands out a fixed, meaningless token. It is used only
// for plain-http loopback endpoints, where no real token may be sent.
type staticCredential struct{}

// staticToken is the token the emulator receives.
const staticToken = "vnetdrift-loopback-test-token"

// GetToken implements azcore.TokenCredential.
func (staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: staticToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}
