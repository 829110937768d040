package infra

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// builtinRoles are the Azure built-in role definition IDs, by role name, as
// published in the Azure RBAC built-in roles reference
// (learn.microsoft.com/azure/role-based-access-control/built-in-roles: the
// "name" of each role's JSON definition). A role definition ID is the same
// in every tenant and subscription.
var builtinRoles = map[string]string{
	"Reader":                         "acdd72a7-3385-48ef-bd42-f606fba81ae7",
	"Network Contributor":            "4d97b98b-1d4f-4787-a291-c67834d212e7",
	"Storage Blob Data Owner":        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
	"Storage Blob Data Contributor":  "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
	"Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
	"Key Vault Secrets User":         "4633458b-17de-408a-b874-0445c86b69e6",
	"Monitoring Metrics Publisher":   "3913510d-42f4-4e42-8a64-420c390055eb",
	"EventGrid Data Sender":          "d5a91429-5739-47e2-a06b-3470a27159e7",
}

type role struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

func loadRoles(t *testing.T) map[string]role {
	t.Helper()
	var roles map[string]role
	require.NoError(t, json.Unmarshal([]byte(readFile(t, "roles.json")), &roles))
	return roles
}

// roles.json, the only place the Bicep takes role IDs from, names each ID
// with the built-in role it really is.
func TestRoleIDsAreTheBuiltInRolesTheyClaim(t *testing.T) {
	for key, r := range loadRoles(t) {
		want, ok := builtinRoles[r.Name]
		if assert.True(t, ok, "roles.json %s: %q is not a known built-in role", key, r.Name) {
			assert.Equal(t, want, r.ID, "roles.json %s: ID of %q", key, r.Name)
		}
	}
}

var guid = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)

// No Bicep file hard-codes a GUID (a role ID bypassing roles.json), and
// every roles.<key> it uses exists.
func TestBicepTakesRoleIDsFromRolesJSON(t *testing.T) {
	roles := loadRoles(t)
	use := regexp.MustCompile(`\broles\.(\w+)\.id\b`)
	for file, src := range bicepSources(t) {
		assert.Empty(t, guid.FindAllString(src, -1), "%s: hard-coded GUID", file)
		for _, m := range use.FindAllStringSubmatch(src, -1) {
			assert.Contains(t, roles, m[1], "%s: roles.%s is not in roles.json", file, m[1])
		}
	}
}

// assignment is one Microsoft.Authorization/roleAssignments resource.
type assignment struct {
	File, Role, Principal, Scope, Condition string
}

var (
	assignmentHeader = regexp.MustCompile(`(?m)^resource \w+ 'Microsoft\.Authorization/roleAssignments@[^']+' = (?:if \((.*)\) )?\{$`)
	assignmentRole   = regexp.MustCompile(`roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', roles\.(\w+)\.id\)`)
	assignmentField  = func(name string) *regexp.Regexp { return regexp.MustCompile(`(?m)^  ` + name + `: (.+)$`) }
)

func roleAssignments(t *testing.T) []assignment {
	t.Helper()
	var out []assignment
	for file, src := range bicepSources(t) {
		for _, loc := range assignmentHeader.FindAllStringSubmatchIndex(src, -1) {
			body := src[loc[0]:]
			body = body[:strings.Index(body, "\n}")]
			a := assignment{File: file}
			if loc[2] >= 0 {
				a.Condition = src[loc[2]:loc[3]]
			}
			if m := assignmentRole.FindStringSubmatch(body); m != nil {
				a.Role = m[1]
			}
			if m := regexp.MustCompile(`principalId: (\w+)`).FindStringSubmatch(body); m != nil {
				a.Principal = m[1]
			}
			if m := assignmentField("scope").FindStringSubmatch(body); m != nil {
				a.Scope = m[1]
			}
			out = append(out, a)
		}
	}
	return out
}

// Least privilege: the complete list of role assignments, each at the
// narrowest scope that works. Adding or widening one must change this table
// (and docs/DEPLOY.md) on purpose.
func TestRoleAssignmentsAreLeastPrivilege(t *testing.T) {
	const app, eventGrid = "appPrincipalId", "eventGridPrincipalId"
	want := []assignment{
		{"app/rbac.bicep", "storageBlobDataOwner", app, "storage", ""},
		{"app/rbac.bicep", "storageTableDataContributor", app, "storage", ""}, // see rbac.bicep for why not the table
		{"app/rbac.bicep", "keyVaultSecretsUser", app, "vault", ""},
		{"app/rbac.bicep", "monitoringMetricsPublisher", app, "appInsights", ""},
		{"app/rbac.bicep", "eventGridDataSender", app, "driftTopic", "!empty(driftTopicName)"},
		{"app/rbac.bicep", "storageBlobDataContributor", eventGrid, "storage::blobService::deadLetter", ""},
		// No scope: the module's target, one monitored subscription.
		{"monitored/subscription.bicep", "reader", app, "", ""},
		{"monitored/subscription.bicep", "networkContributor", app, "", "enableRemediation"},
	}
	assert.ElementsMatch(t, want, roleAssignments(t))
}
