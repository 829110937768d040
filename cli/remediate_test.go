package cli

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/examples"
	"github.com/vnetdrift/vnetdrift/remediate"
)

func TestRemediatePlanOffline(t *testing.T) {
	code, out, errOut := run(t, "remediate", "plan", "--baseline", exampleBaseline, "--estate", driftedEstate)
	require.Equal(t, ExitOK, code, errOut)
	assert.Contains(t, out, "[plan]")
	assert.Contains(t, out, "PUT /subscriptions/")
	assert.Contains(t, out, "?api-version="+remediate.APIVersion)

	code, out, errOut = run(t, "remediate", "plan", "--baseline", exampleBaseline, "--estate", driftedEstate, "--format", "json")
	require.Equal(t, ExitOK, code, errOut)
	var actions []remediate.Action
	require.NoError(t, json.Unmarshal([]byte(out), &actions))
	require.NotEmpty(t, actions)
	for _, a := range actions {
		assert.Equal(t, remediate.ModePlan, a.Mode)
	}
}

func TestRemediateUsage(t *testing.T) {
	cases := []struct {
		args []string
		out  string
	}{
		{[]string{"remediate"}, "usage: vnetdrift remediate plan"},
		{[]string{"remediate", "plan", "--estate", exampleEstate}, "--baseline is required"},
		{[]string{"remediate", "apply", "--baseline", exampleBaseline, "--estate", exampleEstate}, "apply needs --subscription"},
		{[]string{"remediate", "plan", "--baseline", exampleBaseline, "--estate", exampleEstate, "--format", "sarif"}, "unknown format"},
	}
	for _, c := range cases {
		code, _, errOut := run(t, c.args...)
		assert.Equal(t, ExitUsage, code, c.args)
		assert.Contains(t, errOut, c.out, c.args)
	}
}

// apply against the emulator: "n" at the prompt sends nothing; --yes fixes.
func TestRemediateApplyLive(t *testing.T) {
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	for _, v := range res.VNets {
		for _, p := range v.Properties.VirtualNetworkPeerings {
			if strings.EqualFold(*p.Name, "peer-hub-weu-to-spoke-app1") {
				p.Properties.AllowForwardedTraffic = to.Ptr(false)
			}
		}
	}
	srv, err := emulator.New(res, emulator.Options{PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	apply := func(stdin string, extra ...string) (int, string, string) {
		var out, errb bytes.Buffer
		args := append([]string{"remediate", "apply", "--baseline", exampleBaseline,
			"--subscription", "11111111-1111-1111-1111-111111111111,22222222-2222-2222-2222-222222222222"}, extra...)
		code := Main(args, &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin), Getenv: func(k string) string {
			if k == azure.EndpointEnv {
				return hs.URL
			}
			return ""
		}})
		return code, out.String(), errb.String()
	}
	code, out, errOut := apply("n\n")
	assert.Equal(t, ExitDrift, code)
	assert.Contains(t, out, "PEERING_SETTINGS_DRIFT")
	assert.Contains(t, errOut, "[y/N]")
	assert.Contains(t, errOut, "nothing sent")
	assert.Zero(t, srv.Requests()["VirtualNetworkPeerings.CreateOrUpdate"])

	code, out, errOut = apply("", "--yes")
	require.Equal(t, ExitOK, code, errOut)
	assert.Contains(t, out, string(remediate.StatusRemediated))
	assert.Equal(t, 1, srv.Requests()["VirtualNetworkPeerings.CreateOrUpdate"])

	code, out, _ = apply("", "--yes")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, out, "Nothing to remediate.")
}
