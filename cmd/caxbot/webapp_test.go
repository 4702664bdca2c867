package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestMiniAppForecast: the Mini App shows the store's forecast of the
// demo's world, the same as DB.Forecast, once computed for the day.
func TestMiniAppForecast(t *testing.T) {
	env := copyStore(t)
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(env["CAXBOT_DATA_DIR"], "caxbot.db"), storetest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2020, 4, 30, 12, 0, 0, 0, loc)
	m, err := db.Milestone(ctx, "deputies-2024")
	if err != nil {
		t.Fatal(err)
	}
	province := store.Scope{Role: store.RoleProvince, Code: "17"}
	want, err := db.Forecast(ctx, m.ID, province, now)
	if err != nil {
		t.Fatal(err)
	}
	f := &forecaster{db: db, now: func() time.Time { return now }, loc: loc}
	got, ok, err := f.Forecast(ctx, m, province)
	if err != nil {
		t.Fatal(err)
	}
	switch want.Scope.State {
	case store.ForecastExpected:
		if !ok || !got.Date.Equal(want.Scope.Expected) || got.OnTime == want.Scope.Late(m.StageAt(now).Deadline) {
			t.Errorf("forecast %+v, %v; the store's %+v", got, ok, want.Scope)
		}
	case store.ForecastStalled:
		if !ok || got.StalledWeeks != want.Scope.Weeks() {
			t.Errorf("forecast %+v, %v; the store's %+v", got, ok, want.Scope)
		}
	default:
		if ok {
			t.Errorf("forecast %+v; the store has none (%s)", got, want.Scope.State)
		}
	}
	if want.Scope.State != store.ForecastExpected && want.Scope.State != store.ForecastStalled {
		t.Errorf("the demo's deputies on 30/04/2020 have no forecast to show (%s): the test shows nothing", want.Scope.State)
	}
	// Kept for the day: a closed store cannot answer again.
	db.Close()
	again, ok2, err := f.Forecast(ctx, m, province)
	if err != nil || again != got || ok2 != ok {
		t.Errorf("same day again: %+v, %v, %v; want %+v kept", again, ok2, err, got)
	}
}
