package webapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

const token = "424242:test-token-of-the-app"

var hoaBinh = store.Province{Code: "17", Name: "Hòa Bình"}

// The people of the tests, by Telegram id.
const (
	provinceID  = 1001
	districtID  = 1002 // Lạc Sơn (157)
	otherDistID = 1004 // Đà Bắc (150)
	communeID   = 1003 // Tân Lập (05287), Lạc Sơn
	otherCommID = 1005 // Tân Minh (04855), Đà Bắc
	strangerID  = 2001
)

const (
	tanLap  = "05287"
	tanMinh = "04855"
)

// clock is the tests' time: 16/03/2020 09:00 in Hanoi.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

type backend struct {
	name string
	open func(tb testing.TB) *store.DB
}

var backends = []backend{
	{"sqlite", storetest.SQLite},
	{"postgres", storetest.Postgres},
}

func forEachBackend(t *testing.T, fn func(t *testing.T, be backend)) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) { fn(t, be) })
	}
}

// env is the app over a store of Hòa Bình with fixed posts and the seed
// plan, served on loopback.
type env struct {
	t     *testing.T
	db    *store.DB
	cat   *locales.Catalog
	loc   *time.Location
	clock *clock
	app   *webapp.Server
	srv   *httptest.Server
}

func newEnv(t *testing.T, db *store.DB, opt webapp.Options) *env {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, loc: loc, clock: &clock{t: time.Date(2020, 3, 16, 9, 0, 0, 0, loc)}}
	seed(t, db, loc)
	e.start(opt)
	return e
}

// newEnvOver is another server of the app over e's store: one that keeps
// nothing yet.
func newEnvOver(t *testing.T, e *env) *env {
	t.Helper()
	o := &env{t: t, db: e.db, loc: e.loc, clock: e.clock}
	o.start(webapp.Options{})
	return o
}

// start adds the tests' users (once) and serves the app.
func (e *env) start(opt webapp.Options) {
	t := e.t
	if _, err := e.db.User(context.Background(), provinceID); err == nil {
		e.serve(opt)
		return
	}
	for _, u := range []store.User{
		{TelegramID: provinceID, Name: "Nguyễn Văn Tỉnh", Role: store.RoleProvince, Scope: "17"},
		{TelegramID: districtID, Name: "Bùi Văn Thắng", Role: store.RoleDistrict, Scope: "157"},
		{TelegramID: otherDistID, Name: "Đinh Thị Hòa", Role: store.RoleDistrict, Scope: "150"},
		{TelegramID: communeID, Name: "Quách Văn Hải", Role: store.RoleCommune, Scope: tanLap},
		{TelegramID: otherCommID, Name: "Xa Văn Minh", Role: store.RoleCommune, Scope: tanMinh},
	} {
		if err := e.db.AddUser(context.Background(), u, "test", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	e.serve(opt)
}

func (e *env) serve(opt webapp.Options) {
	t := e.t
	var err error
	if e.cat, err = locales.Load(); err != nil {
		t.Fatal(err)
	}
	e.app, err = webapp.New(webapp.Deps{DB: e.db, Catalog: e.cat, Loc: e.loc, Now: e.clock.Now, Logger: storetest.Logger(t),
		Token: token, BotUsername: "caxbot_test", Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/app/", http.StripPrefix("/app", e.app))
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
}

// seed imports Hòa Bình, one post of each kind per commune by a fixed
// rule, and the seed plan.
func seed(t *testing.T, db *store.DB, loc *time.Location) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, loc)
	storetest.ImportHoaBinh(t, db, hoaBinh, at)
	communes, err := db.Communes(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []store.PostRow
	add := func(c string, k store.PostKind, slot int, st store.Status) {
		p := store.Post{CommuneCode: c, Kind: k, Slot: slot, Status: st}
		if st != store.Vacant {
			p.Holder = fmt.Sprintf("Bùi Văn %s-%s%d", c, k[:1], slot)
		}
		rows = append(rows, store.PostRow{Line: len(rows) + 2, Post: p})
	}
	for i, c := range communes {
		if !c.InPlan() {
			add(c.Code, store.Chief, 1, store.Regular)
			add(c.Code, store.Officer, 1, store.Regular)
			continue
		}
		add(c.Code, store.Chief, 1, []store.Status{store.Regular, store.Semi, store.Vacant}[i%3])
		add(c.Code, store.Deputy, 1, []store.Status{store.Semi, store.Regular}[i%2])
		add(c.Code, store.Officer, 1, store.Regular)
		add(c.Code, store.Officer, 2, []store.Status{store.Semi, store.Vacant, store.Regular}[i%3])
	}
	if _, err := db.ImportPosts(ctx, rows, "fixed.csv", at); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePlan(ctx, store.SeedPlan(loc), "test", at); err != nil {
		t.Fatal(err)
	}
}

// initData signs a user's initData as Telegram would, now.
func (e *env) initData(id int64) string {
	e.t.Helper()
	raw, err := webapp.Sign(token, webapp.WebAppUser{ID: id, FirstName: "Test", LanguageCode: "vi"}, e.clock.Now(), url.Values{"chat_type": {"private"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return raw
}

// call makes an API call with initData raw and decodes the answer into
// out (when not nil); it returns the status.
func (e *env) call(raw, method, path string, body, out any) int {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+"/app/api/"+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if raw != "" {
		req.Header.Set("Authorization", "tma "+raw)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return res.StatusCode
}

// state is what a test checks stays unchanged: every post and report of
// the two communes, the invitations.
func (e *env) state() string {
	e.t.Helper()
	ctx := context.Background()
	var out []any
	for _, c := range []string{tanLap, tanMinh} {
		posts, err := e.db.CommunePosts(ctx, c)
		if err != nil {
			e.t.Fatal(err)
		}
		h, err := e.db.History(ctx, c, 0)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, posts, len(h))
	}
	invs, err := e.db.PendingInvitations(ctx, store.Scope{}, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	out = append(out, len(invs))
	b, err := json.Marshal(out)
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}
