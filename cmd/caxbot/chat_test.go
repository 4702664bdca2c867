package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// TestChatAnswersTheIssueExample is the README's example: a province user
// asks, without diacritics, how many communes of Lạc Sơn still lack a
// regular chief, on the seed data the demo leaves behind.
func TestChatAnswersTheIssueExample(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CAXBOT_DATA_DIR": dir}
	mustRun(t, env, "demo", "--out", dir)
	mustRun(t, env, "users", "add", "--telegram-id", "100", "--role", "province", "--scope", "17", "--name", "Nguyễn Văn Tỉnh")

	vacant, err := openStore(t, env).Vacancies(context.Background(), store.Scope{Role: store.RoleDistrict, Code: "157"}, []store.PostKind{store.Chief}, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runIn(t, env, "huyen lac son con bao nhieu xa chua co truong cong an chinh quy\n", "chat", "--as", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := fmt.Sprintf("còn %d xã", len(vacant))
	if len(vacant) == 0 || !strings.Contains(out, want) {
		t.Errorf("answer lacks %q:\n%s", want, out)
	}
}

// TestChatPressesButtons walks the start of a report conversation by
// typed button numbers, and cancels it.
func TestChatPressesButtons(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CAXBOT_DATA_DIR": dir}
	mustRun(t, env, "demo", "--out", dir)
	mustRun(t, env, "users", "add", "--telegram-id", "200", "--role", "district", "--scope", "157", "--name", "Bùi Văn Thắng")
	_, out, _ := runIn(t, env, "/baocao\n#1\n#99\n/huy\n", "chat", "--as", "200")
	first := regexp.MustCompile(`\[1 ([^\]]+)\]`).FindStringSubmatch(out)
	if first == nil {
		t.Fatalf("no numbered buttons:\n%s", out)
	}
	if !strings.Contains(out, "🤖 (sửa) ") || !strings.Contains(out, first[1]) {
		t.Errorf("pressing #1 (%s) did not edit the message:\n%s", first[1], out)
	}
	if !strings.Contains(out, "(không có nút số 99 ở tin nhắn gần nhất)") {
		t.Errorf("a missing button is not said:\n%s", out)
	}
	if n := len(openStoreReports(t, env)); n != 0 { // reports by the district head 200
		t.Errorf("%d reports written by a cancelled conversation", n)
	}
}

func openStoreReports(t *testing.T, env map[string]string) []store.Report {
	t.Helper()
	reports, err := openStore(t, env).ReportsBetween(context.Background(), store.Scope{}, time.Time{}, time.Now().AddDate(100, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var byUsers []store.Report
	for _, r := range reports {
		if r.Actor == "user:200" {
			byUsers = append(byUsers, r)
		}
	}
	return byUsers
}

// TestChatTranscriptReadsCleanly: what the bot does after answering (a
// digest on demand) is in the transcript before it ends, and the bot's
// log lines are not: standard error stays empty.
func TestChatTranscriptReadsCleanly(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CAXBOT_DATA_DIR": dir}
	mustRun(t, env, "demo", "--out", dir)
	mustRun(t, env, "users", "add", "--telegram-id", "200", "--role", "district", "--scope", "157", "--name", "Bùi Văn Thắng")
	code, out, errOut := runIn(t, env, "/baocaotuan\n", "chat", "--as", "200")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "🤖 📊 Bản tin tổng hợp tuần") {
		t.Errorf("the digest asked for is not in the transcript:\n%s", out)
	}
	if errOut != "" {
		t.Errorf("standard error of a clean chat:\n%s", errOut)
	}
}
