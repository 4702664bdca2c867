package reminders_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// nationalRoster is the whole country's list of communes, kept outside
// the repository; nationalRows stands in for it when it is not at hand.
const nationalRoster = "../../shared/data/vietnam_communes_2020.csv"

// nationalRows reads the national roster, or makes one of its shape (63
// provinces, 703 districts, 10,643 communes) with long names, the worst
// case for a message's length.
func nationalRows(tb testing.TB) []store.CommuneRow {
	tb.Helper()
	if f, err := os.Open(nationalRoster); err == nil {
		defer f.Close()
		rows, err := store.ParseCommunes(f)
		if err != nil {
			tb.Fatal(err)
		}
		return rows
	}
	var rows []store.CommuneRow
	for i := range 10643 {
		d := i * 703 / 10643
		typ := store.Xa
		if i%12 == 0 {
			typ = store.ThiTran
		}
		rows = append(rows, store.CommuneRow{
			ProvinceCode: fmt.Sprintf("%02d", d*63/703+1), ProvinceName: fmt.Sprintf("Tỉnh Thừa Thiên Đồng Nghĩa %d", d*63/703+1),
			DistrictCode: fmt.Sprintf("%03d", d+1), DistrictName: fmt.Sprintf("Huyện Đồng Xuân Thượng Nghĩa %d", d+1),
			Code: fmt.Sprintf("%05d", i+1), Name: fmt.Sprintf("Nghĩa Hưng Thượng Đồng %d", i+1), Type: typ,
		})
	}
	return rows
}

// TestNationalDigestFitsTwoMessages builds the weekly digest of the whole
// country on 01/07/2024, when every milestone of the seed plan has started
// and the Q1/2020 one is escalated to the province, with six posts per
// commune of mixed statuses: its text fits Telegram's limit in at most two
// messages, and so does that of the largest province; their charts and
// workbooks are made.
func TestNationalDigestFitsTwoMessages(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc := db.Location()
	rows := nationalRows(t)
	at := time.Date(2024, 6, 1, 9, 0, 0, 0, loc)
	if _, err := db.ImportCommunes(ctx, rows, store.Province{}, "vietnam.csv", at); err != nil {
		t.Fatal(err)
	}
	statuses := []store.Status{store.Regular, store.Semi, store.Vacant, store.Regular}
	var posts []store.PostRow
	for i, c := range rows {
		for j, s := range []struct {
			kind store.PostKind
			slot int
		}{{store.Chief, 1}, {store.Deputy, 1}, {store.Officer, 1}, {store.Officer, 2}, {store.Officer, 3}, {store.Officer, 4}} {
			posts = append(posts, store.PostRow{Line: len(posts) + 2, Post: store.Post{CommuneCode: c.Code, Kind: s.kind, Slot: s.slot, Status: statuses[(i+j)%4]}})
		}
	}
	if _, err := db.ImportPosts(ctx, posts, "posts.csv", at); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePlan(ctx, store.SeedPlan(loc), "test", at); err != nil {
		t.Fatal(err)
	}
	perProvince := map[string]int{}
	largest := ""
	for _, r := range rows {
		perProvince[r.ProvinceCode]++
		if perProvince[r.ProvinceCode] > perProvince[largest] {
			largest = r.ProvinceCode
		}
	}
	now := time.Date(2024, 7, 1, 7, 30, 0, 0, loc)
	for _, scope := range []store.Scope{{}, {Role: store.RoleProvince, Code: largest}} {
		d, err := reminders.BuildDigest(ctx, db, cat, "vi", scope, now)
		if err != nil {
			t.Fatal(err)
		}
		text := reminders.DigestText(cat.Printer("vi", loc), d)
		parts := reminders.SplitText(text, reminders.MaxTextLen)
		if len(parts) > 2 {
			t.Errorf("scope %+v: the digest goes as %d messages, want at most 2:\n%s", scope, len(parts), text)
		}
		for _, want := range []string{"Đề nghị đồng chí chỉ đạo, đôn đốc", "Quá hạn: ", "Chưa nộp ("} {
			if !strings.Contains(text, want) {
				t.Errorf("scope %+v: the digest lacks %q:\n%s", scope, want, text)
			}
		}
		t.Logf("scope %+v: %d characters in %d message(s)", scope, len([]rune(text)), len(parts))
		// The chart and the workbook of a country's lists are made too.
		if _, err := reminders.DigestMessages(new(digest.Renderer), cat.Printer("vi", loc), d); err != nil {
			t.Errorf("scope %+v: %v", scope, err)
		}
		// CAXBOT_CHART_SAMPLE=/tmp/caxbot-chart-sample.png keeps the
		// country's charts for a person to look at: the milestones' own
		// and the district plans' timeline, cut to the districts behind.
		if sample := os.Getenv("CAXBOT_CHART_SAMPLE"); sample != "" && scope.All() {
			for i, m := range d.Milestones {
				var buf bytes.Buffer
				if err := digest.Chart(&buf, d, i); err != nil {
					t.Fatal(err)
				}
				name := strings.TrimSuffix(sample, ".png") + "-national-" + m.Progress.Milestone.ID + ".png"
				if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
