package tgtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. The zero value gives a server that behaves
// like Telegram for a bot named tgtest_bot.
type Options struct {
	// Token is the bot token the client must use; the part before ':' is the
	// bot's user id. Default "123456789:tgtest-token".
	Token string
	// BotUsername is the bot's username without '@'. Default "tgtest_bot".
	BotUsername string
	// Scale multiplies every sending limit (0 means 1): Scale 100 lets 3,000
	// messages per second through in all and 100 per second to one chat.
	Scale float64
	// Limits override Telegram's sending limits before scaling.
	Limits Limits
	// Now is the clock for message dates, call times and rate limits.
	// Default time.Now.
	Now func() time.Time
	// Logger receives one debug line per call, without message contents.
	// Default: discard.
	Logger *slog.Logger
	// WebhookAttempts is how many times an update is POSTed to the webhook
	// before it is dropped when the bot keeps answering non-2xx. Default 3.
	WebhookAttempts int
	// WebhookRetryDelay is the pause before the second attempt, doubled for
	// each further one. Default 50ms.
	WebhookRetryDelay time.Duration
	// WebhookClient posts updates to the webhook. Default: a client that keeps
	// as many idle connections as the webhook's max_connections.
	WebhookClient *http.Client
}

// maxRequestBytes is Telegram's upload limit for bots (50 MB).
const maxRequestBytes = 50 << 20

// Server is a local Telegram Bot API server. Start it with NewServer (or
// NewUnstartedServer and Start), point go-telegram/bot at it with
// bot.WithServerURL(srv.URL), act as users with SendText and PressButton,
// and read what the bot did with Messages and Calls.
type Server struct {
	// URL is the base URL of the server, e.g. "http://127.0.0.1:41234",
	// set by Start.
	URL string
	// Token is the bot token the server accepts.
	Token string

	botUser     userJSON
	spec        *apiSpec
	log         *slog.Logger
	now         func() time.Time
	attempts    int
	retryDelay  time.Duration
	hookClient  *http.Client
	ownedClient bool

	ctx     context.Context // ends at Close: releases long polls, hung calls and webhook deliveries
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	httpSrv *http.Server

	mu             sync.Mutex
	changed        chan struct{} // closed and replaced at every state change
	updated        chan struct{} // closed and replaced when pending updates or the webhook change
	limiter        *sendLimiter
	nextUpdateID   int64
	pending        []*pendingUpdate
	allowedUpdates []string
	pollGen        int64
	webhook        *webhookState
	chats          map[int64]*chat
	files          map[string]*File
	nextFileID     int64
	blocked        map[int64]bool
	menuButtons    map[int64]MenuButton // by private chat; 0: the default
	commandLists   map[commandScope][]string
	faults         map[string][]Fault
	callbacks      map[string]*callbackState
	callbackByUpd  map[int64]*callbackState
	calls          []Call
	deliveries     []Delivery
	stats          Stats
}

// Call records one request the bot made.
type Call struct {
	Method string // as spelled in the spec, e.g. "sendMessage"; the raw path segment when unknown
	// Params are the request parameters as sent: scalars as text, objects as JSON.
	Params map[string]string
	// Files are the uploaded files by parameter name.
	Files       map[string]File
	StatusCode  int    // HTTP status of the answer
	Description string // the error description, empty on success
	RetryAfter  int    // parameters.retry_after of a 429
	Time        time.Time
}

// Stats counts the answers the server gave.
type Stats struct {
	Calls           int
	BadRequests     int // 400
	Forbidden       int // 403
	TooManyRequests int // 429, from the limits or injected
	ServerErrors    int // 5xx, injected
}

// Fault is a failure injected with InjectFault.
type Fault int

const (
	// FaultServerError answers 500 Internal Server Error.
	FaultServerError Fault = iota + 1
	// FaultTooManyRequests answers 429 with retry_after 1.
	FaultTooManyRequests
	// FaultHang holds the request until the client gives up or the server closes.
	FaultHang
)

