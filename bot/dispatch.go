package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// job is one update waiting for its worker. done is nil when nobody waits
// (long polling). claim is the State key the worker claims for the update
// before handling it ("" in long polling). deadline is when the update is
// given up, counted from its arrival. hook, nil in long polling, is where
// the worker and the webhook request meet.
type job struct {
	tg       *tgbot.Bot
	upd      *models.Update
	mode     mode
	claim    string
	deadline time.Time
	done     chan error
	hook     *hookWait
}

// hookWait is where a webhook request and the worker handling its update
// meet. reply is the answer kept for the webhook's response, read once
// done has answered. A request that Telegram gave up on marks itself
// abandoned, and whichever of the two comes second sends a kept answer
// through the client instead: nobody would read the response.
type hookWait struct {
	reply inlineReply

	mu                  sync.Mutex
	finished, abandoned bool
}

// finish is the worker's, once the update is handled: it reports whether
// the request is gone, and the answer is then the worker's to send.
func (h *hookWait) finish() (abandoned bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.finished = true
	return h.abandoned
}

// abandon is the request's, when Telegram has gone: it reports whether
// the update was handled already, and the answer is then the request's
// to send.
func (h *hookWait) abandon() (finished bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.abandoned = true
	return h.finished
}

// mode says how an update arrived, which decides what a failure does.
type mode int

const (
	modePolling mode = iota // nothing retries: apologise to the user
	modeWebhook             // Telegram retries after a 500
)

// dispatcher keeps the updates of one chat in order while different chats
// go in parallel: chat c is always handled by worker hash(c) mod n.
type dispatcher struct {
	queues  []chan job
	stopped chan struct{} // closed once run has returned
}

// errStopped is the answer to a job submitted after the workers stopped,
// or left in a queue when they did.
var errStopped = errors.New("bot: dispatcher stopped")

func newDispatcher(workers, depth int) *dispatcher {
	d := &dispatcher{queues: make([]chan job, workers), stopped: make(chan struct{})}
	for i := range d.queues {
		d.queues[i] = make(chan job, depth)
	}
	return d
}

// run handles jobs with handle until ctx ends, then returns once every
// worker has stopped. Jobs left in the queues are answered with
// errStopped, and whoever waits for a job also watches stopped, so that no
// webhook request waits forever. run is called once.
func (d *dispatcher) run(ctx context.Context, handle func(context.Context, job) error) {
	defer close(d.stopped)
	var wg sync.WaitGroup
	for _, q := range d.queues {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					drain(q, errStopped)
					return
				case j := <-q:
					err := handle(ctx, j)
					if j.done != nil {
						j.done <- err
					}
				}
			}
		}()
	}
	wg.Wait()
}

func drain(q chan job, err error) {
	for {
		select {
		case j := <-q:
			if j.done != nil {
				j.done <- err
			}
		default:
			return
		}
	}
}

// submit queues j on its chat's worker; it waits only for room in the
// queue, or until ctx ends.
func (d *dispatcher) submit(ctx context.Context, j job) error {
	q := d.queues[shard(chatOf(j.upd), len(d.queues))]
	select {
	case q <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-d.stopped:
		return errStopped
	}
}

// shard spreads chat ids over n workers (FNV-1a of the id's bytes), so
// that consecutive ids do not crowd one worker.
func shard(chat int64, n int) int {
	h := uint64(14695981039346656037)
	u := uint64(chat)
	for i := 0; i < 8; i++ {
		h ^= u & 0xff
		h *= 1099511628211
		u >>= 8
	}
	return int(h % uint64(n))
}

// chatOf returns the chat an update belongs to, 0 when it has none.
func chatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}
