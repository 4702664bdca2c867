package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

const (
	chiefTitle = "Bố trí Trưởng Công an xã chính quy tại 113 xã, thị trấn còn lại"
	plansTitle = "Các huyện, thành phố xây dựng kế hoạch triển khai Đề án"
	reminderOf = "🔔 Nhắc việc: "
)

// killSender cancels its replica after a number of sends, in the middle
// of a broadcast, once armed.
type killSender struct {
	inner  reminders.Sender
	armed  atomic.Bool
	left   atomic.Int64
	cancel atomic.Pointer[context.CancelFunc]
	killed atomic.Bool
}

func (k *killSender) Send(ctx context.Context, chat int64, m reminders.Message) error {
	err := k.inner.Send(ctx, chat, m)
	if k.armed.Load() && k.left.Add(-1) == 0 {
		(*k.cancel.Load())()
		k.killed.Store(true)
	}
	return err
}

type walkResult struct {
	sends     []sent
	afterKill int // messages of the kill day sent by the survivors after the killed replica's lease ran out
	tooMany   int
}

// walk runs replicas Schedulers and Drainers on one store and state over a
// simulated clock from 01/02/2020 to 30/04/2020, four ticks a day. With
// kill, the first replica's drainer is cancelled after 5 sends of the
// broadcast of 28/02/2020 07:30 (the largest of the walk).
func walk(t *testing.T, be backend, replicas int, kill bool) (*roster, walkResult) {
	ctx := context.Background()
	db, st := be.open(t)
	srv := tgtest.NewServer(tgtest.Options{Scale: 100})
	t.Cleanup(srv.Close)
	r := setupRoster(t, db, srv)
	clk := &clock{}
	client := newClient(t, srv)

	type replica struct {
		sched  *reminders.Scheduler
		sender *killSender
		drain  *reminders.Drainer
	}
	var reps []replica
	for i := range replicas {
		ks := &killSender{inner: bot.TelegramSender{Client: client}}
		owner := fmt.Sprintf("replica-%d", i)
		sched := newScheduler(t, db, st)
		sched.Replica = owner
		reps = append(reps, replica{sched: sched, sender: ks, drain: drainer(db, st, ks, owner, clk.Now, uint64(i+1))})
	}

	var res walkResult
	calls := 0
	killDay := day(2020, 2, 28).Add(7*time.Hour + 30*time.Minute)
	for d := day(2020, 2, 1); !d.After(day(2020, 4, 30)); d = d.AddDate(0, 0, 1) {
		for _, tod := range []time.Duration{0, 7*time.Hour + 30*time.Minute, 12 * time.Hour, 18 * time.Hour} {
			now := d.Add(tod)
			if tod == 12*time.Hour {
				r.changesOn(ctx, t, db, d)
			}
			clk.Set(now)
			var wg sync.WaitGroup
			errs := make(chan error, 2*replicas)
			for _, rep := range reps {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := rep.sched.Tick(ctx, now); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			for i, rep := range reps {
				dctx, cancel := context.WithCancel(ctx)
				killNow := kill && i == 0 && now.Equal(killDay)
				if killNow {
					rep.sender.left.Store(5)
					rep.sender.cancel.Store(&cancel)
					rep.sender.armed.Store(true)
				}
				wg.Add(1)
				drain := func() {
					defer wg.Done()
					defer cancel()
					for {
						n, err := rep.drain.Drain(dctx)
						if errors.Is(err, context.Canceled) {
							return // killed
						}
						if err != nil {
							errs <- err
							return
						}
						if n == 0 {
							return
						}
					}
				}
				if killNow {
					// The victim claims its batch before the others start,
					// so that the kill leaves claimed messages unsent.
					drain()
					continue
				}
				go drain()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("%s: %v", now.Format("02/01 15:04"), err)
			}
			reps[0].sender.armed.Store(false)
			var got []sent
			got, calls = collect(srv, calls, d)
			if kill && now.Equal(killDay.Add(4*time.Hour+30*time.Minute)) {
				res.afterKill = len(got)
			}
			res.sends = append(res.sends, got...)
		}
	}
	if kill && !reps[0].sender.killed.Load() {
		t.Fatal("the replica to kill was never killed")
	}
	res.tooMany = srv.Stats().TooManyRequests
	items, err := db.OutboxItems(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.State != store.OutboxSent || it.Attempts != 1 {
			t.Errorf("outbox item %s: %s after %d attempts", it.Key, it.State, it.Attempts)
		}
	}
	return r, res
}

// expectedReminders lists, as "day chat title", every reminder the walk
// must send, from the roster's known days alone.
func expectedReminders(r *roster) []string {
	var out []string
	chiefDays := []struct {
		d     time.Time
		after bool
	}{
		{day(2020, 2, 28), false}, // 30 days before: 01/03 is a Sunday, so the Friday before
		{day(2020, 3, 17), false}, // 14
		{day(2020, 3, 24), false}, // 7
		{day(2020, 3, 27), false}, // 3: Saturday 28/03, so the Friday before
		{day(2020, 3, 30), false}, // 1
		{day(2020, 3, 31), false}, // the deadline
		{day(2020, 4, 7), true},
		{day(2020, 4, 14), true},
		{day(2020, 4, 21), true},
		{day(2020, 4, 28), true},
	}
	for _, o := range chiefDays {
		behind := map[string]int{}
		for code, c := range r.communes {
			if r.pilot[code] || !r.behindOn(code, o.d) {
				continue
			}
			behind[c.DistrictCode]++
			out = append(out, fmt.Sprintf("%s %d %s", o.d.Format("2006-01-02"), r.communeUser[code], chiefTitle))
		}
		for district, n := range behind {
			head := r.heads[district]
			at := o.d.Add(7*time.Hour + 30*time.Minute)
			if n == 0 || o.after && head == r.ackBy && !at.Before(r.ackAt) && at.Before(r.ackAt.Add(reminders.DefaultAckPause)) {
				continue
			}
			out = append(out, fmt.Sprintf("%s %d %s", o.d.Format("2006-01-02"), head, chiefTitle))
		}
	}
	for d := day(2020, 2, 7); d.Before(day(2020, 5, 1)); d = d.AddDate(0, 0, 7) {
		for _, dist := range r.districts {
			if !r.submittedBy(dist.Code, d) {
				out = append(out, fmt.Sprintf("%s %d %s", d.Format("2006-01-02"), r.heads[dist.Code], plansTitle))
			}
		}
	}
	slices.Sort(out)
	return out
}

func checkWalk(t *testing.T, r *roster, res walkResult) {
	t.Helper()
	var got []string
	nameOf := map[string]string{}
	for code, c := range r.communes {
		nameOf[code] = c.Name
	}
	digestDays := map[string][]string{}
	for _, s := range res.sends {
		if s.chat == r.province {
			digestDays[s.day] = append(digestDays[s.day], s.method)
			continue
		}
		title, ok := strings.CutPrefix(firstLine(s.text), reminderOf)
		if !ok {
			t.Errorf("unexpected message %v", s)
			continue
		}
		got = append(got, fmt.Sprintf("%s %d %s", s.day, s.chat, title))
	}
	slices.Sort(got)
	want := expectedReminders(r)
	if !slices.Equal(got, want) {
		missing, extra := diff(want, got)
		t.Errorf("reminders: %d sent, %d expected\nmissing: %q\nextra or doubled: %q", len(got), len(want), missing, extra)
	}

	// The right communes: each district head's chief reminder names only
	// communes behind that day, and counts the rest it has no room for
	// ("… và N xã, thị trấn khác"); the acknowledged head gets the hint
	// and the button; escalation from 14 days after the deadline, asked
	// of the head before the list.
	moreRE := regexp.MustCompile(`… và (\d+) xã, thị trấn khác`)
	headDistrict := map[int64]string{}
	for code, id := range r.heads {
		headDistrict[id] = code
	}
	for _, s := range res.sends {
		district, isHead := headDistrict[s.chat]
		if !isHead || !strings.Contains(s.text, chiefTitle) {
			continue
		}
		d, _ := time.ParseInLocation("2006-01-02", s.day, hanoi)
		named, behind := 0, 0
		for code, c := range r.communes {
			if c.DistrictCode != district || r.pilot[code] {
				continue
			}
			isNamed := strings.Contains(s.text, "• xã "+c.Name+": chưa có Trưởng Công an xã chính quy") ||
				strings.Contains(s.text, "• thị trấn "+c.Name+": chưa có Trưởng Công an thị trấn chính quy")
			if isNamed && !r.behindOn(code, d) {
				t.Errorf("%s to head of %s: commune %s %s named, but it is not behind", s.day, district, code, c.Name)
			}
			if isNamed {
				named++
			}
			if r.behindOn(code, d) {
				behind++
			}
		}
		more := 0
		if m := moreRE.FindStringSubmatch(s.text); m != nil {
			more, _ = strconv.Atoi(m[1])
		}
		if named+more != behind {
			t.Errorf("%s to head of %s: %d communes named and %d more counted, %d behind", s.day, district, named, more, behind)
		}
		escalation := strings.Index(s.text, "Đề nghị đồng chí chỉ đạo, đôn đốc")
		if escalated := escalation >= 0; escalated != !d.Before(day(2020, 4, 14)) {
			t.Errorf("%s to head of %s: escalation line present=%v", s.day, district, escalated)
		}
		if list := strings.Index(s.text, "• "); escalation > list && list >= 0 {
			t.Errorf("%s to head of %s: the escalation comes after the list", s.day, district)
		}
		if !strings.Contains(s.data, `"callback_data":"ack:chief-q1-2020"`) {
			t.Errorf("%s to head of %s: no Đã nhận button: %s", s.day, district, s.data)
		}
		if district == r.fastDistrict && d.After(day(2020, 3, 10)) {
			t.Errorf("%s: reminder to the head of %s, whose communes were all done", s.day, district)
		}
	}

	// The weekly digest: each Monday, one text, charts, one workbook.
	for d := day(2020, 2, 1); !d.After(day(2020, 4, 30)); d = d.AddDate(0, 0, 1) {
		methods := digestDays[d.Format("2006-01-02")]
		if d.Weekday() != time.Monday {
			if len(methods) > 0 {
				t.Errorf("%s: digest messages on a %s: %v", d.Format("02/01"), d.Weekday(), methods)
			}
			continue
		}
		count := map[string]int{}
		for _, m := range methods {
			count[m]++
		}
		if count["sendMessage"] < 1 || count["sendDocument"] != 1 || count["sendPhoto"] < 1 {
			t.Errorf("%s: digest sends %v, want the text (split when long), charts and one workbook", d.Format("02/01"), count)
		}
	}
	if res.tooMany != 0 {
		t.Errorf("tgtest answered %d times 429", res.tooMany)
	}
}

func diff(want, got []string) (missing, extra []string) {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	for k, n := range count {
		for ; n > 0; n-- {
			missing = append(missing, k)
		}
		for ; n < 0; n++ {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return missing, extra
}

func TestWalkFebruaryToApril(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			r, res := walk(t, be, 1, false)
			checkWalk(t, r, res)
		})
	}
}

// TestWalkTwoReplicas runs the same walk on two replicas sharing the store
// and the state, and kills one in the middle of a broadcast: every
// message still goes out exactly once.
func TestWalkTwoReplicas(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			r, res := walk(t, be, 2, true)
			checkWalk(t, r, res)
			if res.afterKill == 0 {
				t.Error("nothing was left for the survivor after the kill: the kill did not interrupt the broadcast")
			}
		})
	}
}
