package notify

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
)

// built records the channels the fake factories were called with.
type built struct{ channels []Channel }

func (b *built) factories() Factories {
	mk := func(c Channel) (alert.Notifier, error) {
		b.channels = append(b.channels, c)
		return &fake{name: c.Kind}, nil
	}
	return Factories{KindTeams: mk, KindEmail: mk}
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const webhook = "https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRETSIGNATURE"

func TestBuildDefaultReceiverFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"neither", nil, nil},
		{"teams", map[string]string{EnvTeamsWebhookURL: webhook}, []string{"default/teams/0"}},
		{"email", map[string]string{EnvEmailTo: "a@example.com, b@example.com"}, []string{"default/email/0"}},
		{"both", map[string]string{EnvTeamsWebhookURL: webhook, EnvEmailTo: "a@example.com"}, []string{"default/teams/0", "default/email/0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b built
			got, err := Build(nil, env(tt.env), b.factories())
			require.NoError(t, err)
			assert.Equal(t, tt.want, keysOf(got[DefaultReceiver]))
		})
	}
	var b built
	_, err := Build(nil, env(map[string]string{EnvTeamsWebhookURL: webhook, EnvEmailTo: "a@example.com, b@example.com"}), b.factories())
	require.NoError(t, err)
	require.Len(t, b.channels, 2)
	assert.Equal(t, webhook, b.channels[0].URL, "passed on unchanged")
	assert.Equal(t, []string{"a@example.com", "b@example.com"}, b.channels[1].To)
}

func TestBuildDeclaredReceivers(t *testing.T) {
	r, err := parseRouting(t, fullRouting)
	require.NoError(t, err)
	var b built
	got, err := Build(r, env(map[string]string{
		"VNETDRIFT_TEAMS_WEBHOOK_URL_ONCALL": webhook + "1", "VNETDRIFT_TEAMS_WEBHOOK_URL_NETOPS": webhook + "2",
		"NETOPS_SECOND_WEBHOOK": webhook + "3", "VNETDRIFT_EMAIL_TO_OPS": "ops@example.com",
		EnvTeamsWebhookURL: webhook + "4",
	}), b.factories())
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"default": {"default/teams/0"},
		"netops":  {"netops/teams/0", "netops/teams/1", "netops/email/0"},
		"oncall":  {"oncall/teams/0"},
		"ops":     {"ops/email/0"},
	}, map[string][]string{"default": keysOf(got["default"]), "netops": keysOf(got["netops"]), "oncall": keysOf(got["oncall"]), "ops": keysOf(got["ops"])})
	assert.Len(t, got, 4)
}

func TestBuildErrorsNameTheSettingNotTheSecret(t *testing.T) {
	r, err := parseRouting(t, "receivers:\n  ops:\n    teams: [{urlFrom: OPS_HOOK}]\n    email: [{toFrom: OPS_TO}]\n")
	require.NoError(t, err)
	tests := []struct {
		name string
		env  map[string]string
		f    Factories
		want string
	}{
		{"unset webhook setting", map[string]string{"OPS_TO": "a@example.com"}, nil, "receiver ops: ops/teams/0: setting OPS_HOOK is empty"},
		{"not a URL", map[string]string{"OPS_HOOK": "ftp://SECRETSIGNATURE", "OPS_TO": "a@example.com"}, nil, "setting OPS_HOOK does not hold an http(s) URL"},
		{"bad address", map[string]string{"OPS_HOOK": webhook, "OPS_TO": "a@example.com, not-an-address"}, nil, `setting OPS_TO: bad email address "not-an-address"`},
		{"empty addresses", map[string]string{"OPS_HOOK": webhook, "OPS_TO": " , "}, nil, "setting OPS_TO is empty"},
		{"no email factory", map[string]string{"OPS_HOOK": webhook, "OPS_TO": "a@example.com"}, Factories{KindTeams: (&built{}).factories()[KindTeams]}, "ops/email/0: no email channel is configured"},
		{"factory fails", map[string]string{"OPS_HOOK": webhook, "OPS_TO": "a@example.com"}, Factories{
			KindTeams: func(Channel) (alert.Notifier, error) { return nil, errors.New("bad host") },
			KindEmail: (&built{}).factories()[KindEmail],
		}, "ops/teams/0: building teams channel: bad host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			if f == nil {
				f = (&built{}).factories()
			}
			_, err := Build(r, env(tt.env), f)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "SECRETSIGNATURE")
		})
	}
}

func TestChannelPrintsNoURL(t *testing.T) {
	c := Channel{Receiver: "ops", Kind: KindTeams, Index: 1, URL: webhook}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c)} {
		assert.NotContains(t, s, "SECRETSIGNATURE")
		assert.Contains(t, s, "ops/teams/1")
	}
}

func keysOf(ts []Target) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Key)
	}
	return out
}