// NewServer starts a server on a random loopback port. Like httptest it
// panics if it cannot listen. Close it when done.
func NewServer(opts Options) *Server {
	s := NewUnstartedServer(opts)
	if err := s.Start("127.0.0.1:0"); err != nil {
		panic(err)
	}
	return s
}

// NewUnstartedServer returns a server that does not listen yet: call Start,
// or mount it as an http.Handler elsewhere (set URL yourself then).
func NewUnstartedServer(opts Options) *Server {
	spec, err := loadSpec(specJSON)
	if err != nil {
		// The spec is embedded at build time and checked by the tests.
		panic(err)
	}
	if opts.Token == "" {
		opts.Token = "123456789:tgtest-token"
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "tgtest_bot"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.WebhookAttempts <= 0 {
		opts.WebhookAttempts = 3
	}
	if opts.WebhookRetryDelay <= 0 {
		opts.WebhookRetryDelay = 50 * time.Millisecond
	}
	botID, _ := strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64)
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		Token: opts.Token,
		botUser: userJSON{
			ID: botID, IsBot: true, FirstName: opts.BotUsername, Username: opts.BotUsername,
		},
		spec:          spec,
		log:           opts.Logger.With("component", "tgtest"),
		now:           opts.Now,
		attempts:      opts.WebhookAttempts,
		retryDelay:    opts.WebhookRetryDelay,
		hookClient:    opts.WebhookClient,
		ctx:           ctx,
		cancel:        cancel,
		changed:       make(chan struct{}),
		updated:       make(chan struct{}),
		limiter:       newSendLimiter(opts.Limits.withDefaults(opts.Scale), opts.Now()),
		nextUpdateID:  1,
		chats:         map[int64]*chat{},
		files:         map[string]*File{},
		blocked:       map[int64]bool{},
		menuButtons:   map[int64]MenuButton{},
		commandLists:  map[commandScope][]string{},
		faults:        map[string][]Fault{},
		callbacks:     map[string]*callbackState{},
		callbackByUpd: map[int64]*callbackState{},
	}
	if s.hookClient == nil {
		s.hookClient = &http.Client{
			Timeout:   30 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 100, IdleConnTimeout: 30 * time.Second},
		}
		s.ownedClient = true
	}
	return s
}

// Start listens on addr (e.g. "127.0.0.1:8081" or "127.0.0.1:0") and serves
// in the background until Close. It sets URL.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("tgtest: listen on %s: %w", addr, err)
	}
	s.URL = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve", "err", err)
		}
	}()
	return nil
}

// Close stops the server: pending long polls and hung calls end, webhook
// deliveries stop, and the listener closes.
func (s *Server) Close() {
	s.cancel()
	if s.httpSrv != nil {
		// Long polls and hung calls were released by cancel: let them write
		// their answers before the connections close.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			s.log.Debug("shutdown", "err", err)
			if err := s.httpSrv.Close(); err != nil {
				s.log.Error("close", "err", err)
			}
		}
	}
	s.wg.Wait()
	if s.ownedClient {
		s.hookClient.CloseIdleConnections()
	}
}

