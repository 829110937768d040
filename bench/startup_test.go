package bench

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkServeStartup starts the built binary as the Functions host
// does (FUNCTIONS_CUSTOMHANDLER_PORT) and polls GET / every millisecond
// (the host polls every 25 ms) until it answers. Reported:
//
//	p50-ms/max-ms  process start → first answer to GET /
//	idle-RSS-MiB   resident memory 2 s after start, pipeline built, no traffic (Linux)
func BenchmarkServeStartup(b *testing.B) {
	bin := binary(b)
	baseline, err := filepath.Abs("../examples/baseline.yaml")
	require.NoError(b, err)
	var ready []time.Duration
	b.ResetTimer()
	for range b.N {
		cmd, took := startServe(b, bin, baseline)
		ready = append(ready, took)
		stopServe(b, cmd)
	}
	b.StopTimer()
	slices.Sort(ready)
	b.ReportMetric(float64(ready[len(ready)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ready[len(ready)-1].Microseconds())/1000, "max-ms")
	cmd, _ := startServe(b, bin, baseline)
	time.Sleep(2 * time.Second)
	if kib, ok := vmRSS(cmd.Process.Pid); ok {
		b.ReportMetric(float64(kib)/1024, "idle-RSS-MiB")
	}
	stopServe(b, cmd)
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// TestMain removes the binary built for the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binary builds vnetdrift as `make build` does, once per process.
func binary(b *testing.B) string {
	b.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "vnetdrift-bench-"); buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(buildDir, "vnetdrift"), "..").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w: %s", err, out)
		}
	})
	require.NoError(b, buildErr)
	return filepath.Join(buildDir, "vnetdrift")
}

// startServe starts serve and returns once GET / answers.
func startServe(b *testing.B, bin, baseline string) (*exec.Cmd, time.Duration) {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(b, ln.Close())
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"FUNCTIONS_CUSTOMHANDLER_PORT=" + port, "VNETDRIFT_BASELINE=" + baseline,
		"VNETDRIFT_ARM_ENDPOINT=http://127.0.0.1:1", "HOME=" + b.TempDir()}
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	require.NoError(b, cmd.Start())
	for {
		resp, err := client.Get("http://127.0.0.1:" + port + "/")
		if err == nil {
			_ = resp.Body.Close()
			return cmd, time.Since(start)
		}
		require.Less(b, time.Since(start), 10*time.Second, "serve did not answer: %v", err)
		time.Sleep(time.Millisecond)
	}
}

func stopServe(b *testing.B, cmd *exec.Cmd) {
	b.Helper()
	require.NoError(b, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(b, cmd.Wait())
}

// vmRSS reads a process's resident set size in KiB from /proc.
func vmRSS(pid int) (int, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n, err == nil
		}
	}
	return 0, false
}
