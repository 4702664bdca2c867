package tgtest

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/gif"  // Telegram accepts GIF photos.
	_ "image/jpeg" // Telegram accepts JPEG photos.
	_ "image/png"  // Telegram accepts PNG photos.
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Telegram's documented size limits.
const (
	maxTextLength         = 4096
	maxCaptionLength      = 1024
	maxCallbackDataBytes  = 64
	maxCallbackAnswerText = 200
	// maxDownloadSize is the largest file getFile lets a bot download.
	maxDownloadSize = 20 << 20
)

// Message is a message in a chat as it stands now (edits applied).
type Message struct {
	ID     int64
	ChatID int64
	Date   time.Time
	// Text is the text as the bot sent it, with markup when ParseMode is set.
	Text      string
	ParseMode string
	// PlainText is what the user reads: Text after entity parsing.
	PlainText string
	Entities  []Entity
	// Caption and PlainCaption are the same for photos and documents.
	Caption      string
	PlainCaption string
	// Keyboard is the inline keyboard under the message.
	Keyboard [][]Button
	// ReplyKeyboard is the custom keyboard the message brought up, by rows of button texts.
	ReplyKeyboard [][]string
	Photo         *File
	Document      *File
	Edits         int
}

// Button is an inline keyboard button.
type Button struct {
	Text         string
	CallbackData string
	URL          string
	WebAppURL    string // a web_app button's Mini App
}

// File is a file the bot sent (or a user sent with SendDocument).
type File struct {
	ID       string
	Name     string
	MIMEType string
	Size     int
	Content  []byte
	// URL is set instead of Content when the bot sent a file by URL.
	URL           string
	Width, Height int // photos only
	path          string
}

type userJSON struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

type chatJSON struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

type chat struct {
	json          chatJSON
	user          userJSON // the other party of a private chat
	nextMessageID int64
	byID          map[int64]*message
	order         []*message
}

type message struct {
	Message
	thumb    *File // a user's photo's smaller size, when it has one
	fromBot  bool
	from     userJSON
	editDate int64
	markup   json.RawMessage // canonical inline keyboard, nil without one
	deleted  bool
}

type messageJSON struct {
	MessageID       int64            `json:"message_id"`
	From            userJSON         `json:"from"`
	Chat            chatJSON         `json:"chat"`
	Date            int64            `json:"date"`
	EditDate        int64            `json:"edit_date,omitempty"`
	Text            string           `json:"text,omitempty"`
	Entities        []Entity         `json:"entities,omitempty"`
	Caption         string           `json:"caption,omitempty"`
	CaptionEntities []Entity         `json:"caption_entities,omitempty"`
	Photo           []map[string]any `json:"photo,omitempty"`
	Document        map[string]any   `json:"document,omitempty"`
	ReplyMarkup     json.RawMessage  `json:"reply_markup,omitempty"`
}

func (m *message) toJSON(c *chat) messageJSON {
	j := messageJSON{
		MessageID: m.ID, From: m.from, Chat: c.json, Date: m.Date.Unix(), EditDate: m.editDate,
		Text: m.PlainText, Entities: m.Entities, Caption: m.PlainCaption, ReplyMarkup: m.markup,
	}
	if m.Photo != nil || m.Document != nil {
		j.Entities, j.CaptionEntities = nil, m.Entities
	}
	if m.Photo != nil {
		// Telegram offers a photo in its sizes, smallest first.
		for _, f := range []*File{m.thumb, m.Photo} {
			if f != nil {
				j.Photo = append(j.Photo, map[string]any{
					"file_id": f.ID, "file_unique_id": "u" + f.ID,
					"width": f.Width, "height": f.Height, "file_size": f.Size,
				})
			}
		}
	}
	if m.Document != nil {
		j.Document = map[string]any{
			"file_id": m.Document.ID, "file_unique_id": "u" + m.Document.ID,
			"file_name": m.Document.Name, "mime_type": m.Document.MIMEType, "file_size": m.Document.Size,
		}
	}
	return j
}

func (m *message) view() Message {
	v := m.Message
	v.Entities = slices.Clone(v.Entities)
	v.Keyboard = cloneRows(v.Keyboard)
	v.ReplyKeyboard = cloneRows(v.ReplyKeyboard)
	return v
}

