package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestGroupChats(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		at := time.Date(2020, 3, 16, 2, 0, 0, 0, time.UTC)
		if _, err := db.GroupChat(ctx, -1); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a group never bound: %v, want ErrNotFound", err)
		}
		for _, bad := range []GroupChat{
			{ChatID: -1, Role: RoleCommune, Scope: "05287", BoundBy: 7, BoundAt: at},
			{ChatID: 7, Role: RoleDistrict, Scope: "157", BoundBy: 7, BoundAt: at},
		} {
			if err := db.BindGroupChat(ctx, bad); err == nil {
				t.Errorf("bound %+v", bad)
			}
		}
		g := GroupChat{ChatID: -1, Role: RoleDistrict, Scope: "157", Title: "Công an huyện Lạc Sơn", Lang: "vi", BoundBy: 7, BoundAt: at}
		if err := db.BindGroupChat(ctx, g); err != nil {
			t.Fatal(err)
		}
		g.Role, g.Scope, g.BoundBy = RoleProvince, "17", 8
		if err := db.BindGroupChat(ctx, g); err != nil {
			t.Fatal(err)
		}
		got, err := db.GroupChat(ctx, -1)
		if err != nil || got != g {
			t.Fatalf("group chat = %+v, %v; want %+v", got, err, g)
		}
		if err := db.BindGroupChat(ctx, GroupChat{ChatID: -2, Role: RoleDistrict, Scope: "150", BoundBy: 9, BoundAt: at}); err != nil {
			t.Fatal(err)
		}
		all, err := db.GroupChats(ctx)
		if err != nil || len(all) != 2 || all[0].ChatID != -2 || all[1].ChatID != -1 {
			t.Fatalf("group chats = %+v, %v", all, err)
		}
		if err := db.UnbindGroupChat(ctx, -1, "user:8", at); err != nil {
			t.Fatal(err)
		}
		if err := db.UnbindGroupChat(ctx, -1, "user:8", at); !errors.Is(err, ErrNotFound) {
			t.Errorf("unbind twice: %v, want ErrNotFound", err)
		}
		// A group that removed the bot: its reminder is gone, and so is
		// its binding.
		if _, err := db.Enqueue(ctx, []OutboxItem{outboxItem("g", -2, at)}); err != nil {
			t.Fatal(err)
		}
		items, err := db.Claim(ctx, at, 1, "one", time.Minute)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim = %v, %v", items, err)
		}
		if err := db.MarkGone(ctx, items[0].ID, -2, at); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GroupChat(ctx, -2); !errors.Is(err, ErrNotFound) {
			t.Errorf("the group that removed the bot is still bound: %v", err)
		}
	})
}
