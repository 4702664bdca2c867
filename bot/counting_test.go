package bot

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
)

// surfaces is what each of the bot's surfaces says of the chief milestone
// over Huyện Lạc Sơn at one moment.
type surfaces struct {
	progress string // the progress answer's first line
	asked    bool   // Xã Tân Lập among "xã nào chưa có trưởng chính quy"
	review   string // the review's result for the milestone
	overview int    // the Mini App overview's communes done
	digest   string // the digest's line of the milestone
}

// TestEverySurfaceCountsVerified: under a plan that counts verified
// changes, a regular chief reported by Xã Tân Lập and waiting for its
// check counts nowhere (progress answer, a question, the review, the Mini
// App, the digest all stay as before the report), with the verified share
// beside the figures; once the district confirms it, it counts everywhere.
func TestEverySurfaceCountsVerified(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		countVerified(t, e)
		cat, err := locales.Load()
		if err != nil {
			t.Fatal(err)
		}
		app := miniApp(t, e, webapp.Options{})
		const title = "Trưởng Công an xã"
		read := func(step string) (surfaces, string) {
			t.Helper()
			e.clock.advance(time.Minute)
			var s surfaces
			progress := answer(t, e, districtUser, "/tiendo", "Huyện Lạc Sơn: ")
			s.progress = firstLine(progress)
			asked := answer(t, e, districtUser, "xa nao chua co truong chinh quy", "Huyện Lạc Sơn: ")
			s.asked = strings.Contains(asked, "Tân Lập")

			from, to := review.Year(2020, e.loc)
			doc, err := review.Build(e.ctx, e.db, cat, review.Request{Kind: review.SoKet, From: from, To: to,
				Scope: store.Scope{Role: store.RoleDistrict, Code: "157"}, Lang: "vi", Now: e.clock.Now()})
			if err != nil {
				t.Fatal(err)
			}
			var reviewText strings.Builder
			for _, sec := range doc.Sections {
				for _, p := range sec.Paragraphs {
					reviewText.WriteString(p + "\n")
				}
				for _, tb := range sec.Tables {
					for _, r := range tb.Rows {
						if len(r.Cells) > 0 && strings.Contains(r.Cells[0].Text, title) && s.review == "" {
							s.review = r.Cells[len(r.Cells)-1].Text
						}
					}
				}
			}

			rec := callApp(t, e, app, districtUser.ID, http.MethodGet, "overview", nil)
			var ov struct {
				Milestones []struct {
					ID   string `json:"id"`
					Done int    `json:"done"`
				} `json:"milestones"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &ov); err != nil {
				t.Fatalf("%s: overview %d %s: %v", step, rec.Code, rec.Body.String(), err)
			}
			s.overview = -1
			for _, m := range ov.Milestones {
				if m.ID == "chief-q1-2020" {
					s.overview = m.Done
				}
			}

			digest := answer(t, e, districtUser, "/baocaotuan", "Bản tin tổng hợp tuần")
			// The milestone's figures follow its title.
			lines := strings.Split(digest, "\n")
			for i, line := range lines {
				if strings.Contains(line, title) && i+2 < len(lines) && s.digest == "" {
					s.digest = lines[i+2]
				}
			}
			return s, strings.Join([]string{progress, asked, reviewText.String(), digest}, "\n----\n")
		}
		before, _ := read("before")
		q, id := reportChief(t, e, "Bùi Văn An")
		dn := len(e.srv.Messages(districtUser.ID))
		e.press(communeUser, q, "Gửi sau")
		check := checkMessage(t, e, districtUser, dn)
		waiting, texts := read("waiting")
		if waiting != before {
			t.Errorf("report %d waiting for its check counts somewhere:\nbefore  %+v\nwaiting %+v", id, before, waiting)
		}
		// The progress answer, the review and the digest say what waits.
		const share = "Kế hoạch chỉ tính báo cáo đã được xác nhận: tính 8/9 vị trí đã báo cáo đạt yêu cầu (88,9%); 1 vị trí chờ lãnh đạo huyện xác nhận."
		if n := strings.Count(texts, share); n != 3 {
			t.Errorf("the verified share is said %d times, want 3 (progress, review, digest):\n%s", n, texts)
		}
		if strings.Contains(texts, "bán chuyên trách — Bùi Văn An") {
			t.Errorf("the answer names the reported holder at the status counted:\n%s", texts)
		}
		e.press(districtUser, check, "Xác nhận")
		after, _ := read("after")
		if after.progress == before.progress || after.asked || after.review == before.review || after.overview != before.overview+1 ||
			after.digest == before.digest {
			t.Errorf("the confirmed report does not count everywhere:\nbefore %+v\nafter  %+v", before, after)
		}
	})
}

// countVerified makes the env's plan count verified changes only.
func countVerified(t *testing.T, e *env) {
	t.Helper()
	plan := store.SeedPlan(e.loc)
	plan.CountVerified = true
	if err := e.db.SavePlan(e.ctx, plan, "test", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := e.bot.Reload(e.ctx); err != nil {
		t.Fatal(err)
	}
}

// appToken signs the initData of the Mini App's tests.
const appToken = "123456:miniapp"

// miniApp is the Mini App over the env's store and clock.
func miniApp(t *testing.T, e *env, opt webapp.Options) *webapp.Server {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	app, err := webapp.New(webapp.Deps{DB: e.db, Catalog: cat, Loc: e.loc, Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler),
		Token: appToken, Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// callApp calls the app's API as the user, with body as JSON if not nil.
func callApp(t *testing.T, e *env, app *webapp.Server, user int64, method, path string, body any) *httptest.ResponseRecorder {
	t.Helper()
	raw, err := webapp.Sign(appToken, webapp.WebAppUser{ID: user, FirstName: "Cán bộ"}, e.clock.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, "/api/"+path, r)
	req.Header.Set("Authorization", "tma "+raw)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	return rec
}

// answer sends text from the user and waits for the bot's message that
// holds want: a press just before may still be answered in the chat.
func answer(t *testing.T, e *env, from tgtest.User, text, want string) string {
	t.Helper()
	n := len(e.srv.Messages(from.ID))
	e.srv.SendText(from, from.ID, text)
	return e.waitHolding(from.ID, n, want).PlainText
}
