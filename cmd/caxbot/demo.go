package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/caxbot/caxbot/store"
)

// The seed province's roster (statistics office, 01/03/2020), as in
// ../shared/data/hoabinh_communes_2020.csv.
//
//go:embed demodata/hoabinh_communes_2020.csv
var demoRoster []byte

//go:embed demodata/names.txt
var demoNames []byte

// pilotCount is how many communes the article says had regular police in
// 2019; which ones is not public, so the demo picks them.
const pilotCount = 28

// Staffing is an illustrative roster state: every post of every commune,
// and the communes chosen as having had regular police since 2019.
type Staffing struct {
	Posts []store.PostRow
	Pilot []string
}

// names holds the parts of illustrative person names.
type names struct{ family, middle, given []string }

func parseNames(b []byte) names {
	var lines [][]string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var words []string
		for _, w := range strings.Fields(line) {
			words = append(words, strings.ReplaceAll(w, "_", " "))
		}
		lines = append(lines, words)
	}
	if len(lines) < 3 {
		return names{}
	}
	return names{family: lines[0], middle: lines[1], given: lines[2]}
}

func (n names) pick(r *rand.Rand) string {
	if len(n.family) == 0 {
		return ""
	}
	return n.family[r.IntN(len(n.family))] + " " + n.middle[r.IntN(len(n.middle))] + " " + n.given[r.IntN(len(n.given))]
}

// IllustrativeStaffing makes up a plausible staffing state at the start of
// 2020, the same for the same seed: pilotCount communes with regular
// chiefs since 2019, a quarter of the others already given a regular chief
// in early 2020, semi-professional or vacant deputies and officers
// elsewhere, and wards fully regular.
func IllustrativeStaffing(communes []store.Commune, seed uint64, n names, loc *time.Location) Staffing {
	r := rand.New(rand.NewPCG(seed, 0x63617862))
	var planned []string
	for _, c := range communes {
		if c.InPlan() {
			planned = append(planned, c.Code)
		}
	}
	pilot := pickN(r, planned, pilotCount)
	isPilot := make(map[string]bool, len(pilot))
	for _, c := range pilot {
		isPilot[c] = true
	}
	day := func(year int, month time.Month, maxDay int) *time.Time {
		t := time.Date(year, month, 1+r.IntN(maxDay), 0, 0, 0, 0, loc)
		return &t
	}
	var out Staffing
	out.Pilot = pilot
	add := func(c string, kind store.PostKind, slot int, status store.Status, since *time.Time) {
		holder := ""
		if status != store.Vacant {
			holder = n.pick(r)
		} else {
			since = nil
		}
		out.Posts = append(out.Posts, store.PostRow{Line: len(out.Posts) + 2, Post: store.Post{
			CommuneCode: c, Kind: kind, Slot: slot, Status: status, Holder: holder, Since: since,
		}})
	}
	for _, c := range communes {
		deputies, officers := 1+r.IntN(2), 3+r.IntN(3)
		switch {
		case !c.InPlan():
			add(c.Code, store.Chief, 1, store.Regular, day(2018, time.Month(1+r.IntN(12)), 28))
			for s := 1; s <= deputies; s++ {
				add(c.Code, store.Deputy, s, store.Regular, day(2018, time.Month(1+r.IntN(12)), 28))
			}
			for s := 1; s <= officers; s++ {
				add(c.Code, store.Officer, s, store.Regular, day(2019, time.Month(1+r.IntN(12)), 28))
			}
		case isPilot[c.Code]:
			add(c.Code, store.Chief, 1, store.Regular, day(2019, time.Month(6+r.IntN(6)), 28))
			add(c.Code, store.Deputy, 1, store.Regular, day(2019, time.Month(6+r.IntN(6)), 28))
			for s := 2; s <= deputies; s++ {
				add(c.Code, store.Deputy, s, store.Semi, day(2015+r.IntN(4), time.Month(1+r.IntN(12)), 28))
			}
			for s := 1; s <= officers; s++ {
				add(c.Code, store.Officer, s, semiOrVacant(r, 5), day(2014+r.IntN(5), time.Month(1+r.IntN(12)), 28))
			}
		default:
			if r.IntN(4) == 0 {
				add(c.Code, store.Chief, 1, store.Regular, day(2020, time.Month(1+r.IntN(2)), 28))
			} else {
				add(c.Code, store.Chief, 1, semiOrVacant(r, 6), day(2012+r.IntN(7), time.Month(1+r.IntN(12)), 28))
			}
			for s := 1; s <= deputies; s++ {
				add(c.Code, store.Deputy, s, semiOrVacant(r, 4), day(2013+r.IntN(6), time.Month(1+r.IntN(12)), 28))
			}
			for s := 1; s <= officers; s++ {
				add(c.Code, store.Officer, s, semiOrVacant(r, 3), day(2012+r.IntN(7), time.Month(1+r.IntN(12)), 28))
			}
		}
	}
	return out
}

// semiOrVacant is semi-professional, or vacant one time in oneIn.
func semiOrVacant(r *rand.Rand, oneIn int) store.Status {
	if r.IntN(oneIn) == 0 {
		return store.Vacant
	}
	return store.Semi
}

// pickN chooses n of codes at random, keeping their order.
func pickN(r *rand.Rand, codes []string, n int) []string {
	idx := r.Perm(len(codes))[:min(n, len(codes))]
	slices.Sort(idx)
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, codes[i])
	}
	return out
}
