package webapp_test

import (
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/store"
)

// TestHistoryActors: the commune page's history names the command line,
// a file and a user removed since in words, as the bot's /lichsu does,
// never by an actor's id.
func TestHistoryActors(t *testing.T) {
	e := newEnv(t, backends[0].open(t), webapp.Options{})
	at := e.clock.Now().Add(-time.Hour)
	actors := []string{"user:4242", "import:bo-nhiem-dot-2.csv", store.CommandLineActor}
	for i, actor := range actors {
		if _, err := e.db.ApplyChange(t.Context(), store.Change{Ref: store.PostRef{CommuneCode: tanLap, Kind: store.Officer, Slot: 1 + i},
			Status: store.Regular, Holder: "Hà Văn Dũng", Actor: actor, At: at.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	var page struct {
		History []struct{ By string }
	}
	e.call(e.initData(districtID), "GET", "commune?code="+tanLap, nil, &page)
	want := []string{"quản trị hệ thống (dòng lệnh)", "nhập từ tệp bo-nhiem-dot-2.csv", "người dùng Telegram 4242 (không còn trong hệ thống)"}
	if len(page.History) < len(want) {
		t.Fatalf("history %+v", page.History)
	}
	for i, w := range want {
		if page.History[i].By != w {
			t.Errorf("history row %d by %q, want %q", i, page.History[i].By, w)
		}
	}
}
