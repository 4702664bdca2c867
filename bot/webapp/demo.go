package webapp

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
)

// The demo's door: a desktop browser has no Telegram to sign initData,
// so in `caxbot demo --serve` the server signs it itself, with the demo's
// own token, for one of the demo's people, and opens the app as Telegram
// would (the launch parameters in the address's fragment). A real
// service never mounts it (Options.Demo is empty).

var demoPage = template.Must(template.New("demo").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title><link rel="stylesheet" href="static/app.css"></head>
<body><main class="page"><h1>{{.Title}}</h1><p class="hint">{{.Intro}}</p>
<ul class="list">{{range .People}}<li class="row"><a href="demo/open?as={{.ID}}">{{.Label}}</a>
<a class="hint" href="demo/open?as={{.ID}}&amp;theme=dark">{{$.Dark}}</a></li>{{end}}</ul></main></body></html>
`))

func (s *Server) demoPage(w http.ResponseWriter, r *http.Request) {
	p := s.cat.Printer(s.cat.Match(r.URL.Query().Get("lang")), s.loc)
	type person struct {
		ID    int64
		Label string
	}
	data := struct {
		Lang, Title, Intro, Dark string
		People                   []person
	}{Lang: p.Lang(), Title: p.T("webapp.demo.title"), Intro: p.T("webapp.demo.intro"), Dark: p.T("webapp.demo.dark")}
	for _, u := range s.opt.Demo {
		data.People = append(data.People, person{u.ID, u.Label})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := demoPage.Execute(w, data); err != nil {
		s.log.Warn("demo page", "err", err)
	}
}

// demoThemes are Telegram's light and dark themes as a client sends them
// (tgWebAppThemeParams), for trying both outside Telegram.
var demoThemes = map[string]string{
	"light": `{"bg_color":"#ffffff","text_color":"#000000","hint_color":"#707579","link_color":"#3390ec","button_color":"#3390ec","button_text_color":"#ffffff","secondary_bg_color":"#f4f4f5","section_bg_color":"#ffffff","destructive_text_color":"#e53935"}`,
	"dark":  `{"bg_color":"#212121","text_color":"#ffffff","hint_color":"#aaaaaa","link_color":"#8774e1","button_color":"#8774e1","button_text_color":"#ffffff","secondary_bg_color":"#181818","section_bg_color":"#212121","destructive_text_color":"#ff595a"}`,
}

// demoOpen signs initData for ?as= and opens the app with it.
func (s *Server) demoOpen(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("as"), 10, 64)
	var who *DemoUser
	for i := range s.opt.Demo {
		if s.opt.Demo[i].ID == id {
			who = &s.opt.Demo[i]
		}
	}
	if who == nil {
		http.NotFound(w, r)
		return
	}
	raw, err := Sign(s.token, WebAppUser{ID: who.ID, FirstName: who.Name}, s.now(), url.Values{"chat_type": {"private"}})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	theme := demoThemes["light"]
	if t, ok := demoThemes[r.URL.Query().Get("theme")]; ok {
		theme = t
	}
	launch := url.Values{"tgWebAppData": {raw}, "tgWebAppVersion": {"8.0"}, "tgWebAppPlatform": {"unknown"}, "tgWebAppThemeParams": {theme}}
	// The app is one level up from /demo/open; http.Redirect would resolve
	// the path against the stripped one, so the browser does it.
	w.Header().Set("Location", "../#"+launch.Encode())
	w.WriteHeader(http.StatusFound)
}
