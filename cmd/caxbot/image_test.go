package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// dockerImage is what the Dockerfile's runtime stage says about how the binary
// runs.
type dockerImage struct {
	uid, gid    int
	env         map[string]string
	volume      string
	workdir     string
	dataOwner   string // the --chown of the COPY that makes the volume's folder
	dataFolder  string // where that COPY puts it
	binary      string
	entrypoint  []string
	cmd         []string
	healthcheck []string
}

// readDockerfile reads the runtime stage (after the last FROM).
func readDockerfile(t *testing.T) dockerImage {
	t.Helper()
	f, err := os.Open("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "FROM ") {
			lines = nil
		}
		if l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	img := dockerImage{env: map[string]string{}}
	jsonList := func(s string) []string {
		var out []string
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatalf("Dockerfile: %q is not a JSON list: %v", s, err)
		}
		return out
	}
	for _, l := range lines {
		word, rest, _ := strings.Cut(l, " ")
		switch word {
		case "USER":
			u, g, _ := strings.Cut(rest, ":")
			var err1, err2 error
			img.uid, err1 = strconv.Atoi(u)
			img.gid, err2 = strconv.Atoi(g)
			if err1 != nil || err2 != nil {
				t.Fatalf("Dockerfile: USER %s is not numeric uid:gid", rest)
			}
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				img.env[k] = v
			}
		case "VOLUME":
			vols := jsonList(rest)
			if len(vols) != 1 {
				t.Fatalf("Dockerfile: VOLUME %v, want one", vols)
			}
			img.volume = vols[0]
		case "WORKDIR":
			img.workdir = rest
		case "COPY":
			f := strings.Fields(rest)
			switch {
			case strings.HasSuffix(f[len(f)-1], "/caxbot") && strings.HasPrefix(f[len(f)-1], "/usr/"):
				img.binary = f[len(f)-1]
			case len(f) == 4 && strings.HasPrefix(f[1], "--chown="):
				img.dataOwner, img.dataFolder = strings.TrimPrefix(f[1], "--chown="), f[3]
			}
		case "ENTRYPOINT":
			img.entrypoint = jsonList(rest)
		case "CMD":
			img.cmd = jsonList(rest)
		case "HEALTHCHECK":
			_, c, _ := strings.Cut(rest, " CMD ")
			img.healthcheck = jsonList(c)
		}
	}
	return img
}

