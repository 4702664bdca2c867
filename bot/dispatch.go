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
// go in parallel, and never makes one chat wait for another: any free
// worker takes the next update of any chat that has one waiting and none
// in hand. Chats take turns (a chat goes to the back of the line after
// each of its updates), so that a busy chat does not starve the others.
type dispatcher struct {
	workers int
	limit   int           // updates waiting in all, beyond which submit waits
	wake    chan struct{} // a token per chat made ready, for idle workers
	stopped chan struct{} // closed once run has returned

	mu       sync.Mutex
	chats    map[int64]*chatLine // chats with updates waiting or in hand
	ready    []int64             // chats whose next update may start, in turn
	waiting  int                 // updates waiting in all chats
	room     chan struct{}       // closed and replaced when an update leaves the wait
	stopping bool                // run is draining: no more updates
}

// chatLine is one chat's updates: those waiting, and whether one is in
// hand.
type chatLine struct {
	jobs    []job
	running bool
}

// errStopped is the answer to a job submitted after the workers stopped,
// or left waiting when they did.
var errStopped = errors.New("bot: dispatcher stopped")

// newDispatcher makes a dispatcher of workers goroutines that holds up to
// workers*depth waiting updates.
func newDispatcher(workers, depth int) *dispatcher {
	return &dispatcher{
		workers: workers, limit: workers * depth,
		wake: make(chan struct{}, workers), stopped: make(chan struct{}),
		chats: make(map[int64]*chatLine), room: make(chan struct{}),
	}
}

// run handles jobs with handle until ctx ends, then returns once every
// worker has stopped. Jobs still waiting then are answered with
// errStopped, and whoever waits for a job also watches stopped, so that
// no webhook request waits forever. run is called once.
func (d *dispatcher) run(ctx context.Context, handle func(context.Context, job) error) {
	defer close(d.stopped)
	var wg sync.WaitGroup
	for range d.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j, ok := d.next(ctx)
				if !ok {
					return
				}
				err := handle(ctx, j)
				if j.done != nil {
					j.done <- err
				}
				d.finished(chatOf(j.upd))
			}
		}()
	}
	wg.Wait()
	d.mu.Lock()
	d.stopping = true
	var left []job
	for _, l := range d.chats {
		left = append(left, l.jobs...)
	}
	clear(d.chats)
	d.ready, d.waiting = nil, 0
	d.mu.Unlock()
	for _, j := range left {
		if j.done != nil {
			j.done <- errStopped
		}
	}
}

// next waits for the next update a worker may start, false once ctx ends.
func (d *dispatcher) next(ctx context.Context) (job, bool) {
	for {
		if ctx.Err() != nil {
			return job{}, false
		}
		d.mu.Lock()
		if len(d.ready) > 0 {
			chat := d.ready[0]
			d.ready = d.ready[1:]
			l := d.chats[chat]
			j := l.jobs[0]
			l.jobs = l.jobs[1:]
			l.running = true
			d.waiting--
			close(d.room)
			d.room = make(chan struct{})
			d.mu.Unlock()
			return j, true
		}
		d.mu.Unlock()
		select {
		case <-d.wake:
		case <-ctx.Done():
			return job{}, false
		}
	}
}

// finished marks chat's update in hand done: its next one, if any, may
// start, after the chats already in line.
func (d *dispatcher) finished(chat int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, ok := d.chats[chat]
	if !ok {
		return // drained at stop
	}
	l.running = false
	if len(l.jobs) == 0 {
		delete(d.chats, chat)
		return
	}
	d.readyLocked(chat)
}

// readyLocked puts chat in line and wakes a worker.
func (d *dispatcher) readyLocked(chat int64) {
	d.ready = append(d.ready, chat)
	select {
	case d.wake <- struct{}{}:
	default: // every worker has a token already: they look again before waiting
	}
}

// submit queues j behind its chat's earlier updates; it waits only for
// room, or until ctx ends.
func (d *dispatcher) submit(ctx context.Context, j job) error {
	chat := chatOf(j.upd)
	for {
		d.mu.Lock()
		if d.stopping {
			d.mu.Unlock()
			return errStopped
		}
		if d.waiting < d.limit {
			break
		}
		room := d.room
		d.mu.Unlock()
		select {
		case <-room:
		case <-ctx.Done():
			return ctx.Err()
		case <-d.stopped:
			return errStopped
		}
	}
	defer d.mu.Unlock()
	l, ok := d.chats[chat]
	if !ok {
		l = &chatLine{}
		d.chats[chat] = l
	}
	l.jobs = append(l.jobs, j)
	d.waiting++
	if !l.running && len(l.jobs) == 1 {
		d.readyLocked(chat)
	}
	return nil
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
