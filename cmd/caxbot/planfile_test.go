package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadPlanFileStopsStartUp: a CAXBOT_PLAN_FILE that cannot be used,
// whether it is wrong or would expand past the milestone bound, stops
// `caxbot serve` with one line that names it, before the store is even
// opened; `plan load` refuses it and stores nothing.
func TestBadPlanFileStopsStartUp(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("id: nhieu-moc\ntitle: {vi: \"Kế hoạch nhiều mốc\"}\nmilestones:\n")
	for i := range 5600 {
		fmt.Fprintf(&bomb, "  - {id: m%d, title: {vi: \"Mốc %d năm {year}\"}, kind: posts, posts: [chief], start: 2020-01-01, deadline: 2020-03-31, repeat: {every: year, until: 2069}}\n", i, i)
	}
	files := map[string]string{
		"a date that is no day": `id: thu
title: {vi: "Kế hoạch thử"}
milestones:
  - {id: truong-q1, title: {vi: "Trưởng"}, kind: posts, posts: [chief], start: 2020-01-01, deadline: 2020-13-31}
  - {id: pho-q1, title: {vi: "Phó"}, kind: posts, posts: [deputy], start: 2020-01-01, deadline: 2020-02-30}
`,
		"280,000 milestones once expanded": bomb.String(),
		"no such file":                     "",
	}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			env := dataEnv(t)
			path := filepath.Join(t.TempDir(), "ke-hoach.yaml")
			if content != "" {
				if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			env["CAXBOT_PLAN_FILE"] = path
			env["TELEGRAM_BOT_TOKEN"] = "123456789:tgtest-token"
			code, _, errOut := run(t, env, "serve")
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if code != 1 || len(lines) != 1 || !strings.Contains(lines[0], path) {
				t.Errorf("exit %d, want 1 and one line naming the file:\n%s", code, errOut)
			}
			if _, err := os.Stat(filepath.Join(env["CAXBOT_DATA_DIR"], "caxbot.db")); !os.IsNotExist(err) {
				t.Errorf("the store was opened: %v", err)
			}
			delete(env, "CAXBOT_PLAN_FILE")
			if code, _, _ := run(t, env, "plan", "load", path); code != 1 {
				t.Errorf("plan load: exit %d, want 1", code)
			}
			if out := mustRun(t, env, "plan", "show"); strings.Contains(out, "nhieu-moc") || strings.Contains(out, "truong-q1") {
				t.Errorf("the refused plan was stored:\n%s", out)
			}
		})
	}
}