func cloneRows[T any](rows [][]T) [][]T {
	if rows == nil {
		return nil
	}
	out := make([][]T, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}

func (c *chat) addLocked(m *message) {
	m.ID = c.nextMessageID
	c.nextMessageID++
	m.ChatID = c.json.ID
	c.byID[m.ID] = m
	c.order = append(c.order, m)
}

// Messages returns the bot's messages in chatID as they stand now: edits
// applied, deleted ones left out, oldest first.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Message
	for _, m := range c.order {
		if m.fromBot && !m.deleted {
			out = append(out, m.view())
		}
	}
	return out
}

// targetChatLocked resolves chat_id the way Telegram does for a bot: only
// chats that have talked to the bot exist, and a user who blocked the bot
// answers 403.
func (s *Server) targetChatLocked(raw string) (*chat, *apiError) {
	if raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	c, ok := s.chats[id]
	if !ok {
		return nil, badRequest("chat not found")
	}
	if c.json.Type == "private" && s.blocked[id] {
		return nil, &apiError{code: http.StatusForbidden, description: "Forbidden: bot was blocked by the user"}
	}
	return c, nil
}

// formatted parses text with parse_mode (or explicit entities) into what a
// user reads. Markdown and MarkdownV2 are passed through unparsed.
func formatted(text, parseMode, rawEntities string) (string, []Entity, *apiError) {
	switch strings.ToLower(parseMode) {
	case "":
		var entities []Entity
		if rawEntities != "" {
			if err := json.Unmarshal([]byte(rawEntities), &entities); err != nil {
				return "", nil, badRequest("can't parse entities JSON object")
			}
		}
		return text, entities, nil
	case "html":
		plain, entities, err := parseHTML(text)
		if err != nil {
			return "", nil, badRequest("can't parse entities: %v", err)
		}
		return plain, entities, nil
	case "markdown", "markdownv2":
		return text, nil, nil
	}
	return "", nil, badRequest("unsupported parse_mode")
}

// checkLength applies a "1-N characters after entities parsing" limit.
// Telegram trims surrounding white space before it measures.
func checkLength(plain string, limit int, empty, tooLong string) *apiError {
	trimmed := strings.TrimSpace(plain)
	if trimmed == "" && empty != "" {
		return badRequest("%s", empty)
	}
	if utf8.RuneCountInString(trimmed) > limit {
		return badRequest("%s", tooLong)
	}
	return nil
}

type markup struct {
	inline        json.RawMessage // canonical inline keyboard, nil if none
	keyboard      [][]Button
	replyKeyboard [][]string
}

var buttonActions = []string{
	"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
	"copy_text", "callback_game", "pay",
}

