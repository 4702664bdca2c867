package bot

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// TestClientSendsWholeBodies checks that go-telegram/bot's forms, which
// it streams through a pipe, reach the server with a Content-Length and
// not chunked, and arrive whole: a text field and an uploaded file.
func TestClientSendsWholeBodies(t *testing.T) {
	type seen struct {
		contentLength    int64
		transferEncoding []string
		fields           map[string]string
	}
	got := make(chan seen, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seen{contentLength: r.ContentLength, transferEncoding: r.TransferEncoding, fields: map[string]string{}}
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil {
			t.Errorf("Content-Type %q: %v", r.Header.Get("Content-Type"), err)
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				if err != io.EOF {
					t.Errorf("form: %v", err)
				}
				break
			}
			v, _ := io.ReadAll(part)
			s.fields[part.FormName()] = string(v)
		}
		got <- s
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"result":{"message_id":1,"date":1584324000,"chat":{"id":7,"type":"private"}}}`)
	}))
	defer srv.Close()

	tg, err := tgbot.New("123:abc", tgbot.WithServerURL(srv.URL), tgbot.WithSkipGetMe(), tgbot.WithHTTPClient(0, NewHTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	text := "Huyện Lạc Sơn: còn 3 xã chưa có Trưởng Công an xã chính quy"
	if _, err := tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 7, Text: text}); err != nil {
		t.Fatal(err)
	}
	workbook := bytes.Repeat([]byte("PK\x03\x04 bao-cao-tuan "), 4096)
	if _, err := tg.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: 7,
		Document: &models.InputFileUpload{Filename: "bao-cao-tuan.xlsx", Data: bytes.NewReader(workbook)}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		field, value string
	}{{"text", text}, {"document", string(workbook)}} {
		s := <-got
		if s.contentLength <= 0 || len(s.transferEncoding) > 0 {
			t.Errorf("request with %s: Content-Length %d, Transfer-Encoding %v; want a length and no chunks",
				want.field, s.contentLength, s.transferEncoding)
		}
		if s.fields[want.field] != want.value || s.fields["chat_id"] != "7" {
			t.Errorf("request with %s arrived as %d fields, %s of %d bytes", want.field, len(s.fields), want.field, len(s.fields[want.field]))
		}
	}
}
