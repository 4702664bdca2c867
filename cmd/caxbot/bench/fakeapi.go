package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fakeAPI is a Bot API server that costs next to nothing: it answers
// every call with a canned success and remembers, per chat, the buttons of
// the bot's last message, which the load generator presses. bot/tgtest
// checks every call against the Bot API's rules and keeps every message,
// which would make the benchmark measure tgtest rather than the bot.
type fakeAPI struct {
	nextMsg atomic.Int64
	shards  [64]fakeShard
}

type fakeShard struct {
	mu    sync.Mutex
	chats map[int64]fakeChat
}

// fakeChat is the bot's last message with buttons to a chat: the callback
// data, row by row.
type fakeChat struct {
	msgID    int
	keyboard [][]string
}

func newFakeAPI() *fakeAPI {
	a := &fakeAPI{}
	for i := range a.shards {
		a.shards[i].chats = map[int64]fakeChat{}
	}
	return a
}

func (a *fakeAPI) shard(chat int64) *fakeShard {
	return &a.shards[uint64(chat)%uint64(len(a.shards))]
}

// keyboard returns the buttons of the bot's last message to chat and its id.
func (a *fakeAPI) keyboard(chat int64) ([][]string, int) {
	s := a.shard(chat)
	s.mu.Lock()
	defer s.mu.Unlock()
	fc := s.chats[chat]
	return fc.keyboard, fc.msgID
}

func (a *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "sendMessage", "editMessageText":
	default:
		io.WriteString(w, `{"ok":true,"result":true}`)
		return
	}
	fields := formFields(r, "chat_id", "message_id", "reply_markup")
	chat, _ := strconv.ParseInt(fields["chat_id"], 10, 64)
	msgID, _ := strconv.Atoi(fields["message_id"])
	msgID = a.message(method, chat, msgID, []byte(fields["reply_markup"]))
	fmt.Fprintf(w, `{"ok":true,"result":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"}}}`, msgID, time.Now().Unix(), chat)
}

// performAnswer does what Telegram does with a webhook answer that names a
// method: the bot's reply in it becomes the chat's last message.
func (a *fakeAPI) performAnswer(body []byte) {
	var call struct {
		Method      string          `json:"method"`
		ChatID      int64           `json:"chat_id"`
		MessageID   int             `json:"message_id"`
		ReplyMarkup json.RawMessage `json:"reply_markup"`
	}
	if json.Unmarshal(body, &call) != nil {
		return
	}
	switch call.Method {
	case "sendMessage", "editMessageText":
		a.message(call.Method, call.ChatID, call.MessageID, call.ReplyMarkup)
	}
}

// message remembers a sent or edited message's buttons as the chat's
// last, and returns its id.
func (a *fakeAPI) message(method string, chat int64, msgID int, markup []byte) int {
	if method == "sendMessage" {
		msgID = int(a.nextMsg.Add(1))
	}
	var mk struct {
		InlineKeyboard [][]struct {
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if len(markup) > 0 {
		json.Unmarshal(markup, &mk)
	}
	var kb [][]string
	for _, row := range mk.InlineKeyboard {
		var out []string
		for _, b := range row {
			if b.CallbackData != "" {
				out = append(out, b.CallbackData)
			}
		}
		if len(out) > 0 {
			kb = append(kb, out)
		}
	}
	s := a.shard(chat)
	s.mu.Lock()
	s.chats[chat] = fakeChat{msgID: msgID, keyboard: kb}
	s.mu.Unlock()
	return msgID
}

// formFields reads the named fields of a multipart/form-data body, the
// only kind go-telegram/bot sends, and skips the rest.
func formFields(r *http.Request, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return out
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return out // io.EOF, or a body cut short: what was read is all there is
		}
		if slices.Contains(names, part.FormName()) {
			v, _ := io.ReadAll(io.LimitReader(part, 1<<20))
			out[part.FormName()] = string(v)
		}
		part.Close()
	}
}