// parseMarkup checks reply_markup beyond its types: button texts, exactly
// one action per inline button, callback_data of 1-64 bytes, a copy_text
// of 1-256 characters. go-telegram/bot writes "copy_text":{"text":""}
// into every button it marshals itself; Telegram has been seen to refuse
// that (BUTTON_COPY_TEXT_INVALID), so tgtest does too.
func parseMarkup(raw string) (markup, *apiError) {
	var out markup
	if raw == "" {
		return out, nil
	}
	var kinds struct {
		Inline [][]map[string]json.RawMessage `json:"inline_keyboard"`
		Reply  [][]struct {
			Text string `json:"text"`
		} `json:"keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &kinds); err != nil {
		return out, badRequest("can't parse reply keyboard markup JSON object")
	}
	for _, row := range kinds.Reply {
		var texts []string
		for _, b := range row {
			if b.Text == "" {
				return out, badRequest("can't parse keyboard button: Text must be non-empty")
			}
			texts = append(texts, b.Text)
		}
		out.replyKeyboard = append(out.replyKeyboard, texts)
	}
	for _, row := range kinds.Inline {
		var buttons []Button
		for _, b := range row {
			btn, err := parseInlineButton(b)
			if err != nil {
				return out, err
			}
			buttons = append(buttons, btn)
		}
		out.keyboard = append(out.keyboard, buttons)
	}
	if len(out.keyboard) > 0 {
		canonical, err := json.Marshal(map[string]any{"inline_keyboard": kinds.Inline})
		if err != nil {
			return out, badRequest("can't parse inline keyboard")
		}
		out.inline = canonical
	}
	return out, nil
}

func parseInlineButton(b map[string]json.RawMessage) (Button, *apiError) {
	var btn Button
	if err := json.Unmarshal(b["text"], &btn.Text); err != nil || btn.Text == "" {
		return btn, badRequest("can't parse inline keyboard button: Text must be non-empty")
	}
	if ct, ok := b["copy_text"]; ok {
		var copyText struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(ct, &copyText) != nil || copyText.Text == "" || utf8.RuneCountInString(copyText.Text) > 256 {
			return btn, badRequest("BUTTON_COPY_TEXT_INVALID")
		}
	}
	actions := 0
	for _, a := range buttonActions {
		if _, ok := b[a]; ok {
			actions++
		}
	}
	if actions == 0 {
		return btn, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	if actions > 1 {
		return btn, badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used")
	}
	if raw, ok := b["callback_data"]; ok {
		if json.Unmarshal(raw, &btn.CallbackData) != nil || len(btn.CallbackData) < 1 || len(btn.CallbackData) > maxCallbackDataBytes {
			return btn, badRequest("BUTTON_DATA_INVALID")
		}
	}
	if raw, ok := b["web_app"]; ok {
		var app struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(raw, &app) != nil {
			return btn, badRequest("BUTTON_URL_INVALID")
		}
		if apiErr := checkWebAppURL(app.URL); apiErr != nil {
			return btn, apiErr
		}
		btn.WebAppURL = app.URL
	}
	if raw, ok := b["url"]; ok {
		if json.Unmarshal(raw, &btn.URL) != nil {
			return btn, badRequest("BUTTON_URL_INVALID")
		}
		u, err := url.Parse(btn.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tg") {
			return btn, badRequest("BUTTON_URL_INVALID")
		}
	}
	return btn, nil
}

// send serves sendMessage, sendPhoto and sendDocument.
func (s *Server) send(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.targetChatLocked(req.params["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	m := &message{fromBot: true, from: s.botUser}
	m.ParseMode = req.params["parse_mode"]
	switch req.method {
	case "sendMessage":
		m.Text = req.params["text"]
		m.PlainText, m.Entities, apiErr = formatted(m.Text, m.ParseMode, req.params["entities"])
		if apiErr == nil {
			apiErr = checkLength(m.PlainText, maxTextLength, "message text is empty", "message is too long")
		}
	case "sendPhoto":
		m.Photo, apiErr = s.resolveFileLocked(req, "photo", "photos")
	case "sendDocument":
		m.Document, apiErr = s.resolveFileLocked(req, "document", "documents")
	}
	if apiErr != nil {
		return nil, apiErr
	}
	if req.method != "sendMessage" {
		m.Caption = req.params["caption"]
		m.PlainCaption, m.Entities, apiErr = formatted(m.Caption, m.ParseMode, req.params["caption_entities"])
		if apiErr == nil {
			apiErr = checkLength(m.PlainCaption, maxCaptionLength, "", "message caption is too long")
		}
		if apiErr != nil {
			return nil, apiErr
		}
	}
	mk, apiErr := parseMarkup(req.params["reply_markup"])
	if apiErr == nil {
		apiErr = mk.checkChat(c)
	}
	if apiErr != nil {
		return nil, apiErr
	}
	m.markup, m.Keyboard, m.ReplyKeyboard = mk.inline, mk.keyboard, mk.replyKeyboard

	now := s.now()
	if retry := s.limiter.take(c.json.ID, now); retry > 0 {
		return nil, &apiError{
			code:        http.StatusTooManyRequests,
			description: "Too Many Requests: retry after " + strconv.Itoa(retry),
			retryAfter:  retry,
		}
	}
	m.Date = now
	s.keepFileLocked(m.Photo)
	s.keepFileLocked(m.Document)
	c.addLocked(m)
	s.notifyLocked()
	return m.toJSON(c), nil
}

// resolveFileLocked finds the file a send refers to: an upload, a file_id
// Telegram issued before, or an HTTP URL.
func (s *Server) resolveFileLocked(req *request, field, dir string) (*File, *apiError) {
	up := req.uploads[field]
	v := req.params[field]
	if name, ok := strings.CutPrefix(v, "attach://"); ok {
		up = req.uploads[name]
	}
	if up == nil {
		if f, ok := s.files[v]; ok {
			return f, nil
		}
		if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
			return &File{URL: v, Name: path.Base(v), path: dir}, nil
		}
		return nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	if up.Size == 0 {
		return nil, badRequest("file must be non-empty")
	}
	f := *up
	f.path = dir
	if t := mime.TypeByExtension(path.Ext(f.Name)); t != "" {
		f.MIMEType = t
	}
	if field == "photo" {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(f.Content))
		if err != nil {
			return nil, badRequest("IMAGE_PROCESS_FAILED")
		}
		if cfg.Width+cfg.Height > 10000 {
			return nil, badRequest("PHOTO_INVALID_DIMENSIONS")
		}
		f.Width, f.Height = cfg.Width, cfg.Height
	}
	return &f, nil
}

// keepFileLocked gives a new file its file_id and download path.
func (s *Server) keepFileLocked(f *File) {
	if f == nil || f.ID != "" {
		return
	}
	s.nextFileID++
	f.ID = "tgtest-file-" + strconv.FormatInt(s.nextFileID, 10)
	f.path = f.path + "/" + f.ID + path.Ext(f.Name)
	s.files[f.ID] = f
}

// edit serves editMessageText, editMessageCaption and editMessageReplyMarkup.
func (s *Server) edit(req *request) (any, *apiError) {
	if req.params["inline_message_id"] != "" {
		return nil, badRequest("MESSAGE_ID_INVALID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.targetChatLocked(req.params["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	if req.params["message_id"] == "" {
		return nil, badRequest("message identifier is not specified")
	}
	m, ok := c.byID[intParam(req.params, "message_id", 0)]
	if !ok || m.deleted {
		return nil, badRequest("message to edit not found")
	}
	if !m.fromBot {
		return nil, badRequest("message can't be edited")
	}
	next := m.Message
	switch req.method {
	case "editMessageText":
		if m.Photo != nil || m.Document != nil {
			return nil, badRequest("there is no text in the message to edit")
		}
		next.Text, next.ParseMode = req.params["text"], req.params["parse_mode"]
		next.PlainText, next.Entities, apiErr = formatted(next.Text, next.ParseMode, req.params["entities"])
		if apiErr == nil {
			apiErr = checkLength(next.PlainText, maxTextLength, "message text is empty", "message is too long")
		}
	case "editMessageCaption":
		if m.Photo == nil && m.Document == nil {
			return nil, badRequest("there is no caption in the message to edit")
		}
		next.Caption, next.ParseMode = req.params["caption"], req.params["parse_mode"]
		next.PlainCaption, next.Entities, apiErr = formatted(next.Caption, next.ParseMode, req.params["caption_entities"])
		if apiErr == nil {
			apiErr = checkLength(next.PlainCaption, maxCaptionLength, "", "message caption is too long")
		}
	}
	if apiErr != nil {
		return nil, apiErr
	}
	mk, apiErr := parseMarkup(req.params["reply_markup"])
	if apiErr == nil {
		apiErr = mk.checkChat(c)
	}
	if apiErr != nil {
		return nil, apiErr
	}
	if next.PlainText == m.PlainText && next.PlainCaption == m.PlainCaption &&
		slices.Equal(next.Entities, m.Entities) && bytes.Equal(mk.inline, m.markup) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	now := s.now()
	next.Keyboard = mk.keyboard
	next.Edits++
	m.Message = next
	m.markup = mk.inline
	m.editDate = now.Unix()
	s.notifyLocked()
	return m.toJSON(c), nil
}

func (s *Server) deleteMessage(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.targetChatLocked(req.params["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	m, ok := c.byID[intParam(req.params, "message_id", 0)]
	if !ok || m.deleted {
		return nil, badRequest("message to delete not found")
	}
	m.deleted = true
	s.notifyLocked()
	return true, nil
}

var chatActions = []string{
	"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
	"upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}

func (s *Server) sendChatAction(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, apiErr := s.targetChatLocked(req.params["chat_id"]); apiErr != nil {
		return nil, apiErr
	}
	if !slices.Contains(chatActions, req.params["action"]) {
		return nil, badRequest("wrong parameter action in request")
	}
	return true, nil
}

var commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// commandScope is where a command list applies: a BotCommandScope's
// type, with its chat and user when it names them, and the language.
type commandScope struct {
	typ          string
	chat, user   int64
	languageCode string
}

func (s *Server) setMyCommands(req *request) (any, *apiError) {
	var commands []struct {
		Command     string `json:"command"`
		Description string `json:"description"`
	}
	if err := json.Unmarshal([]byte(req.params["commands"]), &commands); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(commands) > 100 {
		return nil, badRequest("too many commands")
	}
	names := make([]string, 0, len(commands))
	for _, c := range commands {
		if !commandRE.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
		names = append(names, c.Command)
	}
	lang := req.params["language_code"]
	if lang != "" && !languageCodeRE.MatchString(lang) {
		return nil, badRequest("invalid language code specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, apiErr := s.commandScopeLocked(req.params["scope"])
	if apiErr != nil {
		return nil, apiErr
	}
	scope.languageCode = lang
	// An empty list deletes the scope's commands, as deleteMyCommands does.
	if len(names) == 0 {
		delete(s.commandLists, scope)
	} else {
		s.commandLists[scope] = names
	}
	s.notifyLocked()
	return true, nil
}

var languageCodeRE = regexp.MustCompile(`^[a-z]{2}$`)

// commandScopeLocked reads a BotCommandScope (empty: the default); a chat
// or a member it names must be one the bot knows.
func (s *Server) commandScopeLocked(raw string) (commandScope, *apiError) {
	if raw == "" {
		return commandScope{typ: "default"}, nil
	}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(raw), &sc); err != nil {
		return commandScope{}, badRequest("can't parse BotCommandScope JSON object")
	}
	switch sc.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		return commandScope{typ: sc.Type}, nil
	case "chat", "chat_administrators", "chat_member":
	default:
		return commandScope{}, badRequest("unsupported bot command scope type")
	}
	id, err := strconv.ParseInt(strings.Trim(string(sc.ChatID), `"`), 10, 64)
	if err != nil {
		return commandScope{}, badRequest("chat not found")
	}
	c, ok := s.chats[id]
	if !ok {
		return commandScope{}, badRequest("chat not found")
	}
	if sc.Type != "chat_member" {
		return commandScope{typ: sc.Type, chat: id}, nil
	}
	if c.json.Type == "private" {
		return commandScope{}, badRequest("can't change commands in private chats")
	}
	if sc.UserID == 0 {
		return commandScope{}, badRequest("user not found")
	}
	return commandScope{typ: sc.Type, chat: id, user: sc.UserID}, nil
}

// CommandsShown returns the commands Telegram shows in chatID's menu to
// the user userID whose app speaks lang, chosen as Telegram documents
// ("Determining list of commands"): the narrowest scope that has a list,
// a scope's list for the language before its list for every language.
// Administrators' scopes are not modelled (the server keeps no group
// administrators).
func (s *Server) CommandsShown(chatID, userID int64, lang string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var order []commandScope
	if c, ok := s.chats[chatID]; ok && c.json.Type != "private" {
		order = []commandScope{{typ: "chat_member", chat: chatID, user: userID}, {typ: "chat", chat: chatID}, {typ: "all_group_chats"}}
	} else {
		order = []commandScope{{typ: "chat", chat: chatID}, {typ: "all_private_chats"}}
	}
	order = append(order, commandScope{typ: "default"})
	for _, sc := range order {
		for _, l := range []string{lang, ""} {
			sc.languageCode = l
			if names, ok := s.commandLists[sc]; ok {
				return slices.Clone(names)
			}
		}
	}
	return nil
}

// CallbackAnswer is what the bot answered to a button press.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
	URL       string
}

