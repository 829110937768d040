package deploy

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/handler"
)

const repoRoot = ".."

func loadRepo(t *testing.T) *Project {
	t.Helper()
	p, err := Load(repoRoot)
	require.NoError(t, err)
	return p
}

// The repository's own host.json and function folders are what the
// Functions host and the handler expect.
func TestRepositoryProject(t *testing.T) {
	p := loadRepo(t)
	require.NoError(t, p.Validate())

	assert.Equal(t, []string{handler.FunctionOnResourceChange, handler.FunctionReconcile}, p.FunctionNames(),
		"the host posts each invocation to /<folder>; the handler routes these names")
	assert.Equal(t, "bin/linux-amd64/vnetdrift", p.Host.ExecutablePath())
	assert.Equal(t, []string{"serve"}, p.Host.CustomHandler.Description.Arguments)
	assert.False(t, p.Host.CustomHandler.EnableForwardingHTTPRequest, "no HTTP trigger: invocations use the Data/Metadata protocol")

	triggers := map[string]string{}
	for _, f := range p.Functions {
		b, ok := f.Trigger()
		require.True(t, ok, f.Name)
		triggers[f.Name] = b.Type
	}
	assert.Equal(t, map[string]string{handler.FunctionOnResourceChange: EventGridTrigger, handler.FunctionReconcile: TimerTrigger}, triggers)
	assert.Equal(t, []string{"VNETDRIFT_RECONCILE_SCHEDULE"}, p.SettingReferences())
}

func TestValidateReportsEachProblem(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *Project)
		want   string
	}{
		{"host version", func(p *Project) { p.Host.Version = "1.0" }, `host.json: version is "1.0"`},
		{"no executable", func(p *Project) { p.Host.CustomHandler.Description.DefaultExecutablePath = "" }, "defaultExecutablePath is empty"},
		{"absolute executable", func(p *Project) { p.Host.CustomHandler.Description.DefaultExecutablePath = "/usr/bin/vnetdrift" }, "want a clean relative path"},
		{"executable outside the package", func(p *Project) { p.Host.CustomHandler.Description.DefaultExecutablePath = "../vnetdrift" }, "want a clean relative path"},
		{"windows separators", func(p *Project) { p.Host.CustomHandler.Description.DefaultExecutablePath = `bin\vnetdrift.exe` }, "want a clean relative path"},
		{"old bundle", func(p *Project) { p.Host.ExtensionBundle.Version = "[3.*, 4.0.0)" }, "extensionBundle is Microsoft.Azure.Functions.ExtensionBundle [3.*, 4.0.0), want"},
		{"bad timeout", func(p *Project) { p.Host.FunctionTimeout = "5m" }, `functionTimeout "5m"`},
		{"event binding renamed", func(p *Project) { p.Functions[0].Bindings[0].Name = "evt" }, `OnResourceChange/function.json: eventGridTrigger binding is named "evt"`},
		{"trigger direction", func(p *Project) { p.Functions[0].Bindings[0].Direction = "out" }, `direction is "out"`},
		{"no trigger", func(p *Project) { p.Functions[0].Bindings[0].Type = "blob" }, "OnResourceChange/function.json: 0 trigger bindings"},
		{"two triggers", func(p *Project) {
			p.Functions[1].Bindings = append(p.Functions[1].Bindings, Binding{Type: TimerTrigger, Name: "t2", Direction: "in", Schedule: "0 0 * * * *"})
		}, "Reconcile/function.json: 2 trigger bindings"},
		{"unnamed binding", func(p *Project) { p.Functions[1].Bindings[0].Name = "" }, "binding 0: type and name are required"},
		{"bad schedule", func(p *Project) { p.Functions[1].Bindings[0].Schedule = "*/15 * * * *" }, `timer schedule "*/15 * * * *"`},
		{"bad folder name", func(p *Project) { p.Functions[1].Name = "1st" }, `folder name "1st"`},
		{"no functions", func(p *Project) { p.Functions = nil }, "no function folder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := loadRepo(t)
			c.mutate(p)
			err := p.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestValidateAcceptsLiteralScheduleAndDayTimeout(t *testing.T) {
	p := loadRepo(t)
	p.Functions[1].Bindings[0].Schedule = "0 */5 * * * *"
	p.Host.FunctionTimeout = "1.00:00:00"
	assert.NoError(t, p.Validate())
	assert.Empty(t, p.SettingReferences())
}

func TestLoadNamesTheBadFile(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, HostFile))

	copyFile(t, filepath.Join(repoRoot, HostFile), filepath.Join(dir, HostFile))
	writeFile(t, filepath.Join(dir, "Broken", FunctionFile), "{\"bindings\": [")
	_, err = Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "Broken", FunctionFile))
}

