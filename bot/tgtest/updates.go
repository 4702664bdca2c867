package tgtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"
)

type pendingUpdate struct {
	id       int64
	kind     string // "message", "callback_query", ...
	body     json.RawMessage
	inflight bool // being posted to the webhook
}

type webhookState struct {
	url              string
	secret           string
	maxConnections   int
	cancel           context.CancelFunc
	lastErrorDate    int64
	lastErrorMessage string
}

// Delivery is one attempt to POST an update to the webhook.
type Delivery struct {
	UpdateID   int64
	Attempt    int // 1 for the first try
	StatusCode int // 0 when the request failed
	Err        string
	Time       time.Time
}

// defaultExcluded are the update kinds Telegram leaves out while the bot has
// never given allowed_updates.
var defaultExcluded = []string{"chat_member", "message_reaction", "message_reaction_count"}

// enqueueLocked adds an update for the bot and returns its update_id.
func (s *Server) enqueueLocked(kind string, payload any) int64 {
	id := s.nextUpdateID
	s.nextUpdateID++
	body, err := json.Marshal(map[string]any{"update_id": id, kind: payload})
	if err != nil {
		// payload is built by this package from plain structs and maps.
		panic(fmt.Sprintf("tgtest: encode update: %v", err))
	}
	s.pending = append(s.pending, &pendingUpdate{id: id, kind: kind, body: body})
	s.notifyUpdatesLocked()
	return id
}

// notifyUpdatesLocked wakes long polls and webhook deliveries, which wait
// on their own channel so that the stream of recorded calls does not wake
// every delivery worker.
func (s *Server) notifyUpdatesLocked() {
	close(s.updated)
	s.updated = make(chan struct{})
	s.notifyLocked()
}

func (s *Server) allowedLocked(kind string) bool {
	if len(s.allowedUpdates) == 0 {
		return !slices.Contains(defaultExcluded, kind)
	}
	return slices.Contains(s.allowedUpdates, kind)
}

// dropDisallowedLocked forgets updates the bot said it does not want, as
// Telegram never stores them.
func (s *Server) dropDisallowedLocked() {
	s.pending = slices.DeleteFunc(s.pending, func(u *pendingUpdate) bool {
		return !u.inflight && !s.allowedLocked(u.kind)
	})
}

func (s *Server) setAllowedLocked(raw string) {
	var kinds []string
	if raw == "" || json.Unmarshal([]byte(raw), &kinds) != nil {
		return
	}
	s.allowedUpdates = kinds
}

func intParam(params map[string]string, name string, def int64) int64 {
	v, ok := params[name]
	if !ok {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return def
	}
	return n
}

func boolParam(params map[string]string, name string) bool {
	v := params[name]
	return v == "true" || v == "True" || v == "1"
}

