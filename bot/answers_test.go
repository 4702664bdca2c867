package bot

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// TestAnswerSet asks every question of testdata/answers.tsv through the
// real client and server: every answer must hold every expected fact.
func TestAnswerSet(t *testing.T) {
	f, err := os.Open("testdata/answers.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type row struct {
		user     tgtest.User
		question string
		facts    []string
	}
	users := map[string]tgtest.User{"province": provinceUser, "district": districtUser, "commune": communeUser}
	var rows []row
	folded := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("bad line %q", line)
		}
		u, ok := users[cols[0]]
		if !ok {
			t.Fatalf("unknown user %q", cols[0])
		}
		if cols[1] == strings.ToLower(cols[1]) && isASCII(cols[1]) {
			folded++
		}
		rows = append(rows, row{u, cols[1], strings.Split(cols[2], " | ")})
	}
	if len(rows) < 120 || folded*2 < len(rows) {
		t.Fatalf("the set has %d questions, %d without diacritics: want at least 120, half without", len(rows), folded)
	}

	e := newEnv(t, backends[0], false, Options{FloodLimit: 10000})
	good := 0
	for _, r := range rows {
		got := shown(e.say(r.user, r.question))
		ok := true
		for _, fact := range r.facts {
			if !strings.Contains(got, fact) {
				ok = false
			}
		}
		if ok {
			good++
		} else {
			t.Errorf("wrong: %s asks %q\n  want %q\n  got  %q", r.user.FirstName, r.question, r.facts, got)
		}
		// Ambiguity questions leave a pick open; the next question starts afresh.
		e.huy(r.user)
	}
	share := float64(good) / float64(len(rows))
	t.Logf("answer set: %d/%d answered correctly (%.1f%%)", good, len(rows), 100*share)
	if good < len(rows) {
		t.Errorf("answer set: %d of %d answers lack a fact", len(rows)-good, len(rows))
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// TestUnknownNames checks that a name the roster does not know gets the
// nearest names or "not found", and never an answer about another place:
// /xa and /lichsu take their whole argument as a commune's name.
func TestUnknownNames(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 1000})
	tests := []struct {
		name, question, want, not string
	}{
		{"/xa, tên không có", "/xa Đồi Mây", "Không tìm thấy xã “Đồi Mây”", "Huyện Lạc Sơn:"},
		{"/xa, không dấu", "/xa doi may", "Không tìm thấy xã “doi may”", "Huyện Lạc Sơn:"},
		{"/xa, một mã không có", "/xa 99999", "Không tìm thấy xã “99999”", "Huyện Lạc Sơn:"},
		{"/lichsu, tên không có", "/lichsu Đồi Mây", "Không tìm thấy xã", "nhập từ tệp"},
		{"câu hỏi, tên không có", "xã Đồi Mây còn thiếu gì", "Không tìm thấy xã “Đồi Mây”", "Huyện Lạc Sơn:"},
		{"câu hỏi, tỉnh không có", "tỉnh Sơn La còn bao nhiêu xã chưa có trưởng chính quy", "Không tìm thấy tỉnh “Sơn La”", "Huyện Lạc Sơn:"},
		{"câu hỏi, huyện khác", "xã Tân Lập huyện Kim Bôi còn thiếu gì", "ngoài phạm vi", "Bùi Văn"},
		{"câu hỏi, xã không ở huyện nói", "xã Tân Lập huyện Lạc Sơn còn thiếu gì", "Xã Tân Lập: còn 3 vị trí", "Không tìm thấy"},
		{"/xa, gõ sai", "/xa Tan Lapp", "[xã Tân Lập (huyện Lạc Sơn)]", "Bùi Văn"},
		{"/xa, đúng tên", "/xa Tân Lập", "Bùi Văn 05287-C1", "Không tìm thấy"},
		{"/xa không tên: xã của huyện", "/xa", "Huyện Lạc Sơn:", "Không tìm thấy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shown(e.say(districtUser, tt.question))
			if !strings.Contains(got, tt.want) || strings.Contains(got, tt.not) {
				t.Errorf("%q answered %q, want %q and not %q", tt.question, got, tt.want, tt.not)
			}
			e.huy(districtUser)
		})
	}
}