// apiError is an unsuccessful Bot API answer.
type apiError struct {
	code        int
	description string
	retryAfter  int
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

type request struct {
	ctx     context.Context
	method  string
	params  map[string]string
	uploads map[string]*File
}

// ServeHTTP answers Bot API calls at /bot<token>/<method> and file downloads
// at /file/bot<token>/<path>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		writeError(w, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	token, method, _ := strings.Cut(rest, "/")
	if token != s.Token {
		s.finish(w, &request{method: method}, nil, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"})
		return
	}
	m, ok := s.spec.method(method)
	if !ok {
		s.finish(w, &request{method: method}, nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	req := &request{ctx: r.Context(), method: m.Name}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
	params, uploads, err := readParams(r)
	req.params, req.uploads = params, uploads
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.finish(w, req, nil, &apiError{code: http.StatusRequestEntityTooLarge, description: "Request Entity Too Large"})
			return
		}
		s.finish(w, req, nil, badRequest("can't read the request: %v", err))
		return
	}
	result, apiErr := s.serve(req, m)
	s.finish(w, req, result, apiErr)
}

// serve performs a call whose parameters are read: an injected fault, or
// the spec's checks and then the method.
func (s *Server) serve(req *request, m *specEntry) (any, *apiError) {
	if fault, ok := s.takeFault(m.Name); ok {
		return nil, s.applyFault(req.ctx, fault)
	}
	if err := s.spec.checkRequest(m, req.params, req.uploads); err != nil {
		return nil, badRequest("%v", err)
	}
	return s.dispatch(req)
}

func (s *Server) takeFault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[method]
	if len(q) == 0 {
		return 0, false
	}
	s.faults[method] = q[1:]
	return q[0], true
}

func (s *Server) applyFault(ctx context.Context, f Fault) *apiError {
	switch f {
	case FaultTooManyRequests:
		return &apiError{code: http.StatusTooManyRequests, description: "Too Many Requests: retry after 1", retryAfter: 1}
	case FaultHang:
		select {
		case <-ctx.Done():
		case <-s.ctx.Done():
		}
	}
	return &apiError{code: http.StatusInternalServerError, description: "Internal Server Error"}
}

// InjectFault makes the next n calls of method (e.g. "sendMessage") fail
// with f instead of being served. Faults queue up in the order injected.
func (s *Server) InjectFault(method string, f Fault, n int) {
	if m, ok := s.spec.method(method); ok {
		method = m.Name
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[method] = append(s.faults[method], f)
	}
}

func (s *Server) dispatch(req *request) (any, *apiError) {
	switch req.method {
	case "getMe":
		return s.botUser, nil
	case "getUpdates":
		return s.getUpdates(req)
	case "setWebhook":
		return s.setWebhook(req)
	case "deleteWebhook":
		return s.deleteWebhook(req)
	case "getWebhookInfo":
		return s.getWebhookInfo()
	case "setMyCommands":
		return s.setMyCommands(req)
	case "setChatMenuButton":
		return s.setChatMenuButton(req)
	case "getChatMenuButton":
		return s.getChatMenuButton(req)
	case "sendMessage", "sendPhoto", "sendDocument":
		return s.send(req)
	case "editMessageText", "editMessageCaption", "editMessageReplyMarkup":
		return s.edit(req)
	case "deleteMessage":
		return s.deleteMessage(req)
	case "answerCallbackQuery":
		return s.answerCallbackQuery(req)
	case "sendChatAction":
		return s.sendChatAction(req)
	case "getFile":
		return s.getFile(req)
	}
	return nil, &apiError{code: http.StatusNotImplemented, description: "Not Implemented: tgtest does not serve " + req.method}
}

// finish records the call and writes the answer: a test that reads Calls
// once the bot's call has returned finds the call there.
func (s *Server) finish(w http.ResponseWriter, req *request, result any, apiErr *apiError) {
	s.record(req, apiErr)
	if apiErr != nil {
		writeError(w, apiErr)
	} else {
		writeResult(w, result)
	}
}

// record keeps a call and counts its answer.
func (s *Server) record(req *request, apiErr *apiError) {
	status := http.StatusOK
	if apiErr != nil {
		status = apiErr.code
	}
	call := Call{
		Method:     req.method,
		Params:     req.params,
		Files:      map[string]File{},
		StatusCode: status,
		Time:       s.now(),
	}
	for name, f := range req.uploads {
		call.Files[name] = *f
	}
	if apiErr != nil {
		call.Description = apiErr.description
		call.RetryAfter = apiErr.retryAfter
	}
	s.log.Debug("call", "method", req.method, "status", status)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
	s.stats.Calls++
	switch {
	case status == http.StatusBadRequest:
		s.stats.BadRequests++
	case status == http.StatusForbidden:
		s.stats.Forbidden++
	case status == http.StatusTooManyRequests:
		s.stats.TooManyRequests++
	case status >= 500:
		s.stats.ServerErrors++
	}
	s.notifyLocked()
}

