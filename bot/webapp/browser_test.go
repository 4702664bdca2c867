package webapp_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// chromium is Debian's package's browser, which .ci/run installs.
const chromium = "/usr/bin/chromium"

// browser starts headless Chromium with the flags it needs on these
// machines (root, no network beyond loopback, a fresh profile) and a
// phone's viewport, 360 pixels wide.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromium); err != nil {
		if os.Getenv("CAXBOT_REQUIRE_SERVICES") == "1" {
			t.Fatalf("%s is missing and CAXBOT_REQUIRE_SERVICES=1 (CI installs it)", chromium)
		}
		t.Skipf("%s is missing (apt-get install chromium; .ci/run installs it): skipping the browser test", chromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(360, 740),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	return ctx
}

// page drives one tab of the browser through the app.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string // the app's address
	dir  string // where screenshots go
}

func (p *page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		html, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		p.t.Fatalf("%s: %v\npage text:\n%s", what, err, html)
	}
}

func (p *page) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// open opens the app as Telegram does, with the launch parameters in the
// address's fragment.
func (p *page) open(initData, theme string) {
	p.t.Helper()
	launch := url.Values{"tgWebAppData": {initData}, "tgWebAppVersion": {"8.0"}, "tgWebAppPlatform": {"android"}}
	if theme != "" {
		launch.Set("tgWebAppThemeParams", theme)
	}
	// A fresh page each time, as Telegram opens one: a change of the
	// fragment alone would not load the page again.
	p.do("open the app", chromedp.Navigate("about:blank"), chromedp.Navigate(p.base+"#"+launch.Encode()))
}

// shot writes a screenshot of the viewport, and checks that nothing is
// wider than the phone's screen.
func (p *page) shot(name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		p.t.Fatal(err)
	}
	if width > 360 {
		p.t.Errorf("%s: the page is %d pixels wide on a 360-pixel screen", name, width)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.dir, name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// setInput types a value into an input as a person would, firing its
// input event.
func setInput(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Clear(chromedp.CSS(sel)),
		chromedp.SendKeys(chromedp.CSS(sel), value),
	)
}

const darkTheme = `{"bg_color":"#212121","text_color":"#ffffff","hint_color":"#aaaaaa","link_color":"#8774e1","button_color":"#8774e1","button_text_color":"#ffffff","secondary_bg_color":"#181818","section_bg_color":"#212121","destructive_text_color":"#ff595a"}`

