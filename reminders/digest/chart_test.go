package digest

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// bar is a bar found in a rendered chart: its done share, measured in
// pixels.
type bar struct {
	top, height int
	done        float64
}

// findBars scans a chart for the bars: runs of rows that hold the done or
// the track colour, tall enough to be a bar rather than a legend swatch.
func findBars(img image.Image) []bar {
	is := func(c color.Color, want color.Color) bool {
		r1, g1, b1, _ := c.RGBA()
		r2, g2, b2, _ := want.RGBA()
		return r1 == r2 && g1 == g2 && b1 == b2
	}
	b := img.Bounds()
	count := func(y int) (done, track int) {
		for x := b.Min.X; x < b.Max.X; x++ {
			switch c := img.At(x, y); {
			case is(c, colorDone):
				done++
			case is(c, colorTrack):
				track++
			}
		}
		return done, track
	}
	var bars []bar
	start := -1
	for y := b.Min.Y; y <= b.Max.Y; y++ {
		inBar := false
		if y < b.Max.Y {
			done, track := count(y)
			inBar = done+track > 0
		}
		switch {
		case inBar && start < 0:
			start = y
		case !inBar && start >= 0:
			if h := y - start; h >= barHeight-2 {
				done, track := count(start + h/2)
				bars = append(bars, bar{top: start, height: h, done: float64(done) / float64(done+track)})
			}
			start = -1
		}
	}
	return bars
}

func decodeChart(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	return img
}

func TestChart(t *testing.T) {
	fx := hoaBinhDigest(t)
	for i, m := range fx.digest.Milestones {
		t.Run(m.Title, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Chart(&buf, fx.digest, i); err != nil {
				t.Fatalf("Chart: %v", err)
			}
			path := filepath.Join(t.TempDir(), "chart.png")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			// CAXBOT_CHART_SAMPLE=/tmp/caxbot-chart-sample.png keeps the first
			// chart for a person to look at (diacritics, clipped labels).
			if sample := os.Getenv("CAXBOT_CHART_SAMPLE"); sample != "" && i == 0 {
				if err := os.WriteFile(sample, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}

			img := decodeChart(t, buf.Bytes())
			if w := img.Bounds().Dx(); w != chartWidth {
				t.Errorf("width = %d, want %d", w, chartWidth)
			}
			districts := m.Progress.Districts
			if h := img.Bounds().Dy(); h < len(districts)*rowHeight {
				t.Errorf("height = %d, too small for %d districts", h, len(districts))
			}
			bars := findBars(img)
			if len(bars) != len(districts) {
				t.Fatalf("found %d bars, want one per district (%d)", len(bars), len(districts))
			}
			for j, dp := range districts {
				want := rate(dp.Done, dp.Total)
				if math.Abs(bars[j].done-want) > 0.01 {
					t.Errorf("bar %d (%s): done share %.3f, want %.3f (%d/%d)", j, dp.District.Name, bars[j].done, want, dp.Done, dp.Total)
				}
			}
			if !hasDarkPixelsLeftOf(img, bars[0]) {
				t.Error("no district label drawn left of the first bar")
			}
		})
	}
}

// hasDarkPixelsLeftOf reports whether text was drawn in the label column
// beside b.
func hasDarkPixelsLeftOf(img image.Image, b bar) bool {
	for y := b.top; y < b.top+b.height; y++ {
		for x := 0; x < img.Bounds().Dx()/3; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0x8000 && g < 0x8000 && bl < 0x8000 {
				return true
			}
		}
	}
	return false
}

func TestChartNationalShowsWorstDistricts(t *testing.T) {
	fx := nationalDigest(t)
	var buf bytes.Buffer
	if err := Chart(&buf, fx.digest, 1); err != nil {
		t.Fatalf("Chart: %v", err)
	}
	bars := findBars(decodeChart(t, buf.Bytes()))
	if len(bars) != MaxChartBars {
		t.Fatalf("found %d bars, want %d", len(bars), MaxChartBars)
	}
	best := 1.0
	for _, dp := range fx.digest.Milestones[1].Progress.Districts {
		best = min(best, rate(dp.Done, dp.Total))
	}
	if math.Abs(bars[0].done-best) > 0.01 {
		t.Errorf("first bar %.3f, want the lowest rate %.3f", bars[0].done, best)
	}
	last, lower := bars[len(bars)-1].done, 0
	for _, dp := range fx.digest.Milestones[1].Progress.Districts {
		if rate(dp.Done, dp.Total) < last-0.01 {
			lower++
		}
	}
	if lower >= MaxChartBars {
		t.Errorf("%d districts are below the last bar shown (%.3f)", lower, last)
	}
	for i := 1; i < len(bars); i++ {
		if bars[i].done < bars[i-1].done-0.01 {
			t.Errorf("bar %d (%.3f) is below bar %d (%.3f): want worst first", i, bars[i].done, i-1, bars[i-1].done)
		}
	}
}