func TestEntriesPlaceTheBinaryWhereHostJSONSays(t *testing.T) {
	p := loadRepo(t)
	p.Host.CustomHandler.Description.DefaultExecutablePath = "handler/app"
	var names []string
	var exe Entry
	for _, e := range p.Entries("/tmp/built", "my-baseline.yaml") {
		names = append(names, e.Name)
		if e.Name == "handler/app" {
			exe = e
		}
	}
	assert.Equal(t, []string{
		"OnResourceChange/", "OnResourceChange/function.json", "Reconcile/", "Reconcile/function.json",
		BaselineName, "handler/", "handler/app", HostFile,
	}, names)
	assert.Equal(t, "/tmp/built", exe.Source)
	assert.Equal(t, fs.FileMode(0o755), exe.Mode)
}

func TestWriteZipKeepsModesAndIsReproducible(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "vnetdrift")
	writeFile(t, bin, "binary bytes")
	base := filepath.Join(dir, "b.yaml")
	writeFile(t, base, "vnets: []\n")
	entries := loadRepo(t).Entries(bin, base)

	var first, second bytes.Buffer
	require.NoError(t, WriteZip(&first, entries))
	require.NoError(t, WriteZip(&second, entries))
	assert.Equal(t, first.Bytes(), second.Bytes(), "same inputs, same archive")

	files := readZip(t, first.Bytes())
	assert.Equal(t, "binary bytes", files["bin/linux-amd64/vnetdrift"].content)
	assert.Equal(t, fs.FileMode(0o755), files["bin/linux-amd64/vnetdrift"].mode, "the host must be able to execute the handler")
	assert.Equal(t, "vnets: []\n", files[BaselineName].content)
	assert.Equal(t, fs.FileMode(0o644), files[HostFile].mode)
	assert.True(t, files["bin/"].mode.IsDir())
	host, err := os.ReadFile(filepath.Join(repoRoot, HostFile))
	require.NoError(t, err)
	assert.Equal(t, string(host), files[HostFile].content)
}

func TestWriteZipNamesAMissingSource(t *testing.T) {
	entries := loadRepo(t).Entries("/nonexistent/vnetdrift", "")
	err := WriteZip(io.Discard, entries)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "adding bin/linux-amd64/vnetdrift: open /nonexistent/vnetdrift")
}

// The paths .funcignore re-includes (for Core Tools publishing) are exactly
// the files and folders of the package azd deploys.
func TestFuncignoreMatchesThePackage(t *testing.T) {
	f, err := os.Open(filepath.Join(repoRoot, ".funcignore"))
	require.NoError(t, err)
	defer f.Close()
	var included []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "!") {
			included = append(included, line[1:])
		}
	}
	require.NoError(t, sc.Err())

	var packaged []string
	for _, e := range loadRepo(t).Entries("bin", "baseline") {
		packaged = append(packaged, e.Name)
	}
	slices.Sort(included)
	assert.Equal(t, packaged, included)
}

type zipFile struct {
	content string
	mode    fs.FileMode
}

func readZip(t *testing.T, data []byte) map[string]zipFile {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	out := map[string]zipFile{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		out[f.Name] = zipFile{content: string(b), mode: f.Mode() & (fs.ModeDir | fs.ModePerm)}
	}
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	require.NoError(t, err)
	writeFile(t, dst, string(b))
}