type callbackState struct {
	answered bool
	answer   CallbackAnswer
}

func (s *Server) answerCallbackQuery(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, ok := s.callbacks[req.params["callback_query_id"]]
	if !ok || cb.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	a := CallbackAnswer{Text: req.params["text"], ShowAlert: boolParam(req.params, "show_alert"), URL: req.params["url"]}
	if utf8.RuneCountInString(a.Text) > maxCallbackAnswerText {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	cb.answered, cb.answer = true, a
	s.notifyLocked()
	return true, nil
}

// CallbackAnswer returns the bot's answer to the button press that
// PressButton queued as updateID, once the bot has answered.
func (s *Server) CallbackAnswer(updateID int64) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, ok := s.callbackByUpd[updateID]
	if !ok || !cb.answered {
		return CallbackAnswer{}, false
	}
	return cb.answer, true
}

func (s *Server) getFile(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[req.params["file_id"]]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if f.Size > maxDownloadSize {
		return nil, badRequest("file is too big")
	}
	return map[string]any{"file_id": f.ID, "file_unique_id": "u" + f.ID, "file_size": f.Size, "file_path": f.path}, nil
}

// serveFile answers downloads at /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	var found *File
	if token == s.Token {
		for f := range maps.Values(s.files) {
			if f.path == filePath && f.URL == "" {
				found = f
				break
			}
		}
	}
	s.mu.Unlock()
	if found == nil {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", found.MIMEType)
	if _, err := w.Write(found.Content); err != nil {
		s.log.Debug("serve file", "err", err)
	}
}
