package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestBenchRuns is a small run of caxbot bench on the embedded default
// and the seed province: both phases answer every update, and the report
// has its figures. It checks that the benchmark works, not how fast.
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
	for _, want := range []string{"Mức sàn", "caxbot (webhook", "thông lượng của mức sàn", "p99"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
