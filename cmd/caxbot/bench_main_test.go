package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestBenchRuns is a small run of caxbot bench on the embedded default
// and the seed province: both phases answer every update, and the report
// has its figures; the warm-up before the rounds is not counted in them.
// It checks that the benchmark works, not how fast.
func TestBenchRuns(t *testing.T) {
	out := mustRun(t, dataEnv(t), "bench", "--roster", rosterFile, "--users", "60", "--clients", "4", "--updates", "400", "--duration", "60s")
	phases := regexp.MustCompile(`(\d+) cập nhật đã xử lý, (\d+) lỗi`).FindAllStringSubmatch(out, -1)
	if len(phases) != 2 {
		t.Fatalf("want the floor's and caxbot's figures, got:\n%s", out)
	}
	for _, ph := range phases {
		if ph[1] != "400" || ph[2] != "0" {
			t.Errorf("phase answered %s updates with %s errors, want 400 and 0:\n%s", ph[1], ph[2], out)
		}
	}
	for _, want := range []string{"Khởi động", "Mức sàn", "caxbot (webhook", "thông lượng của mức sàn", "p99", "Cấp phát mỗi cập nhật"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestBenchJobsRuns runs caxbot bench jobs, as a built binary (its
// commands are measured as processes of their own), on the embedded
// default and the seed province: every job and command has its figures.
func TestBenchJobsRuns(t *testing.T) {
	bin := buildCaxbot(t)
	cmd := exec.Command(bin, "bench", "jobs", "--roster", rosterFile)
	cmd.Env = append(os.Environ(), "DATABASE_URL=", "REDIS_URL=", "CAXBOT_LANG=vi", "CAXBOT_DATA_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("caxbot bench jobs: %v\n%s", err, out)
	}
	for _, want := range []string{
		"bản tin tuần 01/07/2024: ", "nhắc việc ngày 02/07/2024: ", "xem trước nhắc việc ngày 04/07/2024: ",
		"lệnh caxbot progress: ", "lệnh caxbot digest: ",
	} {
		line := ""
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, want) {
				line = l
			}
		}
		if !strings.Contains(line, "CPU ") || !strings.Contains(line, "MiB") {
			t.Errorf("no figures for %q in:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`\d+ tin trong hộp thư đi`).Match(out) || strings.Contains(string(out), " 0 tin nhắc,") {
		t.Errorf("the jobs made nothing:\n%s", out)
	}
}
