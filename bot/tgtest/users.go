package tgtest

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"mime"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// User is a Telegram user a test acts as.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string // e.g. "vi" or "en"
}

func (u User) toJSON() userJSON {
	return userJSON{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username, LanguageCode: u.LanguageCode}
}

// AddUser makes u's private chat with the bot exist without sending an
// update, as if u had started the bot long ago. The bot can only send to
// chats that exist; others answer 400 "chat not found".
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(u, u.ID)
	s.notifyLocked()
}

// AddGroup makes a group chat (chatID < 0) the bot is a member of.
func (s *Server) AddGroup(chatID int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(User{}, chatID)
	c.json.Title = title
	s.notifyLocked()
}

// chatLocked returns the chat, creating it: a private chat with from when
// chatID > 0, a group otherwise.
func (s *Server) chatLocked(from User, chatID int64) *chat {
	if c, ok := s.chats[chatID]; ok {
		return c
	}
	c := &chat{nextMessageID: 1, byID: map[int64]*message{}}
	if chatID > 0 {
		c.json = chatJSON{ID: chatID, Type: "private", FirstName: from.FirstName, LastName: from.LastName, Username: from.Username}
		c.user = from.toJSON()
	} else {
		c.json = chatJSON{ID: chatID, Type: "group", Title: "Group " + strconv.FormatInt(-chatID, 10)}
	}
	s.chats[chatID] = c
	return c
}

// SendText delivers a text message from a user to the bot and returns its
// update_id. chatID is from.ID for a private chat or a negative group id.
// A leading "/command" gets a bot_command entity, which go-telegram/bot's
// MatchTypeCommand needs. Writing to the bot undoes Block, as in Telegram.
func (s *Server) SendText(from User, chatID int64, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessageLocked(from, chatID)
	m.Text, m.PlainText = text, text
	if strings.HasPrefix(text, "/") {
		end := strings.IndexFunc(text, unicode.IsSpace)
		if end < 0 {
			end = len(text)
		}
		m.Entities = []Entity{{Type: "bot_command", Offset: 0, Length: utf16Count(text[:end])}}
	}
	return s.enqueueLocked("message", m.toJSON(s.chats[chatID]))
}

// SendDocument delivers a file from a user to the bot (a forwarded
// spreadsheet, say) and returns its update_id. The bot can fetch it with
// getFile and the download link.
func (s *Server) SendDocument(from User, chatID int64, name string, content []byte, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessageLocked(from, chatID)
	// Telegram gives a document the MIME type of its name.
	mt := mime.TypeByExtension(path.Ext(name))
	if mt == "" {
		mt = "application/octet-stream"
	}
	f := &File{Name: name, MIMEType: mt, Size: len(content), Content: content, path: "documents"}
	s.keepFileLocked(f)
	m.Document = f
	m.Caption, m.PlainCaption = caption, caption
	return s.enqueueLocked("message", m.toJSON(s.chats[chatID]))
}

// thumbSide is the longer side of a photo's smallest size, as Telegram
// makes it ("s" in its size names).
const thumbSide = 90

// SendPhoto delivers a photo from a user to the bot (a phone's picture of
// a paper, say) and returns its update_id. content must be an image, as
// Telegram only takes pictures as photos; the bot can fetch it with
// getFile and the download link. Telegram offers a photo in several
// sizes, smallest first, each its own file: this server offers the one
// sent and, for a picture larger than 90 pixels, a JPEG thumbnail of it.
func (s *Server) SendPhoto(from User, chatID int64, content []byte, caption string) (int64, error) {
	img, _, err := image.Decode(bytes.NewReader(content))
	if err != nil {
		return 0, fmt.Errorf("tgtest: send photo: not an image: %w", err)
	}
	b := img.Bounds()
	var thumb *File
	if b.Dx() > thumbSide || b.Dy() > thumbSide {
		small := thumbnail(img)
		sb := small.Bounds()
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, small, nil); err != nil {
			return 0, fmt.Errorf("tgtest: send photo: thumbnail: %w", err)
		}
		thumb = &File{Name: "photo.jpg", MIMEType: "image/jpeg", Size: buf.Len(), Content: buf.Bytes(), Width: sb.Dx(), Height: sb.Dy(), path: "photos"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessageLocked(from, chatID)
	f := &File{Name: "photo.jpg", MIMEType: "image/jpeg", Size: len(content), Content: content, Width: b.Dx(), Height: b.Dy(), path: "photos"}
	s.keepFileLocked(thumb)
	s.keepFileLocked(f)
	m.Photo, m.thumb = f, thumb
	m.Caption, m.PlainCaption = caption, caption
	return s.enqueueLocked("message", m.toJSON(s.chats[chatID])), nil
}

// thumbnail scales img down to fit thumbSide, by nearest neighbour.
func thumbnail(img image.Image) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	scale := float64(thumbSide) / float64(max(w, h))
	tw, th := max(1, int(float64(w)*scale)), max(1, int(float64(h)*scale))
	out := image.NewRGBA(image.Rect(0, 0, tw, th))
	for y := range th {
		for x := range tw {
			out.Set(x, y, img.At(b.Min.X+x*w/tw, b.Min.Y+y*h/th))
		}
	}
	return out
}

func (s *Server) userMessageLocked(from User, chatID int64) *message {
	c := s.chatLocked(from, chatID)
	if chatID > 0 {
		delete(s.blocked, chatID)
	}
	m := &message{from: from.toJSON()}
	m.Date = s.now()
	c.addLocked(m)
	return m
}

// PressButton presses the inline button with callback_data data under msg,
// as from, and returns the update_id of the callback_query. It fails when
// the message no longer exists or has no such button now, which is what a
// user would see.
func (s *Server) PressButton(from User, msg Message, data string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[msg.ChatID]
	if !ok {
		return 0, fmt.Errorf("tgtest: press button: no chat %d", msg.ChatID)
	}
	m, ok := c.byID[msg.ID]
	if !ok || m.deleted || !m.fromBot {
		return 0, fmt.Errorf("tgtest: press button: no bot message %d in chat %d", msg.ID, msg.ChatID)
	}
	found := false
	for _, row := range m.Keyboard {
		for _, b := range row {
			found = found || b.CallbackData == data
		}
	}
	if !found {
		return 0, fmt.Errorf("tgtest: press button: message %d in chat %d has no button with callback_data %q", msg.ID, msg.ChatID, data)
	}
	queryID := strconv.FormatInt(s.botUser.ID, 10) + "-" + strconv.FormatInt(s.nextUpdateID, 10)
	updateID := s.enqueueLocked("callback_query", map[string]any{
		"id":            queryID,
		"from":          from.toJSON(),
		"message":       m.toJSON(c),
		"chat_instance": strconv.FormatInt(c.json.ID, 10),
		"data":          data,
	})
	cb := &callbackState{}
	s.callbacks[queryID] = cb
	s.callbackByUpd[updateID] = cb
	return updateID, nil
}