func TestChartErrors(t *testing.T) {
	fx := hoaBinhDigest(t)
	noZone := fx.digest
	noZone.Location = nil
	tests := []struct {
		name  string
		d     Digest
		index int
		want  error
	}{
		{"index past the end", fx.digest, len(fx.digest.Milestones), ErrNoMilestone},
		{"negative index", fx.digest, -1, ErrNoMilestone},
		{"no time zone", noZone, 0, ErrNoLocation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Chart(&buf, tt.d, tt.index); !errors.Is(err, tt.want) {
				t.Errorf("Chart = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestChartEmptyMilestone(t *testing.T) {
	fx := hoaBinhDigest(t)
	d := fx.digest
	d.Milestones = []MilestoneDigest{{Title: "Không có xã nào", Deadline: fx.weekStart}}
	var buf bytes.Buffer
	if err := Chart(&buf, d, 0); err != nil {
		t.Fatalf("Chart: %v", err)
	}
	if bars := findBars(decodeChart(t, buf.Bytes())); len(bars) != 0 {
		t.Errorf("found %d bars for a milestone without districts", len(bars))
	}
}

// reportDigest is the Hòa Bình digest of 29/03/2020 with one milestone, the
// districts' implementation plans due 31/01/2020: three filed on time, three
// late, the rest not at all.
func reportDigest(tb testing.TB) (Digest, map[string]time.Time) {
	fx := hoaBinhDigest(tb)
	loc := fx.digest.Location
	m := store.Milestone{ID: "district-plans", Kind: store.KindDistrictReport,
		Start: time.Date(2020, 1, 1, 0, 0, 0, 0, loc), Deadline: time.Date(2020, 1, 31, 0, 0, 0, 0, loc)}
	var districts []store.District
	var communes []store.Commune
	for _, d := range hoaBinh {
		districts = append(districts, store.District{Code: d.code, Name: d.name})
		for _, c := range d.communes {
			communes = append(communes, store.Commune{Code: c[0], Name: c[1], Type: store.CommuneType(c[2]), DistrictCode: d.code})
		}
	}
	filed := map[string]time.Time{}
	for i, d := range districts[:6] {
		at := time.Date(2020, 1, 20+i, 10, 0, 0, 0, loc) // 20-25/01: on time
		if i >= 3 {
			at = time.Date(2020, 2, 10*(i-2), 15, 0, 0, 0, loc) // 10/02, 20/02, 01/03: late
		}
		filed[d.Code] = at
	}
	submitted := map[string]bool{}
	for code := range filed {
		submitted[code] = true
	}
	progress := store.Evaluate(m, store.Roster{Districts: districts, Communes: communes, Submitted: submitted})
	d := fx.digest
	d.Milestones = []MilestoneDigest{{Progress: progress, Title: "Các huyện, thành phố xây dựng kế hoạch triển khai Đề án",
		Deadline: m.Deadline, Submitted: filed}}
	return d, filed
}

// TestChartDistrictReport: a district_report milestone is drawn as a
// timeline, each district's bar in the colour of its standing, ending on
// the day it filed or, for those that have not, on the digest's day; the
// bars of those that filed on time end before those that filed late.
func TestChartDistrictReport(t *testing.T) {
	d, filed := reportDigest(t)
	var buf bytes.Buffer
	if err := Chart(&buf, d, 0); err != nil {
		t.Fatalf("Chart: %v", err)
	}
	if sample := os.Getenv("CAXBOT_CHART_SAMPLE"); sample != "" {
		if err := os.WriteFile(strings.TrimSuffix(sample, ".png")+"-report.png", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img := decodeChart(t, buf.Bytes())
	districts := d.Milestones[0].Progress.Districts
	rows := timelineRows(img, len(districts))
	if len(rows) != len(districts) {
		t.Fatalf("found %d bars, want one per district (%d)", len(rows), len(districts))
	}
	var onTimeEnd, lateEnd, openEnd []int
	for i, dp := range districts {
		at, ok := filed[dp.District.Code]
		want := colorTrack
		switch {
		case ok && at.Before(d.Milestones[0].Deadline.AddDate(0, 0, 1)):
			want = colorDone
			onTimeEnd = append(onTimeEnd, rows[i].end)
		case ok:
			want = colorLate
			lateEnd = append(lateEnd, rows[i].end)
		default:
			openEnd = append(openEnd, rows[i].end)
		}
		if !sameColor(rows[i].color, want) {
			t.Errorf("bar %d (%s): colour %v, want %v", i, dp.District.Name, rows[i].color, want)
		}
	}
	if slices.Max(onTimeEnd) >= slices.Min(lateEnd) {
		t.Errorf("bars of filings on time end at %v, late ones at %v: want the late ones longer", onTimeEnd, lateEnd)
	}
	if slices.Min(openEnd) != slices.Max(openEnd) || slices.Max(lateEnd) >= openEnd[0] {
		t.Errorf("bars of districts that have not filed end at %v, want all at the digest's day, after every filing (%v)", openEnd, lateEnd)
	}
}

// timelineRow is a bar of a timeline chart: its colour and right end.
type timelineRow struct {
	color color.Color
	end   int
}

// timelineRows finds the bars of a timeline chart: rows of pixels that
// hold one of the bar colours over a bar's height, read across the
// middle of each.
func timelineRows(img image.Image, _ int) []timelineRow {
	b := img.Bounds()
	isBar := func(c color.Color) bool {
		return sameColor(c, colorDone) || sameColor(c, colorLate) || sameColor(c, colorTrack)
	}
	barAt := func(y int) (color.Color, int, bool) {
		// The bar starts at the plot's left edge, right of the labels.
		for x := b.Min.X + chartWidth/4; x < b.Max.X; x++ {
			if c := img.At(x, y); isBar(c) {
				// The deadline's line, one pixel wide, crosses the bar.
				end := x
				for end+2 < b.Max.X && (sameColor(img.At(end+1, y), c) || sameColor(img.At(end+2, y), c)) {
					end++
				}
				return c, end, end-x > 1
			}
		}
		return nil, 0, false
	}
	var out []timelineRow
	start := -1
	for y := b.Min.Y; y <= b.Max.Y; y++ {
		_, _, in := barAt(y)
		if y == b.Max.Y {
			in = false
		}
		switch {
		case in && start < 0:
			start = y
		case !in && start >= 0:
			if h := y - start; h >= barHeight-2 {
				c, end, _ := barAt(start + h/2)
				out = append(out, timelineRow{color: c, end: end})
			}
			start = -1
		}
	}
	return out
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2
}

func TestCountText(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := cat.Printer("vi", time.UTC).Num, cat.Printer("en", time.UTC).Num
	for _, tt := range []struct {
		num         func(int) string
		done, total int
		want        string
	}{
		{vi, 12, 15, "12/15 (80%)"},
		{vi, 4488, 8966, "4.488/8.966 (50%)"},
		{en, 10643, 10643, "10,643/10,643 (100%)"},
		{nil, 4488, 8966, "4488/8966 (50%)"},
		{vi, 0, 0, "0/0 (0%)"},
	} {
		if got := countText(Labels{Num: tt.num}, tt.done, tt.total); got != tt.want {
			t.Errorf("countText(%d, %d) = %q, want %q", tt.done, tt.total, got, tt.want)
		}
	}
}

// TestRendererReuse: a Renderer keeps its canvas, glyph caches and
// compressors from one file to the next, and each file comes out as it
// does from a fresh Renderer: a province's chart after a taller national
// one and a timeline, a timeline after those, and a workbook after
// another workbook and charts.
func TestRendererReuse(t *testing.T) {
	province := hoaBinhDigest(t).digest
	national := nationalDigest(t).digest
	report, _ := reportDigest(t)
	var r Renderer
	chart := func(r *Renderer, d Digest, i int) []byte {
		t.Helper()
		var buf bytes.Buffer
		if err := r.Chart(&buf, d, i); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	workbook := func(r *Renderer, d Digest) []byte {
		t.Helper()
		var buf bytes.Buffer
		if err := r.Workbook(&buf, d); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	first, firstReport := chart(new(Renderer), province, 0), chart(new(Renderer), report, 0)
	firstBook := workbook(new(Renderer), province)
	chart(&r, province, 0)
	workbook(&r, report)
	chart(&r, national, 1)
	chart(&r, report, 0)
	if again := chart(&r, province, 0); !bytes.Equal(again, first) {
		t.Errorf("the province's chart after others: %d bytes, not the %d of the first", len(again), len(first))
	}
	if again := chart(&r, report, 0); !bytes.Equal(again, firstReport) {
		t.Errorf("the timeline after others: %d bytes, not the %d of the first", len(again), len(firstReport))
	}
	if again := zipParts(t, workbook(&r, province)); !maps.EqualFunc(again, zipParts(t, firstBook), bytes.Equal) {
		t.Error("the workbook after others differs from the first")
	}
}

// zipParts returns the files of a zip archive by name: excelize writes a
// workbook's parts in no fixed order.
func zipParts(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := make(map[string][]byte)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = data
	}
	return parts
}
