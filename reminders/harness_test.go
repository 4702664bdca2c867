package reminders_test

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// backend is a store and a shared state: SQLite with the in-process state,
// or Postgres with Redis.
type backend struct {
	name string
	open func(tb testing.TB) (*store.DB, state.State)
}

var backends = []backend{
	{"sqlite+memory", func(tb testing.TB) (*store.DB, state.State) { return storetest.SQLite(tb), state.NewMemory(time.Now) }},
	{"postgres+redis", func(tb testing.TB) (*store.DB, state.State) { return storetest.Postgres(tb), storetest.Redis(tb) }},
}

// clock is the simulated time of a walk, shared by the goroutines of a
// replica.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

var hanoi = func() *time.Location {
	loc, err := time.LoadLocation(reminders.Zone)
	if err != nil {
		panic(err)
	}
	return loc
}()

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, hanoi) }

// roster is the known roster of the walk: Hòa Bình's communes, the seed
// plan, a posts roster generated from the commune codes, and users.
type roster struct {
	districts    []store.District
	communes     map[string]store.Commune // in plan (xã, thị trấn)
	pilot        map[string]bool
	chiefDay     map[string]time.Time // when a non-pilot commune gets its regular chief; zero: never
	submitDay    map[string]time.Time // when a district files its plan; zero: never
	heads        map[string]int64     // district code -> head's chat
	communeUser  map[string]int64     // commune code -> user's chat
	province     int64
	ackBy        int64 // a head who presses "Đã nhận" on chief-q1-2020
	ackAt        time.Time
	fastDistrict string // every commune gets its chief by 10/03
}

const provinceChat = 900001

