package tgtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		plain    string
		entities []Entity
		err      string
	}{
		{"plain", "Huyện Mai Châu", "Huyện Mai Châu", nil, ""},
		{"bold", "<b>Tân Lạc</b> còn 2", "Tân Lạc còn 2", []Entity{{Type: "bold", Offset: 0, Length: 7}}, ""},
		{"entities decoded", "a &lt;b&gt; &amp; &quot;c&quot; &#272;&#x111;", `a <b> & "c" Đđ`, nil, ""},
		{"bare ampersand stays", "A & B &nbsp;", "A & B &nbsp;", nil, ""},
		{"link", `<a href="https://t.me/caxbot?start=x&amp;y">mở</a>`, "mở", []Entity{{Type: "text_link", Offset: 0, Length: 2, URL: "https://t.me/caxbot?start=x&y"}}, ""},
		{"offsets in UTF-16", "😀<i>x</i>", "😀x", []Entity{{Type: "italic", Offset: 2, Length: 1}}, ""},
		{"pre with language", `<pre><code class="language-go">x</code></pre>`, "x", []Entity{{Type: "pre", Offset: 0, Length: 1, Language: "go"}}, ""},
		{"spoiler span", `<span class="tg-spoiler">s</span>`, "s", []Entity{{Type: "spoiler", Offset: 0, Length: 1}}, ""},
		{"expandable quote", `<blockquote expandable>q</blockquote>`, "q", []Entity{{Type: "expandable_blockquote", Offset: 0, Length: 1}}, ""},
		{"upper-case tag", "<B>x</B>", "x", []Entity{{Type: "bold", Offset: 0, Length: 1}}, ""},
		{"span without class", "<span>s</span>", "", nil, `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{"unsupported tag", "x<br>", "", nil, `Unsupported start tag "br" at byte offset 1`},
		{"unclosed", "<b>x", "", nil, `Can't find end tag corresponding to start tag "b"`},
		{"stray end tag", "x</b>", "", nil, "Unexpected end tag at byte offset 1"},
		{"unterminated start tag", "<b", "", nil, "Unclosed start tag at byte offset 0"},
		{"attribute without value", `<a href>x</a>`, "", nil, `Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plain, entities, err := parseHTML(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseHTML: %v", err)
			}
			if plain != tc.plain {
				t.Errorf("plain = %q, want %q", plain, tc.plain)
			}
			got, _ := json.Marshal(entities)
			want, _ := json.Marshal(tc.entities)
			if string(got) != string(want) {
				t.Errorf("entities = %s, want %s", got, want)
			}
		})
	}
}

func TestSpecCoversServedMethods(t *testing.T) {
	sp, err := loadSpec(specJSON)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Version != "Bot API 10.1" {
		t.Errorf("spec version = %q", sp.Version)
	}
	for _, name := range []string{
		"getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "setMyCommands",
		"sendMessage", "editMessageText", "editMessageCaption", "editMessageReplyMarkup",
		"answerCallbackQuery", "sendChatAction", "sendPhoto", "sendDocument", "deleteMessage", "getFile",
	} {
		m, ok := sp.method(name)
		if !ok || m.Name != name {
			t.Errorf("method %s missing from the spec", name)
		}
	}
	for _, typ := range []string{"InlineKeyboardMarkup", "InlineKeyboardButton", "CopyTextButton", "MessageEntity", "BotCommandScope"} {
		if _, ok := sp.types[typ]; !ok {
			t.Errorf("type %s missing from the spec", typ)
		}
	}
}

func TestSendLimiter(t *testing.T) {
	start := time.Date(2020, 3, 31, 8, 0, 0, 0, time.UTC)
	l := newSendLimiter(Limits{}.withDefaults(1), start)
	for i := range 3 {
		if r := l.take(7, start); r != 0 {
			t.Fatalf("send %d: retry_after %d, want none within the burst", i+1, r)
		}
	}
	if r := l.take(7, start); r != 1 {
		t.Errorf("fourth send: retry_after %d, want 1", r)
	}
	if r := l.take(8, start); r != 0 {
		t.Errorf("another chat: retry_after %d, want none", r)
	}
	if r := l.take(7, start.Add(time.Second)); r != 0 {
		t.Errorf("a second later: retry_after %d, want none", r)
	}
}

func pollGen(s *Server) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pollGen
}

type pollResult struct {
	status int
	body   string
}

func poll(t *testing.T, s *Server, offset string) <-chan pollResult {
	t.Helper()
	out := make(chan pollResult, 1)
	go func() {
		resp, err := http.PostForm(s.URL+"/bot"+s.Token+"/getUpdates", url.Values{"timeout": {"30"}, "offset": {offset}})
		if err != nil {
			out <- pollResult{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			out <- pollResult{body: err.Error()}
			return
		}
		out <- pollResult{status: resp.StatusCode, body: string(body)}
	}()
	return out
}

// TestLongPollHolds checks that getUpdates waits for an update instead of
// answering an empty list, and that a second poller ends the first with 409.
func TestLongPollHolds(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	first := poll(t, s, "0")
	if err := s.WaitFor(ctx, func() bool { return pollGen(s) == 1 }); err != nil {
		t.Fatal(err)
	}
	second := poll(t, s, "0")
	r := <-first
	if r.status != http.StatusConflict || !strings.Contains(r.body, "terminated by other getUpdates request") {
		t.Errorf("first poll = %d %s, want 409", r.status, r.body)
	}
	if err := s.WaitFor(ctx, func() bool { return pollGen(s) == 2 }); err != nil {
		t.Fatal(err)
	}
	id := s.SendText(User{ID: 5, FirstName: "Hùng"}, 5, "/start")
	r = <-second
	if r.status != http.StatusOK || !strings.Contains(r.body, `"update_id":1`) || !strings.Contains(r.body, `"type":"bot_command"`) {
		t.Errorf("second poll = %d %s, want the update", r.status, r.body)
	}
	// Polling with offset = id+1 confirms the update.
	third := poll(t, s, "2")
	if err := s.WaitFor(ctx, func() bool { return s.PendingUpdates() == 0 }); err != nil {
		t.Errorf("update %d never confirmed: %v", id, err)
	}
	s.Close()
	if r := <-third; r.status != http.StatusOK || !strings.Contains(r.body, `"result":[]`) {
		t.Errorf("poll at close = %d %s, want an empty list", r.status, r.body)
	}
}

func TestJSONAndURLEncodedBodies(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	s.AddUser(User{ID: 5, FirstName: "Hùng"})
	resp, err := http.Post(s.URL+"/bot"+s.Token+"/sendMessage", "application/json",
		strings.NewReader(`{"chat_id":5,"text":"xin chào","reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("JSON body: status %d", resp.StatusCode)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err = http.PostForm(srv.URL+"/bot"+s.Token+"/sendChatAction", url.Values{"chat_id": {"5"}, "action": {"typing"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("urlencoded body through a mounted handler: status %d", resp.StatusCode)
	}
}
