package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// TestHistoryNamesEveryActor: /lichsu names the command line and a file
// in words, in Vietnamese and in English, never by an actor's id.
func TestHistoryNamesEveryActor(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 1000})
	at := e.clock.Now().Add(-time.Hour)
	for i, actor := range []string{store.CommandLineActor, "import:bo-nhiem-dot-2.csv"} {
		if _, err := e.db.ApplyChange(e.ctx, store.Change{Ref: store.PostRef{CommuneCode: "05287", Kind: store.Officer, Slot: 1 + i},
			Status: store.Regular, Holder: "Hà Văn Dũng", Actor: actor, At: at.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"vi", []string{"quản trị hệ thống (dòng lệnh) cập nhật.", "nhập từ tệp bo-nhiem-dot-2.csv."}},
		{"en", []string{"updated by the system administrator (command line).", "imported from the file bo-nhiem-dot-2.csv."}},
	} {
		if tt.lang == "en" {
			e.press(districtUser, e.say(districtUser, "/ngonngu"), "English")
		}
		got := e.say(districtUser, "/lichsu Tân Lập").PlainText
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s history lacks %q:\n%s", tt.lang, w, got)
			}
		}
		if strings.Contains(got, "cli") || strings.Contains(got, "import:") {
			t.Errorf("%s history shows an actor's id:\n%s", tt.lang, got)
		}
	}
}