func setupRoster(t testing.TB, db *store.DB, srv *tgtest.Server) *roster {
	t.Helper()
	ctx := context.Background()
	start := day(2020, 1, 1)
	storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, start)
	if err := db.SavePlan(ctx, store.SeedPlan(hanoi), "test", start); err != nil {
		t.Fatal(err)
	}
	r := &roster{
		communes: map[string]store.Commune{}, pilot: map[string]bool{}, chiefDay: map[string]time.Time{},
		submitDay: map[string]time.Time{}, heads: map[string]int64{}, communeUser: map[string]int64{}, province: provinceChat,
	}
	var err error
	r.districts, err = db.Districts(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.Communes(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	var inPlan []string
	for _, c := range all {
		if c.InPlan() {
			r.communes[c.Code] = c
			inPlan = append(inPlan, c.Code)
		}
	}
	slices.Sort(inPlan)
	// Every fifth commune had regular police in 2019: 28 of them.
	var pilot []string
	for i, code := range inPlan {
		if i%5 == 0 && len(pilot) < 28 {
			pilot = append(pilot, code)
			r.pilot[code] = true
		}
	}
	if err := db.SetGroup(ctx, store.SeedPilotGroup, pilot, "test", start); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for _, code := range inPlan {
		if !r.pilot[code] {
			rest = append(rest, code)
		}
	}
	r.fastDistrict = r.communes[rest[0]].DistrictCode
	for j, code := range rest {
		switch {
		case r.communes[code].DistrictCode == r.fastDistrict:
			r.chiefDay[code] = day(2020, 2, 20).AddDate(0, 0, j%19) // all by 10/03
		case j%3 == 0:
			r.chiefDay[code] = day(2020, 2, 10).AddDate(0, 0, j%40)
		case j%3 == 1:
			r.chiefDay[code] = day(2020, 4, 2).AddDate(0, 0, j%20)
		}
	}

	var posts []store.PostRow
	for i, c := range all {
		chief := store.Semi
		if !c.InPlan() || r.pilot[c.Code] {
			chief = store.Regular
		}
		for _, p := range []store.Post{
			{CommuneCode: c.Code, Kind: store.Chief, Slot: 1, Status: chief, Holder: "Trưởng " + c.Code},
			{CommuneCode: c.Code, Kind: store.Deputy, Slot: 1, Status: store.Semi, Holder: "Phó " + c.Code},
			{CommuneCode: c.Code, Kind: store.Officer, Slot: 1, Status: store.Semi, Holder: "CAV " + c.Code},
		} {
			posts = append(posts, store.PostRow{Line: i + 2, Post: p})
		}
	}
	if _, err := db.ImportPosts(ctx, posts, "posts.csv", start); err != nil {
		t.Fatal(err)
	}

	addUser := func(u store.User) {
		t.Helper()
		if err := db.AddUser(ctx, u, "test", start); err != nil {
			t.Fatal(err)
		}
		srv.AddUser(tgtest.User{ID: u.TelegramID, FirstName: u.Name, LanguageCode: "vi"})
	}
	addUser(store.User{TelegramID: provinceChat, Name: "Phòng Tham mưu", Role: store.RoleProvince, Scope: "17", Lang: "vi"})
	for i, d := range r.districts {
		id := int64(800000 + i)
		r.heads[d.Code] = id
		addUser(store.User{TelegramID: id, Name: "Lãnh đạo " + d.Name, Role: store.RoleDistrict, Scope: d.Code, Lang: "vi"})
		switch {
		case i == len(r.districts)-1:
			// never files
		case i%2 == 0:
			r.submitDay[d.Code] = day(2020, 2, 5)
		default:
			r.submitDay[d.Code] = day(2020, 2, 12)
		}
	}
	r.ackBy = r.heads[r.districts[1].Code]
	r.ackAt = day(2020, 4, 1).Add(9 * time.Hour)
	for i, code := range rest {
		id := int64(700000 + i)
		r.communeUser[code] = id
		addUser(store.User{TelegramID: id, Name: "Cán bộ " + code, Role: store.RoleCommune, Scope: code, Lang: "vi"})
	}
	return r
}

// changesOn applies, at noon, the reports and filings of day d.
func (r *roster) changesOn(ctx context.Context, t testing.TB, db *store.DB, d time.Time) {
	t.Helper()
	noon := d.Add(12 * time.Hour)
	for code, when := range r.chiefDay {
		if when.Equal(d) {
			if _, err := db.ApplyChange(ctx, store.Change{
				Ref: store.PostRef{CommuneCode: code, Kind: store.Chief, Slot: 1}, Status: store.Regular,
				Holder: "Đại úy " + code, Actor: "user:" + strconv.FormatInt(r.communeUser[code], 10), Source: "test", At: noon,
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for code, when := range r.submitDay {
		if when.Equal(d) {
			if err := db.RecordSubmission(ctx, "district-plans", code, "test", noon); err != nil {
				t.Fatal(err)
			}
		}
	}
	if dateEq(r.ackAt, d) {
		if err := db.RecordAck(ctx, r.ackBy, "chief-q1-2020", r.ackAt); err != nil {
			t.Fatal(err)
		}
	}
}

func dateEq(a, b time.Time) bool {
	a, b = a.In(hanoi), b.In(hanoi)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// behindOn reports whether a non-pilot commune still lacks its regular
// chief at 07:30 of day d.
func (r *roster) behindOn(code string, d time.Time) bool {
	when := r.chiefDay[code]
	return when.IsZero() || !when.Before(d)
}

func (r *roster) submittedBy(district string, d time.Time) bool {
	when := r.submitDay[district]
	return !when.IsZero() && when.Before(d)
}

// newClient returns a go-telegram/bot client of srv with enough idle
// connections per host for concurrent senders.
func newClient(tb testing.TB, srv *tgtest.Server) *tgbot.Bot {
	tb.Helper()
	c, err := tgbot.New(srv.Token, tgbot.WithServerURL(srv.URL), tgbot.WithSkipGetMe(), tgbot.WithHTTPClient(time.Minute, bot.NewHTTPClient()))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// drainer is a Drainer of replica owner at the scaled limits of a tgtest
// server with Scale 100, a little under them so that no 429 comes back.
func drainer(db *store.DB, limiter reminders.Limiter, sender reminders.Sender, owner string, now func() time.Time, seed uint64) *reminders.Drainer {
	return &reminders.Drainer{
		Outbox: db, Sender: sender, Limiter: limiter, Now: now,
		Sleep: reminders.SleepContext, Rand: mrand.New(mrand.NewPCG(seed, seed)),
		Owner: owner, Batch: 20,
		Global: reminders.Rate{PerSecond: 2900, Burst: 50},
		Chat:   reminders.Rate{PerSecond: 95, Burst: 5},
		Group:  reminders.Rate{PerSecond: 0.3, Burst: 1},
	}
}

// sent is one message tgtest accepted, with the simulated day it went out.
type sent struct {
	day    string
	chat   int64
	method string
	text   string
	data   string // callback data of its buttons
}

func (s sent) String() string {
	return fmt.Sprintf("%s %d %s %q", s.day, s.chat, s.method, firstLine(s.text))
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// collect returns the sends tgtest accepted from call index from on,
// dated d, and the new index.
func collect(srv *tgtest.Server, from int, d time.Time) ([]sent, int) {
	calls := srv.Calls()
	var out []sent
	for _, c := range calls[from:] {
		if c.StatusCode != 200 || !strings.HasPrefix(c.Method, "send") {
			continue
		}
		text := c.Params["text"]
		if text == "" {
			text = c.Params["caption"]
		}
		chat, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64)
		s := sent{day: d.Format("2006-01-02"), chat: chat, method: c.Method, text: text}
		if rm := c.Params["reply_markup"]; rm != "" {
			s.data = rm
		}
		out = append(out, s)
	}
	return out, len(calls)
}

// newScheduler is a Scheduler over db with the catalogs and the default
// calendar, its leases taken in leases.
func newScheduler(t testing.TB, db *store.DB, leases reminders.Leaser) *reminders.Scheduler {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := reminders.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	return &reminders.Scheduler{DB: db, Leases: leases, Catalog: cat, Calendar: cal}
}
