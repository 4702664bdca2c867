package propose

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// nationalRoster is the country's communes of 01/03/2020, from the
// shared data beside the repository.
const nationalRoster = "../../../shared/data/vietnam_communes_2020.csv"

// nationalInput builds the benchmark's proposal: every commune of the
// country on the seed plan, 10,000 posts not yet regular spread over the
// xã and thị trấn by a fixed draw (chiefs, deputies and officers), and
// 2,000 people of the register, a third of them senior enough to be chief.
func nationalInput(tb testing.TB) Input {
	tb.Helper()
	f, err := os.Open(nationalRoster)
	if err != nil {
		tb.Skipf("national roster not found (%v)", err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	in := Input{Day: day(2020, 4, 20), Milestones: store.SeedPlan(ict).Milestones, Rule: store.SeedPlan(ict).Eligibility}
	seen := make(map[string]bool)
	for _, r := range records[1:] {
		if !seen[r[2]] {
			seen[r[2]] = true
			in.Districts = append(in.Districts, store.District{Code: r[2], Name: r[3], ProvinceCode: r[0]})
		}
		in.Communes = append(in.Communes, store.Commune{Code: r[4], Name: r[5], Type: store.CommuneType(r[6]), DistrictCode: r[2]})
	}
	rng := rand.New(rand.NewPCG(19, 10000))
	open := 0
	statuses := []store.Status{store.Semi, store.Vacant}
	for _, c := range in.Communes {
		for _, k := range []struct {
			kind  store.PostKind
			slots int
		}{{store.Chief, 1}, {store.Deputy, 1}, {store.Officer, 4}} {
			for slot := 1; slot <= k.slots; slot++ {
				p := store.Post{CommuneCode: c.Code, Kind: k.kind, Slot: slot, Status: store.Regular}
				if c.InPlan() && open < 10000 && rng.IntN(53) < 10 {
					p.Status = statuses[rng.IntN(2)]
					open++
				}
				in.Posts = append(in.Posts, p)
			}
		}
	}
	since := day(2008, 9, 1)
	graduated := day(2019, 8, 1)
	for i := range 2000 {
		p := store.Candidate{ID: fmt.Sprintf("N-%04d", i), Name: fmt.Sprintf("Người %d", i), Rank: "thieu_uy", ServiceSince: &graduated,
			HomeCommune: in.Communes[rng.IntN(len(in.Communes))].Code, AvailableFrom: time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC),
			Status: store.CandidateAvailable}
		if i%3 == 0 {
			p.Rank, p.ServiceSince = "dai_uy", &since
		}
		in.People = append(in.People, p)
	}
	return in
}

// BenchmarkProposeNational makes the proposal of the national roster:
// 10,000 posts not yet regular, 2,000 people. It reports the process's
// CPU time per proposal (user and system, from getrusage), steadier than
// wall time on a shared machine.
//
//	go test ./reminders/propose -run '^$' -bench ProposeNational -benchtime 3x
func BenchmarkProposeNational(b *testing.B) {
	in := nationalInput(b)
	var seats int
	var placed int
	before := cpuTime(b)
	for b.Loop() {
		p := Make(in)
		seats, placed = p.Seats, len(p.Rows)
	}
	b.ReportMetric((cpuTime(b)-before).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(seats), "seats")
	b.ReportMetric(float64(placed), "placed")
}

func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestProposeNationalShape checks the benchmark's proposal once in the
// ordinary test run: every person placed, nobody where the rule forbids.
func TestProposeNationalShape(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("the national proposal is checked in the ordinary run, not with -short or -race")
	}
	in := nationalInput(t)
	p := Make(in)
	if p.Seats < 10000 || len(p.Rows) != 2000 {
		t.Fatalf("%d seats, %d placed; want at least 10,000 seats and all 2,000 people placed", p.Seats, len(p.Rows))
	}
	checkRows(t, in, p)
}