// getUpdates holds the request until an update arrives or timeout seconds
// pass: answering an empty list at once would make the client spin.
func (s *Server) getUpdates(req *request) (any, *apiError) {
	offset := intParam(req.params, "offset", 0)
	limit := intParam(req.params, "limit", 100)
	if limit < 1 || limit > 100 {
		limit = 100
	}
	timeout := time.Duration(max(intParam(req.params, "timeout", 0), 0)) * time.Second
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()

	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		return nil, &apiError{code: http.StatusConflict, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if raw, ok := req.params["allowed_updates"]; ok {
		s.setAllowedLocked(raw)
	}
	s.pollGen++
	gen := s.pollGen
	if offset > 0 {
		s.pending = slices.DeleteFunc(s.pending, func(u *pendingUpdate) bool { return u.id < offset })
	}
	s.notifyUpdatesLocked()
	s.mu.Unlock()

	expired := false
	for {
		s.mu.Lock()
		if s.pollGen != gen {
			s.mu.Unlock()
			return nil, &apiError{code: http.StatusConflict, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		s.dropDisallowedLocked()
		out := []json.RawMessage{}
		for _, u := range s.pending {
			if int64(len(out)) == limit {
				break
			}
			if u.id >= offset {
				out = append(out, u.body)
			}
		}
		ch := s.updated
		s.mu.Unlock()
		if len(out) > 0 || expired {
			return out, nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			expired = true
		case <-req.ctx.Done():
			return []json.RawMessage{}, nil
		case <-s.ctx.Done():
			return []json.RawMessage{}, nil
		}
	}
}

var secretTokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(req *request) (any, *apiError) {
	raw := req.params["url"]
	if raw == "" {
		return s.deleteWebhook(req)
	}
	// Telegram demands HTTPS on ports 443, 80, 88 or 8443; a local test
	// server listens on plain HTTP at any port, so both are accepted.
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret, hasSecret := req.params["secret_token"]
	if hasSecret && !secretTokenRE.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	maxConn := intParam(req.params, "max_connections", 40)
	if maxConn < 1 || maxConn > 100 {
		return nil, badRequest("bad webhook: max_connections must be between 1 and 100")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook != nil {
		s.webhook.cancel()
	}
	if boolParam(req.params, "drop_pending_updates") {
		s.pending = nil
	}
	if rawAllowed, ok := req.params["allowed_updates"]; ok {
		s.setAllowedLocked(rawAllowed)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	wh := &webhookState{url: raw, secret: secret, maxConnections: int(maxConn), cancel: cancel}
	s.webhook = wh
	for range wh.maxConnections {
		s.wg.Add(1)
		go s.deliverLoop(ctx, wh)
	}
	// A pending long poll must learn that the webhook took over.
	s.pollGen++
	s.notifyUpdatesLocked()
	return true, nil
}

func (s *Server) deleteWebhook(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook != nil {
		s.webhook.cancel()
		s.webhook = nil
	}
	if boolParam(req.params, "drop_pending_updates") {
		s.pending = nil
	}
	s.notifyUpdatesLocked()
	return true, nil
}

func (s *Server) getWebhookInfo() (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{"url": "", "has_custom_certificate": false, "pending_update_count": len(s.pending)}
	if wh := s.webhook; wh != nil {
		info["url"] = wh.url
		info["max_connections"] = wh.maxConnections
		if wh.lastErrorDate != 0 {
			info["last_error_date"] = wh.lastErrorDate
			info["last_error_message"] = wh.lastErrorMessage
		}
	}
	if len(s.allowedUpdates) > 0 {
		info["allowed_updates"] = s.allowedUpdates
	}
	return info, nil
}

// deliverLoop is one of the webhook's max_connections: it posts updates one
// at a time until the webhook is replaced or deleted, or the server closes.
func (s *Server) deliverLoop(ctx context.Context, wh *webhookState) {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		s.dropDisallowedLocked()
		var next *pendingUpdate
		for _, u := range s.pending {
			if !u.inflight {
				next = u
				break
			}
		}
		if next != nil {
			next.inflight = true
		}
		ch := s.updated
		s.mu.Unlock()

		if next == nil {
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return
			}
		}
		delivered := s.deliver(ctx, wh, next)
		s.mu.Lock()
		if delivered || ctx.Err() == nil {
			// Delivered, or refused as many times as Telegram would try: gone.
			s.pending = slices.DeleteFunc(s.pending, func(u *pendingUpdate) bool { return u == next })
		} else {
			next.inflight = false
		}
		s.notifyUpdatesLocked()
		s.mu.Unlock()
		if ctx.Err() != nil {
			return // the webhook is gone or the server closing: the update stays pending
		}
	}
}

func (s *Server) deliver(ctx context.Context, wh *webhookState, u *pendingUpdate) bool {
	delay := s.retryDelay
	for attempt := 1; attempt <= s.attempts; attempt++ {
		if attempt > 1 {
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return false
			}
			delay *= 2
		}
		status, err := s.post(ctx, wh, u.body)
		d := Delivery{UpdateID: u.id, Attempt: attempt, StatusCode: status, Time: s.now()}
		if err != nil {
			d.Err = err.Error()
		}
		ok := err == nil && status >= 200 && status < 300
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		if !ok && ctx.Err() == nil {
			wh.lastErrorDate = d.Time.Unix()
			wh.lastErrorMessage = fmt.Sprintf("Wrong response from the webhook: %d %s", status, http.StatusText(status))
			if err != nil {
				wh.lastErrorMessage = "Connection refused"
			}
		}
		s.notifyLocked()
		s.mu.Unlock()
		if ok {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
	}
	return false
}

func (s *Server) post(ctx context.Context, wh *webhookState, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("tgtest: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if wh.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", wh.secret)
	}
	resp, err := s.hookClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("tgtest: post update: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		s.performAnswer(ctx, resp)
	}
	// Drain so the connection can be reused.
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// performAnswer does what Telegram does with a webhook's answer that is a
// JSON object naming a method: it performs the method as if the bot had
// called it, checked, limited and recorded the same way, and tells the
// bot nothing. An answer that is not JSON, or names no method, is
// ignored; one that cannot be read as a call is recorded as a failed call.
func (s *Server) performAnswer(ctx context.Context, resp *http.Response) {
	if mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mediaType != "application/json" {
		return
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRequestBytes))
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return
	}
	params := map[string]string{}
	if err := jsonParams(bytes.NewReader(body), params); err != nil {
		s.record(&request{ctx: ctx, params: params}, badRequest("can't parse the webhook answer: %v", err))
		return
	}
	name, ok := params["method"]
	if !ok {
		return
	}
	delete(params, "method")
	req := &request{ctx: ctx, method: name, params: params, uploads: map[string]*File{}}
	m, ok := s.spec.method(name)
	if !ok {
		s.record(req, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	req.method = m.Name
	_, apiErr := s.serve(req, m)
	s.record(req, apiErr)
}

// WebhookDeliveries returns every attempt to post an update to the
// webhook, oldest first.
func (s *Server) WebhookDeliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

// PendingUpdates is how many updates the bot has not yet confirmed
// (long polling) or received (webhook).
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}
