package digest

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"github.com/wcharczuk/go-chart/v2/roboto"

	"github.com/caxbot/caxbot/store"
)

// MaxChartBars is the most districts one chart shows. A province has about
// ten; a national digest (700 districts) shows the MaxChartBars districts
// with the lowest rate instead, worst first, and says so in a caption: a
// chart of 700 bars cannot be read on a phone, and the districts that are
// behind are what the digest is for. The workbook still lists every one.
const MaxChartBars = 30

// The chart is laid out by hand on go-chart's renderer rather than with
// StackedBarChart: its horizontal mode stacks from the right, sizes the
// label column from the labels' height instead of their width (so long
// names such as "Thành phố Hòa Bình" are clipped) and cannot print the
// counts next to the bars.
const (
	chartWidth = 1200
	chartDPI   = 96
	pad        = 24
	rowHeight  = 34
	barHeight  = 22

	titlePoints = 16
	textPoints  = 12
	smallPoints = 10
)

var (
	colorBackground = drawing.ColorWhite
	colorText       = drawing.ColorFromHex("212121")
	colorMuted      = drawing.ColorFromHex("616161")
	colorGrid       = drawing.ColorFromHex("E0E0E0")
	colorTrack      = drawing.ColorFromHex("FFCDD2") // not done yet
	colorDone       = drawing.ColorFromHex("2E7D32")
)

// Chart writes a PNG of milestone milestoneIndex: one horizontal bar per
// district, the done share filled, with done/total and the rate printed
// beside it. Districts come in the progress's order, or worst first when
// there are more than MaxChartBars.
func Chart(w io.Writer, d Digest, milestoneIndex int) error {
	if milestoneIndex < 0 || milestoneIndex >= len(d.Milestones) {
		return fmt.Errorf("%w: index %d of %d", ErrNoMilestone, milestoneIndex, len(d.Milestones))
	}
	if d.Location == nil {
		return ErrNoLocation
	}
	m := d.Milestones[milestoneIndex]
	rows, truncated := chartRows(m.Progress.Districts)

	// Parsed per chart (about a millisecond) rather than with
	// chart.GetDefaultFont, whose cache is read without its lock and so
	// races when the first charts are drawn concurrently.
	font, err := truetype.Parse(roboto.Roboto)
	if err != nil {
		return fmt.Errorf("digest: chart font: %w", err)
	}
	header := 3*rowHeight + pad // title, subtitle, legend
	if truncated {
		header += rowHeight
	}
	footer := 2*rowHeight + pad // tick labels, axis title
	height := pad + header + max(len(rows), 1)*rowHeight + footer
	r, err := chart.PNG(chartWidth, height)
	if err != nil {
		return fmt.Errorf("digest: chart canvas: %w", err)
	}
	r.SetDPI(chartDPI)
	r.SetFont(font)
	fillRect(r, 0, 0, chartWidth, height, colorBackground)

	// Header: title, then deadline and overall figures, then the legend.
	y := pad
	title := nfc(m.Title)
	setText(r, titlePoints, colorText)
	title = fit(r, title, chartWidth-2*pad)
	r.Text(title, pad, baseline(y, titlePoints))
	y += rowHeight

	p := m.Progress
	subtitle := fmt.Sprintf("%s: %s   ·   %s: %s", nfc(d.Labels.Deadline), m.Deadline.In(d.Location).Format(dateLayout),
		nfc(d.Labels.Done), countText(p.Done, p.Total))
	setText(r, textPoints, colorMuted)
	r.Text(fit(r, subtitle, chartWidth-2*pad), pad, baseline(y, textPoints))
	y += rowHeight

	x := pad
	for _, item := range []struct {
		label string
		color drawing.Color
	}{{d.Labels.Done, colorDone}, {d.Labels.NotDone, colorTrack}} {
		fillRect(r, x, y+rowHeight/2-7, x+14, y+rowHeight/2+7, item.color)
		x += 20
		setText(r, textPoints, colorText)
		label := nfc(item.label)
		r.Text(label, x, baseline(y, textPoints))
		x += r.MeasureText(label).Width() + 24
	}
	y += rowHeight

	if truncated {
		caption := fmt.Sprintf("%s (%d/%d)", nfc(d.Labels.ChartWorst), len(rows), len(p.Districts))
		setText(r, textPoints, colorMuted)
		r.Text(fit(r, caption, chartWidth-2*pad), pad, baseline(y, textPoints))
		y += rowHeight
	}
	y += pad

	// Columns: district names right-aligned against the bars, the figures
	// after them. Both are measured so that nothing is clipped.
	setText(r, textPoints, colorText)
	labels := make([]string, len(rows))
	labelWidth := 0
	for i, dp := range rows {
		labels[i] = fit(r, nfc(dp.District.Name), chartWidth/3)
		labelWidth = max(labelWidth, r.MeasureText(labels[i]).Width())
	}
	values := make([]string, len(rows))
	valueWidth := 0
	for i, dp := range rows {
		values[i] = countText(dp.Done, dp.Total)
		valueWidth = max(valueWidth, r.MeasureText(values[i]).Width())
	}
	left := pad + labelWidth + 12
	right := chartWidth - pad - valueWidth - 12
	top := y
	bottom := top + max(len(rows), 1)*rowHeight

	// Grid and ticks every 20%.
	for tick := 0; tick <= 100; tick += 20 {
		tx := left + (right-left)*tick/100
		strokeLine(r, tx, top, tx, bottom+4, colorGrid)
		label := fmt.Sprintf("%d%%", tick)
		setText(r, smallPoints, colorMuted)
		r.Text(label, tx-r.MeasureText(label).Width()/2, baseline(bottom, smallPoints))
	}

	for i, dp := range rows {
		rowTop := top + i*rowHeight
		setText(r, textPoints, colorText)
		r.Text(labels[i], left-12-r.MeasureText(labels[i]).Width(), baseline(rowTop, textPoints))

		barTop := rowTop + (rowHeight-barHeight)/2
		fillRect(r, left, barTop, right, barTop+barHeight, colorTrack)
		if doneRight := left + int(float64(right-left)*rate(dp.Done, dp.Total)); doneRight > left {
			fillRect(r, left, barTop, doneRight, barTop+barHeight, colorDone)
		}
		setText(r, textPoints, colorText)
		r.Text(values[i], right+12, baseline(rowTop, textPoints))
	}
	strokeLine(r, left, top, left, bottom, colorMuted)

	axis := nfc(d.Labels.ChartAxis)
	setText(r, textPoints, colorMuted)
	axis = fit(r, axis, right-left)
	r.Text(axis, left+(right-left-r.MeasureText(axis).Width())/2, baseline(bottom+rowHeight, textPoints))

	if err := r.Save(w); err != nil {
		return fmt.Errorf("digest: encode chart: %w", err)
	}
	return nil
}