// TestBrowser clicks through the app in Chromium as the province, a
// district head and a commune chief would: login by initData, the
// overview, a drill-down to a district and a commune, and a report
// through the form, which the store and the bot then show. Screenshots
// of every page go to CAXBOT_SCREENSHOTS (the README's are made so), or
// to the test's temporary folder.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, storetest.SQLite(t), webapp.Options{})
	dir := os.Getenv("CAXBOT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, base: e.srv.URL + "/app/", dir: dir}
	if _, err := e.db.ImportUnits(t.Context(), []store.UnitRow{
		{Line: 2, Unit: store.ReportingUnit{Code: "SNV", Name: "Sở Nội vụ"}},
		{Line: 3, Unit: store.ReportingUnit{Code: "STC", Name: "Sở Tài chính"}},
	}, "17", "so-nganh.csv", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.RecordUnitSubmission(t.Context(), "unit-plans", "SNV", "user:7001", e.clock.Now()); err != nil {
		t.Fatal(err)
	}

	// A page opened without Telegram says so and shows nothing.
	p.do("open without initData", chromedp.Navigate(p.base))
	if got := p.text("#error"); !strings.Contains(got, "chỉ mở được từ Telegram") {
		t.Errorf("without initData: %q", got)
	}

	// Forged initData: the server refuses it, the page says so.
	forged := strings.Replace(e.initData(districtID), "%22id%22%3A1002", "%22id%22%3A1001", 1)
	p.open(forged, "")
	if got := p.text("#error"); !strings.Contains(got, "không hợp lệ hoặc đã hết hạn") {
		t.Errorf("forged initData: %q", got)
	}
	p.shot("refused")

	// The province: the overview of the whole province.
	p.open(e.initData(provinceID), "")
	p.do("overview", chromedp.WaitVisible(chromedp.CSS(`#units button[data-scope="district:157"]`)))
	if got := p.text(".head h2"); got != "Toàn tỉnh Hòa Bình" {
		t.Errorf("overview title %q", got)
	}
	if got := p.text(`#current .name`); !strings.Contains(got, "Trưởng Công an xã") {
		t.Errorf("the milestone shown first: %q", got)
	}
	p.shot("overview")

	// The departments' milestone: a bar per department, none to open.
	p.do("the departments' milestone", chromedp.Click(chromedp.CSS(`button[data-milestone="unit-plans"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#units div.row.unit`)))
	if got := p.text(`#units`); !strings.Contains(got, "Sở Nội vụ") || !strings.Contains(got, "đã nộp") || !strings.Contains(got, "Sở Tài chính") {
		t.Errorf("the departments' bars: %q", got)
	}
	if got := p.text(`#current`); !strings.Contains(got, "1/2 sở, ngành đã nộp") {
		t.Errorf("the departments' milestone: %q", got)
	}
	p.shot("departments")
	p.open(e.initData(provinceID), "")
	p.do("overview again", chromedp.WaitVisible(chromedp.CSS(`#units button[data-scope="district:157"]`)))

	// Drill down: Lạc Sơn, then Tân Lập.
	p.do("drill down to Lạc Sơn", chromedp.Click(chromedp.CSS(`#units button[data-scope="district:157"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#units button[data-scope="commune:05287"]`)))
	if got := p.text(".head h2"); got != "Huyện Lạc Sơn" {
		t.Errorf("district title %q", got)
	}
	p.shot("district")
	p.do("drill down to Tân Lập", chromedp.Click(chromedp.CSS(`#units button[data-scope="commune:05287"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#posts`)))
	if got := p.text(".head h2"); got != "Xã Tân Lập" {
		t.Errorf("commune title %q", got)
	}
	p.do("back", chromedp.Click(chromedp.CSS(`#back`)), chromedp.WaitVisible(chromedp.CSS(`#units button[data-scope="commune:05287"]`)))

	// The commune's chief reports through the form: a new chief, an
	// officer post added.
	p.open(e.initData(communeID), "")
	p.do("the commune's page", chromedp.WaitVisible(chromedp.CSS(`#posts`)))
	p.shot("commune")
	p.do("the form", chromedp.Click(chromedp.CSS(`#open-report`)), chromedp.WaitVisible(chromedp.CSS(`#report-form`)))
	p.do("fill the chief", setInput(`fieldset[data-post="chief/1"] input[name$="-holder"]`, "Hà Văn Dũng"),
		setInput(`fieldset[data-post="chief/1"] input[name$="-since"]`, "15/03/2020"),
		setInput(`fieldset[data-post="chief/1"] input[name$="-decision_no"]`, "125/QĐ-CAT"),
		setInput(`fieldset[data-post="chief/1"] input[name$="-decision_date"]`, "10/03/2020"),
		chromedp.SetValue(chromedp.CSS(`fieldset[data-post="chief/1"] select[name$="-rank"]`), "dai_uy"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('fieldset[data-post="chief/1"] select[name$="-rank"]').dispatchEvent(new Event('change'))`),
		setInput(`fieldset[data-post="chief/1"] input[name$="-training"]`, "da qua dao tao"),
		setInput(`fieldset[data-post="chief/1"] input[name$="-qualification"]`, "đại học"))
	p.do("add an officer", chromedp.Click(chromedp.CSS(`button[data-add="officer"]`)),
		chromedp.WaitVisible(chromedp.CSS(`fieldset[data-post="officer/3"]`)),
		chromedp.Click(chromedp.CSS(`fieldset[data-post="officer/3"] input[value="semi"] + span`)),
		setInput(`fieldset[data-post="officer/3"] input[name$="-holder"]`, "Lò Thị Xuân"),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`))
	p.shot("report")
	p.do("review", chromedp.Click(chromedp.CSS(`#review`)), chromedp.WaitVisible(chromedp.CSS(`#changes`)))
	confirm := p.text("#changes")
	for _, want := range []string{"Trưởng Công an xã", "Hà Văn Dũng", "từ ngày 15/03/2020", "Công an viên 3", "bán chuyên trách (Lò Thị Xuân)",
		"Quyết định số 125/QĐ-CAT ngày 10/03/2020", "Cấp bậc, đào tạo, trình độ: Đại úy; đã qua đào tạo; trình độ đại học"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, confirm)
		}
	}
	if n := len(history(t, e, tanLap)); n != 4 {
		t.Fatalf("%d reports before the confirmation, want the import's 4", n)
	}
	p.shot("confirm")
	p.do("confirm", chromedp.Click(chromedp.CSS(`#confirm`)), chromedp.WaitVisible(chromedp.CSS(`#saved`)))
	if got := p.text("#saved"); !strings.Contains(got, "ghi nhận 2 thay đổi") {
		t.Errorf("after the confirmation: %q", got)
	}
	if got := p.text("#history"); !strings.Contains(got, "Hà Văn Dũng") || !strings.Contains(got, "Quách Văn Hải (Xã Tân Lập)") {
		t.Errorf("history after the report: %q", got)
	}
	p.shot("saved")

	// In the store: the posts and their reports.
	posts, err := e.db.CommunePosts(t.Context(), tanLap)
	if err != nil {
		t.Fatal(err)
	}
	if posts[0].Holder != "Hà Văn Dũng" || posts[0].Since.Format("02/01/2006") != "15/03/2020" || len(posts) != 5 || posts[4].Holder != "Lò Thị Xuân" {
		t.Errorf("posts after the report: %+v", posts)
	}
	if h := history(t, e, tanLap); len(h) != 6 || h[0].Actor != "user:1003" {
		t.Errorf("reports after the report: %+v", h)
	}
	// And in the bot's answers, asked in the chat.
	if got := askBot(t, e, communeID, "ai là trưởng công an xã mình"); !strings.Contains(got, "Hà Văn Dũng") {
		t.Errorf("the bot answers %q, want the new chief", got)
	}

	// The district head, in Telegram's dark theme.
	p.open(e.initData(districtID), darkTheme)
	p.do("district overview, dark", chromedp.WaitVisible(chromedp.CSS(`#units`)))
	if bg, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`)); bg != "rgb(24, 24, 24)" {
		t.Errorf("dark theme: body background %q", bg)
	}
	p.shot("district-dark")

	// The province's users and invitations.
	p.open(e.initData(provinceID), "")
	p.do("people", chromedp.WaitVisible(chromedp.CSS(`#tabs button[data-view="people"]`)),
		chromedp.Click(chromedp.CSS(`#tabs button[data-view="people"]`)), chromedp.WaitVisible(chromedp.CSS(`#invite-name`)))
	p.do("invite", setInput(`#invite-name`, "Lò Văn Mới"),
		chromedp.SetValue(chromedp.CSS(`#invite-role`), "district"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('invite-role').dispatchEvent(new Event('change'))`),
		chromedp.WaitVisible(chromedp.CSS(`#invite-district`)),
		chromedp.SetValue(chromedp.CSS(`#invite-district`), "157"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('invite-district').dispatchEvent(new Event('change'))`),
		chromedp.Click(chromedp.CSS(`#invite-send`)), chromedp.WaitVisible(chromedp.CSS(`#created`)))
	if got := p.text("#created"); !strings.Contains(got, "https://t.me/caxbot_test?start=") || !strings.Contains(got, "Huyện Lạc Sơn") {
		t.Errorf("invitation: %q", got)
	}
	p.shot("people")

	// A department's officer, as /moi invites one.
	p.do("invite a department's officer", chromedp.WaitVisible(chromedp.CSS(`#invite-name`)), setInput(`#invite-name`, "Trần Thị Hoa"),
		chromedp.SetValue(chromedp.CSS(`#invite-role`), "unit"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('invite-role').dispatchEvent(new Event('change'))`),
		chromedp.WaitVisible(chromedp.CSS(`#invite-unit`)),
		chromedp.SetValue(chromedp.CSS(`#invite-unit`), "STC"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('invite-unit').dispatchEvent(new Event('change'))`),
		chromedp.Click(chromedp.CSS(`#invite-send`)), chromedp.WaitVisible(chromedp.CSS(`#created`)))
	if got := p.text("#created"); !strings.Contains(got, "Sở Tài chính") {
		t.Errorf("a department's invitation: %q", got)
	}
	p.shot("people-unit")
}

func history(t *testing.T, e *env, commune string) []store.Report {
	t.Helper()
	h, err := e.db.History(t.Context(), commune, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// askBot asks the real bot, over a local Bot API server and the same
// store, and returns its answer.
func askBot(t *testing.T, e *env, id int64, text string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	srv := tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_test", Scale: 1000, Now: e.clock.Now})
	defer srv.Close()
	b, err := bot.New(ctx, bot.Deps{DB: e.db, State: state.NewMemory(e.clock.Now), Catalog: e.cat, Loc: e.loc, Now: e.clock.Now,
		Logger: storetest.Logger(t), BotUsername: "caxbot_test"})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := b.NewClient(srv.Token, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx, tg) }()
	user := tgtest.User{ID: id, FirstName: "Hải", LanguageCode: "vi"}
	srv.SendText(user, id, text)
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if err := srv.WaitFor(wctx, func() bool { return len(srv.Messages(id)) >= 1 }); err != nil {
		t.Fatalf("the bot did not answer: %v", err)
	}
	msgs := srv.Messages(id)
	cancel()
	if err := <-done; err != nil && ctx.Err() == nil {
		t.Error(err)
	}
	return msgs[len(msgs)-1].PlainText
}
