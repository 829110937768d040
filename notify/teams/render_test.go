package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/notify/internal/notifytest"
)

// renderTool is tools/cardrender, relative to this package.
var renderTool = filepath.Join("..", "..", "tools", "cardrender")

// renderResult is what tools/cardrender/render.js prints.
type renderResult struct {
	Chromium      string `json:"chromium"`
	AdaptiveCards string `json:"adaptivecards"`
	Cards         []struct {
		Input  string `json:"input"`
		PNG    string `json:"png"`
		Bytes  int64  `json:"bytes"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
		Events []struct {
			Kind, Phase, Event, Message string
		} `json:"events"`
	} `json:"cards"`
}

// needRenderer skips the test when node, the npm packages or chromium are
// missing, unless CI is set: there a missing renderer is a failure.
func needRenderer(t *testing.T) {
	t.Helper()
	missing := func(what string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("card renderer unavailable in CI: %s (run .ci/cardrender.sh)", what)
		}
		t.Skipf("card renderer unavailable: %s (run .ci/cardrender.sh)", what)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("node not on PATH")
	}
	for _, pkg := range []string{"adaptivecards", "playwright-core"} {
		if _, err := os.Stat(filepath.Join(renderTool, "node_modules", pkg, "package.json")); err != nil {
			missing("npm package " + pkg + " not installed in tools/cardrender")
		}
	}
	if _, err := os.Stat(chromiumPath()); err != nil {
		missing("no chromium at " + chromiumPath())
	}
}

func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// artifactDir is where the PNGs go: $VNETDRIFT_ARTIFACTS/cards, kept after
// the run, or a temporary directory.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("VNETDRIFT_ARTIFACTS"); d != "" {
		dir, err := filepath.Abs(filepath.Join(d, "cards"))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		return dir
	}
	return t.TempDir()
}

func render(t *testing.T, out string, inputs ...string) renderResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{"render.js", "--out", out}, inputs...)...)
	cmd.Dir = renderTool
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromiumPath())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "render.js: %s", stderr.String())
	var res renderResult
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), "render.js output: %s", stdout.String())
	require.Len(t, res.Cards, len(inputs))
	return res
}

// TestRenderCards renders every golden card with the adaptivecards
// renderer in headless chromium (no parse or validation event, a PNG), and
// in the same browser a broken card, to show that the check can fail.
func TestRenderCards(t *testing.T) {
	needRenderer(t)
	goldens, err := filepath.Glob(filepath.Join("testdata", "*.golden.json"))
	require.NoError(t, err)
	require.Len(t, goldens, len(notifytest.Kinds()))
	var inputs []string
	for _, g := range goldens {
		abs, err := filepath.Abs(g)
		require.NoError(t, err)
		inputs = append(inputs, abs)
	}
	bad := filepath.Join(t.TempDir(), "broken-on-purpose.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"type":"AdaptiveCard","version":"1.4","body":[
		{"type":"Bogus"},{"type":"TextBlock","text":"x","color":"purple"}]}`), 0o644))
	out := artifactDir(t)
	res := render(t, out, append(inputs, bad)...)
	t.Logf("chromium %s, adaptivecards %s, PNGs in %s", res.Chromium, res.AdaptiveCards, out)
	for _, c := range res.Cards[:len(inputs)] {
		name := filepath.Base(c.Input)
		assert.Empty(t, c.Events, "%s: renderer events", name)
		png, err := os.ReadFile(c.PNG)
		if assert.NoError(t, err, name) {
			assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")), "%s: not a PNG", name)
			assert.Greater(t, len(png), 1000, "%s: PNG too small to show a card", name)
		}
		assert.Greater(t, c.Height, 100, "%s: rendered card height", name)
		assert.Equal(t, strings.TrimSuffix(name, ".golden.json")+".png", filepath.Base(c.PNG))
	}
	var events []string
	for _, e := range res.Cards[len(inputs)].Events {
		events = append(events, e.Event)
	}
	assert.ElementsMatch(t, []string{"UnknownElementType", "InvalidPropertyValue"}, events, "the broken card")
}