// TestLongVacancyLists checks list answers over more communes than a
// message shows: the header counts them all, as the store does, and the
// lines shown plus "and N more" add up to it.
func TestLongVacancyLists(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	province := store.Scope{Role: store.RoleProvince, Code: "17"}
	tests := []struct {
		question string
		statuses []store.Status
		header   string
	}{
		{"/thieu", []store.Status{store.Semi, store.Vacant}, "Toàn tỉnh: còn %d xã chưa đủ Công an chính quy:"},
		{"/thieu chinh quy", []store.Status{store.Semi, store.Vacant}, "Toàn tỉnh: còn %d xã chưa đủ Công an chính quy:"},
		{"/thieu ban chuyen trach", []store.Status{store.Semi}, "Toàn tỉnh: còn %d xã có Công an bán chuyên trách:"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			res, err := e.db.Ask(e.ctx, store.Question{Measure: store.MeasureCount, Unit: store.UnitCommunes, Statuses: tt.statuses,
				Places: []store.Scope{province}})
			if err != nil {
				t.Fatal(err)
			}
			communes := res[0].Total.CommunesHit
			got := e.say(provinceUser, tt.question).PlainText
			lines := strings.Split(got, "\n")
			if header := fmt.Sprintf(tt.header, communes); lines[0] != header {
				t.Fatalf("header %q, want %q", lines[0], header)
			}
			shown := 0
			for _, l := range lines[1:] {
				if strings.HasPrefix(l, "•") {
					shown++
				}
			}
			more := fmt.Sprintf("… và %d xã khác", communes-shown)
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, more) {
				t.Errorf("last line %q, want %q: %d communes shown of %d", last, more, shown, communes)
			}
			if n := len([]rune(got)); n > 4096 {
				t.Errorf("answer of %d characters", n)
			}
			t.Logf("%d communes, %d shown", communes, shown)
		})
	}
}

// TestUnreportedPosts checks a commune with no post on record: vacancy
// answers count it, as progress does, and show its posts as "chưa có số
// liệu" rather than leaving it out.
func TestUnreportedPosts(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{RosterCheck: 20 * time.Millisecond, FloodLimit: 1000})
	u := districtUser
	number := func(text, pattern string) int {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("%q does not match %q", text, pattern)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	const count = "huyen lac son con bao nhieu xa chua co truong cong an chinh quy"
	before := number(e.say(u, count).PlainText, `còn (\d+) xã`)

	e.addDoiMay()
	got := e.askUntil(u, "/thieu xã Đồi Mây", func(got string) bool { return !strings.Contains(got, "Không tìm thấy") })
	for _, want := range []string{"Xã Đồi Mây: còn 3 vị trí", "• Trưởng Công an xã: chưa có số liệu", "• Phó Trưởng Công an xã: chưa có số liệu", "• Công an viên: chưa có số liệu"} {
		if !strings.Contains(got, want) {
			t.Errorf("vacancies of the new commune: %q, want %q", got, want)
		}
	}
	if got := e.say(u, "/thieu truong").PlainText; !strings.Contains(got, "Xã Đồi Mây: Trưởng Công an xã chưa có số liệu") {
		t.Errorf("the district's chiefs: %q, want the new commune's", got)
	}
	after := number(e.say(u, count).PlainText, `còn (\d+) xã`)
	if after != before+1 {
		t.Errorf("communes without a regular chief: %d before the import, %d after, want one more", before, after)
	}
	progress := e.say(u, "/tiendo").PlainText
	done, total := number(progress, `(\d+)/\d+ xã`), number(progress, `\d+/(\d+) xã`)
	if total-done != after {
		t.Errorf("progress %d/%d leaves %d communes behind, vacancies count %d", done, total, total-done, after)
	}
}
