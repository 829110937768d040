package azure

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

// EndpointEnv names the environment variable that overrides the ARM endpoint
// (the emulator sets it to its loopback URL).
const EndpointEnv = "VNETDRIFT_ARM_ENDPOINT"

// customAudience is the token audience used for endpoints that are not a
// known Azure cloud (the emulator, a proxy in front of ARM).
const customAudience = "https://management.azure.com"

// endpoint is a validated ARM endpoint.
type endpoint struct {
	cloud    cloud.Configuration
	insecure bool // plain http to a loopback address
}

// knownClouds are the Azure clouds recognised by their ARM endpoint.
var knownClouds = []cloud.Configuration{cloud.AzurePublic, cloud.AzureGovernment, cloud.AzureChina}

// parseEndpoint validates raw ("" means the Azure public cloud). Plain http
// is accepted only for a loopback host, so a token is never sent in clear
// text over a network.
func parseEndpoint(raw string) (endpoint, error) {
	raw = strings.TrimRight(strings.TrimSpace(raw), "/")
	if raw == "" {
		return endpoint{cloud: cloud.AzurePublic}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return endpoint{}, fmt.Errorf("parsing ARM endpoint %q: %w", raw, err)
	}
	if u.Host == "" {
		return endpoint{}, fmt.Errorf("ARM endpoint %q: want an absolute URL such as https://management.azure.com", raw)
	}
	switch u.Scheme {
	case "https":
		return endpoint{cloud: cloudFor(raw)}, nil
	case "http":
		if !isLoopback(u.Hostname()) {
			return endpoint{}, fmt.Errorf("ARM endpoint %q: plain http is allowed only to a loopback address", raw)
		}
		return endpoint{cloud: customCloud(raw), insecure: true}, nil
	}
	return endpoint{}, fmt.Errorf("ARM endpoint %q: scheme %q is not http or https", raw, u.Scheme)
}

// cloudFor returns the known cloud whose ARM endpoint is raw, or a custom
// configuration with the public cloud's authority.
func cloudFor(raw string) cloud.Configuration {
	for _, c := range knownClouds {
		if strings.EqualFold(c.Services[cloud.ResourceManager].Endpoint, raw) {
			return c
		}
	}
	return customCloud(raw)
}

func customCloud(raw string) cloud.Configuration {
	return cloud.Configuration{
		ActiveDirectoryAuthorityHost: cloud.AzurePublic.ActiveDirectoryAuthorityHost,
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: raw, Audience: customAudience},
		},
	}
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