// TestImageRunsAsItsUser runs the static binary as the image's user in a
// folder laid out as the image is (no Docker engine on these machines):
// serve on the embedded default, against a local Bot API server; the
// health check; an import and a backup while it serves; a stop.
func TestImageRunsAsItsUser(t *testing.T) {
	img := readDockerfile(t)
	switch {
	case img.uid == 0:
		t.Fatal("the image runs as root")
	case img.volume == "" || img.volume != img.env["CAXBOT_DATA_DIR"] || img.workdir != img.volume:
		t.Fatalf("the data volume %q, CAXBOT_DATA_DIR %q and WORKDIR %q differ", img.volume, img.env["CAXBOT_DATA_DIR"], img.workdir)
	case img.dataFolder != img.volume || img.dataOwner != strconv.Itoa(img.uid)+":"+strconv.Itoa(img.gid):
		t.Fatalf("the volume's folder %q is made owned by %q, not the image's user %d:%d", img.dataFolder, img.dataOwner, img.uid, img.gid)
	case len(img.entrypoint) != 1 || img.entrypoint[0] != img.binary || len(img.cmd) != 1 || img.cmd[0] != "serve":
		t.Fatalf("ENTRYPOINT %v CMD %v, want the binary and serve", img.entrypoint, img.cmd)
	case len(img.healthcheck) != 2 || img.healthcheck[0] != img.binary || img.healthcheck[1] != "healthcheck":
		t.Fatalf("HEALTHCHECK %v", img.healthcheck)
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CAXBOT_REQUIRE_SERVICES") != "" {
			t.Fatal("running as the image's user needs root (chroot, setuid)")
		}
		t.Skip("running as the image's user needs root (chroot, setuid)")
	}

	// The image's layout: the binary, the data folder owned by the user, /tmp.
	root := t.TempDir()
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, img.binary)
	data := filepath.Join(root, img.volume)
	for _, dir := range []string{filepath.Dir(bin), data, filepath.Join(root, "tmp")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(root, "tmp"), 0o1777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(data, img.uid, img.gid); err != nil {
		t.Fatal(err)
	}
	built, err := os.ReadFile(caxbotBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, built, 0o755); err != nil {
		t.Fatal(err)
	}
	roster, err := os.ReadFile(rosterFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "tmp", "xa.csv"), roster, 0o644); err != nil {
		t.Fatal(err)
	}

	srv := tgtest.NewServer(tgtest.Options{BotUsername: "congan_hoabinh_bot", Scale: 1000})
	defer srv.Close()
	listen := freeAddr(t)
	env := []string{"TELEGRAM_BOT_TOKEN=" + srv.Token, "CAXBOT_TELEGRAM_API=" + srv.URL, "CAXBOT_LISTEN=" + listen}
	for k, v := range img.env {
		env = append(env, k+"="+v)
	}
	command := func(ctx context.Context, args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, img.binary, args...)
		cmd.Env = env
		cmd.Dir = img.workdir
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Chroot:     root,
			Credential: &syscall.Credential{Uid: uint32(img.uid), Gid: uint32(img.gid)},
		}
		return cmd
	}
	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		out, err := command(ctx, args...).CombinedOutput()
		return string(out), err
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	serve := command(ctx, img.cmd...)
	var serveOut bytes.Buffer
	serve.Stdout, serve.Stderr = &serveOut, &serveOut
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			serve.Process.Kill()
			serve.Wait()
		}
	}()
	ready := false
	for !ready && ctx.Err() == nil {
		out, err := run(img.healthcheck[1:]...)
		ready = err == nil && strings.Contains(out, "sẵn sàng")
		if !ready {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if !ready {
		t.Fatalf("serve never became ready:\n%s", serveOut.String())
	}

	if out, err := run("import", "communes", "/tmp/xa.csv"); err != nil {
		t.Fatalf("import while serving: %v\n%s", err, out)
	}
	if out, err := run("backup", filepath.Join(img.volume, "sao-luu.db")); err != nil || !strings.Contains(out, "Đã sao lưu") {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	out, err := run("status")
	if err != nil || !strings.Contains(out, "Tên bot: @congan_hoabinh_bot") || !strings.Contains(out, "151 đơn vị cấp xã") {
		t.Errorf("status beside serve: %v\n%s", err, out)
	}

	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = serve.Wait()
	stopped = true
	var exit *exec.ExitError
	if errors.As(err, &exit) || err != nil {
		t.Errorf("serve stopped with %v:\n%s", err, serveOut.String())
	}

	// Everything the service wrote is the user's, and the backup is whole.
	entries, err := os.ReadDir(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		fi, err := os.Stat(filepath.Join(data, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != img.uid {
			t.Errorf("%s is owned by %d, not the image's user", e.Name(), st.Uid)
		}
	}
	backup, err := store.Open(context.Background(), "sqlite:"+filepath.Join(data, "sao-luu.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	communes, err := backup.Communes(context.Background(), store.Scope{})
	if err != nil || len(communes) != 151 {
		t.Errorf("the backup has %d communes, %v", len(communes), err)
	}
}

// TestComposeFile checks the stack the README documents: every service
// restarts and has a health check, the replicas know the bot's username
// and use the Postgres URL options the README recommends.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Restart     string            `yaml:"restart"`
			Healthcheck map[string]any    `yaml:"healthcheck"`
			Environment map[string]string `yaml:"environment"`
			Command     []string          `yaml:"command"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &compose); err != nil {
		t.Fatal(err)
	}
	replicas := 0
	for name, s := range compose.Services {
		if s.Restart != "unless-stopped" && s.Restart != "always" {
			t.Errorf("%s: restart %q", name, s.Restart)
		}
		if s.Healthcheck["test"] == nil {
			t.Errorf("%s: no health check", name)
		}
		if len(s.Command) == 0 || s.Command[0] != "serve" {
			continue
		}
		replicas++
		if s.Environment["CAXBOT_BOT_USERNAME"] == "" {
			t.Errorf("%s: no CAXBOT_BOT_USERNAME", name)
		}
		if u := s.Environment["DATABASE_URL"]; !strings.Contains(u, "binary_parameters=yes") || !strings.Contains(u, "sslmode=") {
			t.Errorf("%s: DATABASE_URL %q lacks the README's options", name, u)
		}
	}
	if replicas < 2 {
		t.Errorf("%d replicas, want at least two", replicas)
	}
}
