package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The binary the tests of the issue-13 commands run, as a person does:
// built once per test run, static (as the Dockerfile builds it), into a
// folder removed when the tests end.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{built.dir, demoRun.dir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// The full demo, played once per test run by the binary (01/03 to
// 30/04/2020): tests that look at a full store read it, and those that
// write take a copy (copyStore).
var demoRun struct {
	once sync.Once
	dir  string
	out  string
	err  error
}

// sharedDemo returns the demo's folder and what it printed.
func sharedDemo(t testing.TB) (dir, out string) {
	t.Helper()
	demoRun.once.Do(func() {
		if demoRun.dir, demoRun.err = os.MkdirTemp("", "caxbot-demo-"); demoRun.err != nil {
			return
		}
		code, stdout, stderr := runBin(t, nil, "", "demo", "--out", demoRun.dir)
		demoRun.out = stdout
		if code != 0 {
			demoRun.err = errors.New("caxbot demo: " + stderr)
		}
	})
	if demoRun.err != nil {
		t.Fatal(demoRun.err)
	}
	return demoRun.dir, demoRun.out
}

// copyStore copies the demo's store with caxbot backup into a data folder
// of the test's, and returns the environment that uses it.
func copyStore(t testing.TB) map[string]string {
	t.Helper()
	dir, _ := sharedDemo(t)
	env := dataEnv(t)
	mustBin(t, map[string]string{"CAXBOT_DATA_DIR": dir}, "backup", filepath.Join(env["CAXBOT_DATA_DIR"], "caxbot.db"))
	return env
}

// caxbotBinary builds the command once and returns its path.
func caxbotBinary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "caxbot-bin-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "caxbot")
		cmd := exec.Command("go", "build", "-o", built.path, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// binEnv is the environment a command runs in: nothing of the test
// process's but PATH and HOME, so that a developer's own settings do not
// leak in, plus env.
func binEnv(env map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// runBin runs the built binary with args, stdin as its input, and returns
// its exit code and what it printed.
func runBin(t testing.TB, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, caxbotBinary(t), args...)
	cmd.Env = binEnv(env)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("caxbot %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errOut.String()
}

// mustBin is runBin for a command that must succeed.
func mustBin(t testing.TB, env map[string]string, args ...string) string {
	t.Helper()
	code, out, errOut := runBin(t, env, "", args...)
	if code != 0 {
		t.Fatalf("caxbot %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}
