package detector

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/vnetdrift/vnetdrift/"

// bannedStd are standard packages the detector must not import directly:
// it does no I/O, no networking and no logging.
var bannedStd = []string{
	"log", "log/slog", "net", "net/http", "net/rpc", "os", "os/exec", "os/signal", "plugin", "syscall", "unsafe",
}

// TestDependencies keeps the detector pure: it imports only the standard
// library (minus I/O), estate and baseline, and pulls in no package that
// estate and baseline do not already need (no Azure SDK, notifier, state
// store, handler or pipeline of its own).
func TestDependencies(t *testing.T) {
	std := map[string]bool{}
	for _, line := range goList(t, "-deps", "-f", "{{.ImportPath}} {{.Standard}}", module+"detector") {
		path, isStd, _ := strings.Cut(line, " ")
		std[path] = isStd == "true"
	}
	for _, imp := range goList(t, "-f", "{{join .Imports \"\\n\"}}", module+"detector") {
		switch {
		case imp == module+"estate" || imp == module+"baseline":
		case !std[imp]:
			t.Errorf("detector imports %s: only the standard library, estate and baseline are allowed", imp)
		case slices.Contains(bannedStd, imp):
			t.Errorf("detector imports %s: the detector does no I/O", imp)
		}
	}
	allowed := map[string]bool{module + "detector": true}
	for _, p := range goList(t, "-deps", module+"estate", module+"baseline") {
		allowed[p] = true
	}
	own := []string{module + "detector", module + "estate", module + "baseline"}
	for _, dep := range goList(t, "-deps", module+"detector") {
		switch {
		case strings.HasPrefix(dep, module) && !slices.Contains(own, dep):
			t.Errorf("detector depends on %s: of this module only estate and baseline are allowed", dep)
		case !std[dep] && !allowed[dep]:
			t.Errorf("detector depends on %s, which estate and baseline do not need", dep)
		}
	}
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list %v: %s", args, stderr.String())
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}