// chartRows picks the districts to draw and reports whether some were left
// out.
func chartRows(districts []store.DistrictProgress) ([]store.DistrictProgress, bool) {
	if len(districts) <= MaxChartBars {
		return districts, false
	}
	worst := slices.Clone(districts)
	slices.SortStableFunc(worst, func(a, b store.DistrictProgress) int {
		return cmp.Or(
			cmp.Compare(rate(a.Done, a.Total), rate(b.Done, b.Total)),
			cmp.Compare(b.Total-b.Done, a.Total-a.Done), // more communes behind first
			cmp.Compare(a.District.Code, b.District.Code),
		)
	})
	return worst[:MaxChartBars], true
}

// countText is "12/15 (80%)"; a whole percent reads the same in every
// language, where a decimal separator would not.
func countText(done, total int) string {
	return fmt.Sprintf("%d/%d (%.0f%%)", done, total, 100*rate(done, total))
}

func setText(r chart.Renderer, points float64, c drawing.Color) {
	r.SetFontSize(points)
	r.SetFontColor(c)
}

// baseline puts text of the given size in the middle of a row starting at
// top. It uses the font size rather than the measured text, whose height
// changes with the accents (Ố is taller than O), so that a row of names
// shares one baseline.
func baseline(top int, points float64) int {
	px := points * chartDPI / 72
	return top + rowHeight/2 + int(0.36*px)
}

// fit shortens s with an ellipsis until it is at most width pixels wide in
// the renderer's current font.
func fit(r chart.Renderer, s string, width int) string {
	if r.MeasureText(s).Width() <= width {
		return s
	}
	runes := []rune(s)
	for len(runes) > 1 {
		runes = runes[:len(runes)-1]
		if short := string(runes) + "…"; r.MeasureText(short).Width() <= width {
			return short
		}
	}
	return "…"
}

func fillRect(r chart.Renderer, x0, y0, x1, y1 int, c drawing.Color) {
	r.SetFillColor(c)
	r.MoveTo(x0, y0)
	r.LineTo(x1, y0)
	r.LineTo(x1, y1)
	r.LineTo(x0, y1)
	r.Close()
	r.Fill()
}

func strokeLine(r chart.Renderer, x0, y0, x1, y1 int, c drawing.Color) {
	r.SetStrokeColor(c)
	r.SetStrokeWidth(1)
	r.SetStrokeDashArray(nil)
	r.MoveTo(x0, y0)
	r.LineTo(x1, y1)
	r.Stroke()
}
