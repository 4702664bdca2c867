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
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
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
