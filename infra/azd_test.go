package infra

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// bicepParams returns main.bicep's parameters: name → whether it has a
// default value.
func bicepParams(t *testing.T) map[string]bool {
	t.Helper()
	params := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^param (\w+) \w+( = .+)?$`).FindAllStringSubmatch(readFile(t, "main.bicep"), -1) {
		params[m[1]] = m[2] != ""
	}
	require.NotEmpty(t, params)
	return params
}

// parameterValues returns main.parameters.json's values by parameter name.
func parameterValues(t *testing.T) map[string]string {
	t.Helper()
	var file struct {
		Parameters map[string]struct {
			Value string `json:"value"`
		} `json:"parameters"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, "main.parameters.json")), &file))
	values := map[string]string{}
	for name, p := range file.Parameters {
		values[name] = p.Value
	}
	return values
}

var envRef = regexp.MustCompile(`^\$\{([A-Z_][A-Z0-9_]*)(?:=([^}]*))?\}$`)

// azd fills main.parameters.json from the environment: every parameter
// there exists in main.bicep, and every main.bicep parameter without a
// default is there.
func TestParametersFileMatchesMainBicep(t *testing.T) {
	params, values := bicepParams(t), parameterValues(t)
	for name, value := range values {
		assert.Contains(t, params, name, "main.parameters.json sets unknown parameter %s", name)
		assert.Regexp(t, envRef, value, "parameter %s: want ${ENV} or ${ENV=default}", name)
	}
	for name, hasDefault := range params {
		if !hasDefault {
			assert.Contains(t, values, name, "required parameter %s is not in main.parameters.json", name)
		}
	}
}

// The reconcile schedule has one default everywhere it is written down.
func TestReconcileScheduleDefault(t *testing.T) {
	const want = "0 */15 * * * *"
	assert.Len(t, strings.Fields(want), 6, "NCRONTAB with seconds")
	assert.Contains(t, readFile(t, "main.bicep"), "param reconcileSchedule string = '"+want+"'")
	m := envRef.FindStringSubmatch(parameterValues(t)["reconcileSchedule"])
	require.NotNil(t, m)
	assert.Equal(t, want, m[2])
	var local struct{ Values map[string]string }
	require.NoError(t, json.Unmarshal([]byte(readFile(t, "../local.settings.json.example")), &local))
	assert.Equal(t, want, local.Values["VNETDRIFT_RECONCILE_SCHEDULE"])
	assert.Equal(t, "custom", local.Values["FUNCTIONS_WORKER_RUNTIME"])
}

// Every module path and loaded file a Bicep file names exists (what the
// Bicep compiler would check first).
func TestBicepReferencedFilesExist(t *testing.T) {
	ref := regexp.MustCompile(`(?m)(?:^module \w+ '([^']+)'|load(?:Json|Text|Yaml)Content\('([^']+)'\))`)
	for file, src := range bicepSources(t) {
		for _, m := range ref.FindAllStringSubmatch(src, -1) {
			target := path.Join(path.Dir(file), m[1]+m[2])
			_, err := os.Stat(filepath.FromSlash(target))
			assert.NoError(t, err, "%s refers to %s", file, m[1]+m[2])
		}
	}
}

type azureYAML struct {
	Name     string `yaml:"name"`
	Services map[string]struct {
		Project  string `yaml:"project"`
		Language string `yaml:"language"`
		Host     string `yaml:"host"`
		Dist     string `yaml:"dist"`
		Hooks    map[string]struct {
			Posix struct {
				Run string `yaml:"run"`
			} `yaml:"posix"`
		} `yaml:"hooks"`
	} `yaml:"services"`
	Hooks map[string]struct {
		Posix struct {
			Shell string `yaml:"shell"`
			Run   string `yaml:"run"`
		} `yaml:"posix"`
	} `yaml:"hooks"`
}

// azure.yaml deploys the zip `make package` writes to the app Bicep tags
// for the service, and runs the hooks that exist.
func TestAzureYAML(t *testing.T) {
	var cfg azureYAML
	require.NoError(t, yaml.Unmarshal([]byte(readFile(t, "../azure.yaml")), &cfg))
	require.Len(t, cfg.Services, 1)
	svc, ok := cfg.Services["vnetdrift"]
	require.True(t, ok, "service vnetdrift")
	assert.Equal(t, "custom", svc.Language, "azd has no builder for a Go custom handler; the zip is prebuilt")
	assert.Equal(t, "function", svc.Host)
	assert.Equal(t, ".", svc.Project)

	makefile := readFile(t, "../Makefile")
	m := regexp.MustCompile(`(?m)^PKG_ZIP\s+\?=\s+(\S+)$`).FindStringSubmatch(makefile)
	require.NotNil(t, m, "PKG_ZIP in the Makefile")
	assert.Equal(t, m[1], svc.Dist, "azd deploys the zip make package writes")
	assert.True(t, strings.HasSuffix(svc.Dist, ".zip"), "a .zip dist is deployed as is (not re-zipped)")
	assert.Equal(t, "./infra/hooks/prepackage.sh", svc.Hooks["prepackage"].Posix.Run)
	assert.Regexp(t, `(?m)^exec make package BASELINE=`, readFile(t, "hooks/prepackage.sh"))
	assert.Regexp(t, `(?m)^package:`, makefile)

	assert.Contains(t, readFile(t, "app/functionapp.bicep"), "param serviceName string = 'vnetdrift'", "azd finds the app by its azd-service-name tag")

	assert.Equal(t, "./infra/"+hookFile, cfg.Hooks["postdeploy"].Posix.Run)
	for _, run := range []string{cfg.Hooks["postdeploy"].Posix.Run, svc.Hooks["prepackage"].Posix.Run} {
		info, err := os.Stat(filepath.Join("..", run))
		require.NoError(t, err)
		assert.NotZero(t, info.Mode()&0o111, "%s must be executable", run)
	}
	assert.Equal(t, "azd env set VNETDRIFT_EVENT_SUBSCRIPTIONS false", cfg.Hooks["postdown"].Posix.Run)
	assert.Equal(t, "${VNETDRIFT_EVENT_SUBSCRIPTIONS=false}", parameterValues(t)["deployEventSubscriptions"],
		"the hook's flag is the parameter that creates the event subscriptions")
}
