package digest

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
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
