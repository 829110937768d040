package infra

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/deploy"
)

const hookFile = "hooks/postdeploy.sh"

// The functions the hook waits for, and the one the event subscription
// targets, are the function folders of the package.
func TestFunctionNamesMatchTheFolders(t *testing.T) {
	p, err := deploy.Load("..")
	require.NoError(t, err)
	folders := p.FunctionNames()

	m := regexp.MustCompile(`(?m)^FUNCTIONS="([^"]*)"$`).FindStringSubmatch(readFile(t, hookFile))
	require.NotNil(t, m, "FUNCTIONS=\"...\" not found in %s", hookFile)
	assert.ElementsMatch(t, folders, strings.Fields(m[1]), "%s waits for every function", hookFile)

	m = regexp.MustCompile(`(?m)^param functionName string = '(\w+)'$`).FindStringSubmatch(readFile(t, systemTopicFile))
	require.NotNil(t, m)
	var target *deploy.Function
	for i := range p.Functions {
		if p.Functions[i].Name == m[1] {
			target = &p.Functions[i]
		}
	}
	require.NotNil(t, target, "%s targets function %q, which has no folder", systemTopicFile, m[1])
	trigger, _ := target.Trigger()
	assert.Equal(t, deploy.EventGridTrigger, trigger.Type, "the event subscription must target the eventGridTrigger function")
}

// hookRun runs a hook script with stub az, azd and make commands that log
// their arguments. The postdeploy hook gets a PATH holding nothing else;
// other scripts also get the system directories (for dirname).
type hookRun struct {
	script string // default hookFile
	env    map[string]string
	noAz   bool
	log    string
	stderr string
	code   int
}

func (h *hookRun) run(t *testing.T) {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the hook with")
	}
	if h.script == "" {
		h.script = hookFile
	}
	script, err := filepath.Abs(h.script)
	require.NoError(t, err)
	bin := t.TempDir()
	logFile := filepath.Join(bin, "calls.log")
	stub := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body), 0o755))
	}
	stub("azd", `echo "azd $* [flag=${VNETDRIFT_EVENT_SUBSCRIPTIONS:-}]" >> "$CALLS"
if [ "$1" = provision ]; then exit "${AZD_PROVISION_RC:-0}"; fi
`)
	stub("make", `echo "make $*" >> "$CALLS"
`)
	if !h.noAz {
		stub("az", `echo "az $1 $2" >> "$CALLS"
if [ "$1" = functionapp ]; then exit "${AZ_FUNCTION_RC:-0}"; fi
`)
	}
	path := bin
	if h.script != hookFile {
		path += ":/usr/bin:/bin"
	}
	env := []string{"PATH=" + path, "CALLS=" + logFile, "VNETDRIFT_HOOK_TRIES=1",
		"AZURE_FUNCTION_APP_NAME=func-vnetdrift-x", "AZURE_RESOURCE_GROUP=rg-dev", "AZURE_SUBSCRIPTION_ID=sub-1"}
	for k, v := range h.env {
		env = append(env, k+"="+v)
	}
	cmd := exec.Command(sh, script)
	cmd.Env, cmd.Dir = env, t.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	h.stderr = stderr.String()
	if ee, ok := err.(*exec.ExitError); ok {
		h.code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	if b, err := os.ReadFile(logFile); err == nil {
		h.log = string(b)
	}
}

func TestPostdeployHook(t *testing.T) {
	const (
		checks    = "az account show\naz functionapp function\naz functionapp function\n"
		secondRun = "azd env set VNETDRIFT_EVENT_SUBSCRIPTIONS true [flag=]\nazd provision --no-prompt [flag=true]\n"
	)
	cases := []struct {
		name   string
		h      hookRun
		code   int
		log    string
		stderr string
	}{
		{"first deployment: second provision pass", hookRun{}, 0, checks + secondRun, ""},
		{"already enabled: nothing to provision", hookRun{env: map[string]string{"VNETDRIFT_EVENT_SUBSCRIPTIONS": "true"}}, 0, checks, ""},
		{"second pass fails: flag reset", hookRun{env: map[string]string{"AZD_PROVISION_RC": "1"}}, 1,
			checks + secondRun + "azd env set VNETDRIFT_EVENT_SUBSCRIPTIONS false [flag=]\n", "run: azd hooks run postdeploy"},
		{"function not live: no event subscription", hookRun{env: map[string]string{"AZ_FUNCTION_RC": "3"}}, 1,
			"az account show\naz functionapp function\n", "function OnResourceChange is not listed by func-vnetdrift-x after 1 tries"},
		{"no Azure CLI: not checked, still provisioned", hookRun{noAz: true}, 0, secondRun, "Azure CLI missing or not logged in"},
		{"outside azd", hookRun{env: map[string]string{"AZURE_FUNCTION_APP_NAME": ""}}, 2, "", "AZURE_FUNCTION_APP_NAME"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := c.h
			h.run(t)
			assert.Equal(t, c.code, h.code, "stderr: %s", h.stderr)
			assert.Equal(t, c.log, h.log)
			assert.Contains(t, h.stderr, c.stderr)
		})
	}
}

// The prepackage hook packages the baseline the app will read, and refuses
// to build a package without one.
func TestPrepackageHook(t *testing.T) {
	const script = "hooks/prepackage.sh"
	cases := []struct {
		name   string
		env    map[string]string
		code   int
		log    string
		stderr string
	}{
		{"baseline file packaged", map[string]string{"VNETDRIFT_BASELINE_FILE": "examples/baseline.yaml"}, 0,
			"make package BASELINE=examples/baseline.yaml\n", ""},
		{"blob baseline: nothing packaged", map[string]string{"VNETDRIFT_BASELINE": "https://st.blob.core.windows.net/baseline/b.yaml"}, 0,
			"make package\n", ""},
		{"no baseline", nil, 1, "", "no baseline to package"},
		{"missing baseline file", map[string]string{"VNETDRIFT_BASELINE_FILE": "nope.yaml"}, 1, "", "VNETDRIFT_BASELINE_FILE=nope.yaml: no such file"},
		{"other packaged name", map[string]string{"VNETDRIFT_BASELINE": "prod.yaml", "VNETDRIFT_BASELINE_FILE": "examples/baseline.yaml"}, 1, "",
			"want baseline.yaml (the packaged file) or an https:// blob URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := hookRun{script: script, env: c.env}
			h.run(t)
			assert.Equal(t, c.code, h.code, "stderr: %s", h.stderr)
			assert.Equal(t, c.log, h.log)
			assert.Contains(t, h.stderr, c.stderr)
		})
	}
}
