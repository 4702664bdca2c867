package reminders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestDrainOnSend(t *testing.T) {
	h := newHarness(t, text(1001, "a"), text(1002, "b"), text(1003, "c"), text(1004, "d"))
	h.sender.errs[1002] = []error{&ThrottledError{RetryAfter: time.Second}}
	h.sender.errs[1003] = []error{ErrRecipientGone}
	h.sender.errs[1004] = []error{errors.New("connection reset")}
	var got []string
	h.drainer.OnSend = func(result string) { got = append(got, result) }
	if _, err := h.drainer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"ok", "429", "403", "error"}; !slices.Equal(got, want) {
		t.Errorf("OnSend got %q, want %q", got, want)
	}
}

// releasingOutbox is a fakeOutbox that can give back claims.
type releasingOutbox struct {
	*fakeOutbox
}

func (o releasingOutbox) ReleaseClaims(_ context.Context, ids []int64, owner string) error {
	for _, id := range ids {
		delete(o.leased, id)
		o.log = append(o.log, fmt.Sprintf("release %d by %s", id, owner))
	}
	return nil
}

func TestDrainReleasesWhatItDidNotSendOnStop(t *testing.T) {
	h := newHarness(t, text(1001, "a"), text(1002, "b"), text(1003, "c"))
	out := releasingOutbox{h.outbox}
	h.drainer.Outbox, h.drainer.ReleaseOnStop = out, true
	ctx, cancel := context.WithCancel(context.Background())
	h.sender.hook = cancel // the replica is told to stop during its first send
	if _, err := h.drainer.Drain(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The send in flight is finished and recorded; the rest go back.
	want := []string{"sent 1", "release 2 by test", "release 3 by test"}
	if !slices.Equal(out.log, want) {
		t.Errorf("outbox %q, want %q", out.log, want)
	}
	// Another replica claims them at once, not when the lease runs out.
	got, err := out.Claim(context.Background(), h.clock.Now(), 10, "other", time.Minute)
	if err != nil || len(got) != 2 {
		t.Errorf("claim after the release = %d items, %v; want 2", len(got), err)
	}
}