func writeResult(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result}); err != nil {
		// The client went away; nothing else to tell it.
		return
	}
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.description}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]int{"retry_after": e.retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	if err := json.NewEncoder(w).Encode(body); err != nil {
		return
	}
}

// readParams reads parameters the ways Telegram accepts them: query string,
// multipart/form-data (what go-telegram/bot sends), urlencoded form or a
// JSON object.
func readParams(r *http.Request) (map[string]string, map[string]*File, error) {
	params := map[string]string{}
	uploads := map[string]*File{}
	for k, v := range r.URL.Query() {
		params[k] = v[len(v)-1]
	}
	mediaType, mp, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, mp["boundary"])
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				// An empty body (a call without parameters) ends here at once.
				return params, uploads, nil
			}
			if err != nil {
				return nil, nil, err
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, nil, err
			}
			if part.FileName() != "" {
				uploads[part.FormName()] = &File{
					Name:     part.FileName(),
					MIMEType: part.Header.Get("Content-Type"),
					Size:     len(data),
					Content:  data,
				}
				continue
			}
			params[part.FormName()] = string(data)
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, nil, err
		}
		for k, v := range r.PostForm {
			params[k] = v[len(v)-1]
		}
	case "application/json":
		if err := jsonParams(r.Body, params); err != nil {
			return nil, nil, err
		}
	}
	return params, uploads, nil
}

// jsonParams adds the fields of a JSON object to params: strings as their
// text, anything else as its JSON. An empty body has none.
func jsonParams(r io.Reader, params map[string]string) error {
	var obj map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&obj); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	for k, raw := range obj {
		var str string
		if err := json.Unmarshal(raw, &str); err == nil {
			params[k] = str
			continue
		}
		params[k] = string(raw)
	}
	return nil
}

// notifyLocked wakes everything waiting for a change. Callers hold s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitFor blocks until cond returns true or ctx ends. cond is evaluated
// after every change of the server's state (a call, an update, a delivery),
// so tests can wait for the bot without sleeping. cond may call the
// server's methods.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("tgtest: wait: %w", ctx.Err())
		case <-s.ctx.Done():
			return errors.New("tgtest: wait: server closed")
		}
	}
}

// WaitMessages waits until the bot has at least n messages in chatID and
// returns them as Messages does.
func (s *Server) WaitMessages(ctx context.Context, chatID int64, n int) ([]Message, error) {
	var msgs []Message
	err := s.WaitFor(ctx, func() bool {
		msgs = s.Messages(chatID)
		return len(msgs) >= n
	})
	if err != nil {
		return msgs, fmt.Errorf("tgtest: wait for %d messages in chat %d, have %d: %w", n, chatID, len(msgs), err)
	}
	return msgs, nil
}

// Calls returns every call recorded so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		c.Params = maps.Clone(c.Params)
		c.Files = maps.Clone(c.Files)
		out[i] = c
	}
	return out
}

// CallsOf returns the recorded calls of one method, oldest first.
func (s *Server) CallsOf(method string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// Stats returns the counts of answers given so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Block marks userID as having blocked the bot: every call aimed at their
// private chat answers 403 until they write to the bot again. Like
// Telegram, the bot receives a my_chat_member update saying it was kicked.
func (s *Server) Block(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[userID] = true
	c, ok := s.chats[userID]
	if !ok {
		return
	}
	s.enqueueLocked("my_chat_member", map[string]any{
		"chat": c.json, "from": c.user, "date": s.now().Unix(),
		"old_chat_member": map[string]any{"status": "member", "user": s.botUser},
		"new_chat_member": map[string]any{"status": "kicked", "user": s.botUser, "until_date": 0},
	})
}

// Unblock undoes Block without sending an update.
func (s *Server) Unblock(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, userID)
	s.notifyLocked()
}
