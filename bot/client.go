package bot

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// pollTimeout is how long a getUpdates call may wait for an update.
const pollTimeout = 50 * time.Second

// NewHTTPClient returns the HTTP client the Telegram client should use:
// the default transport keeps two idle connections per host, which under
// load leaves thousands of sockets in TIME_WAIT; and each request's body
// goes out in one piece (see wholeBodies).
func NewHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 512
	tr.MaxIdleConnsPerHost = 512
	return &http.Client{Transport: wholeBodies{tr}, Timeout: pollTimeout + 10*time.Second}
}

// wholeBodies reads a request's body before sending it. go-telegram/bot
// writes its multipart forms into a pipe, which net/http sends chunked
// with a write to the socket per chunk: a sendMessage went out as a dozen
// small writes (as many TLS records to Telegram). Read first, the form
// goes out with its Content-Length in one write, and the transport can
// send it again on a kept-alive connection that turns out to be closed.
type wholeBodies struct{ next http.RoundTripper }

func (t wholeBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > 0 {
		return t.next.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("bot: read request body: %w", err)
	}
	// A RoundTripper must not change the request it is given.
	whole := r.Clone(r.Context())
	whole.ContentLength = int64(len(body))
	whole.Body = io.NopCloser(bytes.NewReader(body))
	whole.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return t.next.RoundTrip(whole)
}

// NewClient makes the go-telegram/bot client that Run and the webhook
// send with: serverURL is Telegram's ("https://api.telegram.org") or a
// tgtest server's; httpClient nil takes NewHTTPClient. extra options come
// last (WithSkipGetMe, for instance).
func (b *Bot) NewClient(token, serverURL string, httpClient *http.Client, extra ...tgbot.Option) (*tgbot.Bot, error) {
	if httpClient == nil {
		httpClient = NewHTTPClient()
	}
	opts := []tgbot.Option{
		tgbot.WithServerURL(serverURL),
		tgbot.WithHTTPClient(pollTimeout, httpClient),
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithDefaultHandler(b.enqueue),
		tgbot.WithErrorsHandler(func(err error) { b.log.Warn("telegram client", "err", err) }),
	}
	tg, err := tgbot.New(token, append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("bot: telegram client: %w", err)
	}
	return tg, nil
}

// enqueue is the client's handler in long polling: it queues the update
// on its chat's worker and returns, so the next getUpdates goes out at
// once.
func (b *Bot) enqueue(ctx context.Context, tg *tgbot.Bot, upd *models.Update) {
	if err := b.disp.submit(ctx, job{tg: tg, upd: upd, mode: modePolling, deadline: time.Now().Add(b.opt.UpdateDeadline)}); err != nil {
		b.log.Warn("update dropped at shutdown", "update_id", upd.ID)
		b.observe(upd, "dropped", b.now())
	}
}

// Run handles updates by long polling until ctx ends. Any webhook is
// removed first, as Telegram refuses getUpdates while one is set.
func (b *Bot) Run(ctx context.Context, tg *tgbot.Bot) error {
	if _, err := tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("bot: delete webhook: %w", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.disp.run(ctx, b.handleJob)
	}()
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		b.watchRoster(ctx)
	}()
	tg.Start(ctx)
	<-done
	<-watched
	b.heavy.wait()
	return nil
}

// RunWebhook runs the workers that handle what WebhookHandler receives,
// and keeps the roster current, until ctx ends.
func (b *Bot) RunWebhook(ctx context.Context) {
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		b.watchRoster(ctx)
	}()
	b.disp.run(ctx, b.handleJob)
	<-watched
	b.heavy.wait()
}
