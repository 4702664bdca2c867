package digest

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/golang/freetype/truetype"
	"github.com/wcharczuk/go-chart/v2/roboto"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/caxbot/caxbot/store"
)

// MaxChartBars is the most districts one chart shows. A province has about
// ten; a national digest (700 districts) shows the MaxChartBars districts
// furthest behind instead, worst first, and says so in a caption: a chart
// of 700 bars cannot be read on a phone, and the districts that are behind
// are what the digest is for. The workbook still lists every one.
const MaxChartBars = 30

// The chart is laid out by hand rather than with go-chart's
// StackedBarChart: its horizontal mode stacks from the right, sizes the
// label column from the labels' height instead of their width (so long
// names such as "Thành phố Hòa Bình" are clipped) and cannot print the
// counts next to the bars. Text is drawn with go-chart's Roboto through
// font faces that keep each glyph they rendered, bars are filled straight
// on the image: a province's chart takes a few milliseconds, and the
// weekly job draws one per province.
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

// The chart's colours. Bars and swatches are flat colours; everything
// else is grey: the text (dark or muted) is drawn on white only, and its
// smoothed edges are the greys between it and white. A chart is drawn
// straight on an 8-bit paletted image of these (chartPalette): a quarter
// of the memory of RGBA, and a PNG with no per-row filter to choose.
var (
	colorTrack = color.RGBA{0xFF, 0xCD, 0xD2, 0xFF} // not done yet
	colorDone  = color.RGBA{0x2E, 0x7D, 0x32, 0xFF}
	colorLate  = color.RGBA{0xF9, 0xA8, 0x25, 0xFF} // done after the deadline
)

// A colour is its index in chartPalette.
type paint uint8

const (
	paintDone  paint = 0
	paintTrack paint = 1
	paintLate  paint = 2
	firstGray        = 0x21 // the darkest grey, paintText
)

// gray is the palette index of the grey level v (firstGray to 0xFF).
func gray(v uint8) paint { return paint(3 + int(v) - firstGray) }

var (
	paintBackground = gray(0xFF)
	paintText       = gray(0x21)
	paintMuted      = gray(0x61)
	paintGrid       = gray(0xE0)
)

// chartPalette holds the flat colours, then every grey from firstGray to
// white.
var chartPalette = func() color.Palette {
	pal := color.Palette{colorDone, colorTrack, colorLate}
	for g := firstGray; g <= 0xFF; g++ {
		pal = append(pal, color.RGBA{uint8(g), uint8(g), uint8(g), 0xFF})
	}
	return pal
}()

// robotoFont is go-chart's embedded Roboto, parsed once: a parsed font is
// only read, and each Renderer makes faces of its own.
var robotoFont = sync.OnceValues(func() (*truetype.Font, error) { return truetype.Parse(roboto.Roboto) })

// Chart writes a PNG of milestone milestoneIndex. For a milestone of posts:
// one horizontal bar per district, the done share filled, with done/total
// and the rate printed beside it. For a district_report milestone, where
// each district is done or not: a timeline per district from the start to
// the day it filed (green on time, amber late) or, when it has not, to
// today (red), against the deadline. Districts come in the progress's
// order, or worst first when there are more than MaxChartBars.
func Chart(w io.Writer, d Digest, milestoneIndex int) error {
	return new(Renderer).Chart(w, d, milestoneIndex)
}

// Chart is the package's Chart, drawn with r's canvas and compressor.
func (r *Renderer) Chart(w io.Writer, d Digest, milestoneIndex int) error {
	if milestoneIndex < 0 || milestoneIndex >= len(d.Milestones) {
		return fmt.Errorf("%w: index %d of %d", ErrNoMilestone, milestoneIndex, len(d.Milestones))
	}
	if d.Location == nil {
		return ErrNoLocation
	}
	m := d.Milestones[milestoneIndex]
	if m.Progress.Milestone.Kind == store.KindDistrictReport {
		return r.reportChart(w, d, m)
	}
	return r.progressChart(w, d, m)
}

// layout is a chart's frame: the canvas, and where the rows go.
type layout struct {
	r         *painter
	img       *image.Paletted
	rows      int
	top       int // of the first row
	left      int // of the plot area, right of the labels
	right     int // of the plot area, left of the values
	labels    []string
	values    []string
	truncated bool
}

// legendItem is a colour of the chart and what it means.
type legendItem struct {
	label string
	color paint
}

// frame draws what every chart has: the title, the subtitle, the legend,
// the caption when rows were left out, and the row labels and values
// measured so that nothing is clipped. total is the number of districts
// before any were left out.
func (rd *Renderer) frame(d Digest, title, subtitle, caption string, legend []legendItem, labels, values []string, total int) (*layout, error) {
	roboto, err := robotoFont()
	if err != nil {
		return nil, fmt.Errorf("digest: chart font: %w", err)
	}
	truncated := len(labels) < total
	header := 3*rowHeight + pad // title, subtitle, legend
	if truncated {
		header += rowHeight
	}
	footer := 2*rowHeight + pad // tick labels, axis title
	height := pad + header + max(len(labels), 1)*rowHeight + footer
	r := rd.painterFor(roboto, height)
	l := &layout{r: r, img: r.img, rows: len(labels), truncated: truncated}
	fillRect(l.img, 0, 0, chartWidth, height, paintBackground)

	y := pad
	setText(r, titlePoints, paintText)
	r.Text(fit(r, nfc(title), chartWidth-2*pad), pad, baseline(y, titlePoints))
	y += rowHeight
	setText(r, textPoints, paintMuted)
	r.Text(fit(r, subtitle, chartWidth-2*pad), pad, baseline(y, textPoints))
	y += rowHeight
	x := pad
	for _, item := range legend {
		fillRect(l.img, x, y+rowHeight/2-7, x+14, y+rowHeight/2+7, item.color)
		x += 20
		setText(r, textPoints, paintText)
		label := nfc(item.label)
		r.Text(label, x, baseline(y, textPoints))
		x += r.MeasureText(label).Width() + 24
	}
	y += rowHeight
	if truncated {
		setText(r, textPoints, paintMuted)
		r.Text(fit(r, fmt.Sprintf("%s (%d/%d)", nfc(caption), len(labels), total), chartWidth-2*pad), pad, baseline(y, textPoints))
		y += rowHeight
	}
	l.top = y + pad

	setText(r, textPoints, paintText)
	labelWidth, valueWidth := 0, 0
	for i := range labels {
		labels[i] = fit(r, nfc(labels[i]), chartWidth/3)
		labelWidth = max(labelWidth, r.MeasureText(labels[i]).Width())
		valueWidth = max(valueWidth, r.MeasureText(values[i]).Width())
	}
	l.labels, l.values = labels, values
	l.left = pad + labelWidth + 12
	l.right = chartWidth - pad - valueWidth - 12
	return l, nil
}

// bottom is the y of the plot area's lower edge.
func (l *layout) bottom() int { return l.top + max(l.rows, 1)*rowHeight }

// rowLabels draws each row's label right-aligned against the plot area
// and its value after it.
func (l *layout) rowLabels() {
	r := l.r
	setText(r, textPoints, paintText)
	for i := range l.labels {
		rowTop := l.top + i*rowHeight
		r.Text(l.labels[i], l.left-12-r.MeasureText(l.labels[i]).Width(), baseline(rowTop, textPoints))
		r.Text(l.values[i], l.right+12, baseline(rowTop, textPoints))
	}
	strokeLine(l.img, l.left, l.top, l.left, l.bottom(), paintMuted)
}

// axisTitle centres the axis title under the plot area.
func (l *layout) axisTitle(title string) {
	r := l.r
	setText(r, textPoints, paintMuted)
	title = fit(r, nfc(title), l.right-l.left)
	r.Text(title, l.left+(l.right-l.left-r.MeasureText(title).Width())/2, baseline(l.bottom()+rowHeight, textPoints))
}

// bar draws row i's bar from x0 to x1 in c.
func (l *layout) bar(i, x0, x1 int, c paint) {
	barTop := l.top + i*rowHeight + (rowHeight-barHeight)/2
	if x1 > x0 {
		fillRect(l.img, x0, barTop, x1, barTop+barHeight, c)
	}
}

func (r *Renderer) progressChart(w io.Writer, d Digest, m MilestoneDigest) error {
	p := m.Progress
	rows, _ := worstDistricts(p.Districts)
	labels := make([]string, len(rows))
	values := make([]string, len(rows))
	for i, dp := range rows {
		labels[i] = dp.District.Name
		values[i] = countText(d.Labels, dp.Done, dp.Total)
	}
	subtitle := fmt.Sprintf("%s: %s   ·   %s: %s", nfc(d.Labels.Deadline), m.Deadline.In(d.Location).Format(dateLayout),
		nfc(d.Labels.Done), countText(d.Labels, p.Done, p.Total))
	l, err := r.frame(d, m.Title, subtitle, d.Labels.ChartWorst,
		[]legendItem{{d.Labels.Done, paintDone}, {d.Labels.NotDone, paintTrack}}, labels, values, len(p.Districts))
	if err != nil {
		return err
	}
	// Grid and ticks every 20%.
	for tick := 0; tick <= 100; tick += 20 {
		tx := l.left + (l.right-l.left)*tick/100
		strokeLine(l.img, tx, l.top, tx, l.bottom()+4, paintGrid)
		label := fmt.Sprintf("%d%%", tick)
		setText(l.r, smallPoints, paintMuted)
		l.r.Text(label, tx-l.r.MeasureText(label).Width()/2, baseline(l.bottom(), smallPoints))
	}
	for i, dp := range rows {
		l.bar(i, l.left, l.right, paintTrack)
		l.bar(i, l.left, l.left+int(float64(l.right-l.left)*rate(dp.Done, dp.Total)), paintDone)
	}
	l.rowLabels()
	l.axisTitle(d.Labels.ChartAxis)
	return r.encodePNG(w, l.img)
}

// reportChart draws a district_report milestone as a timeline: for each
// district, a bar from the milestone's start to the day it filed, or to
// the digest's day while it has not, and a line at the deadline.
func (r *Renderer) reportChart(w io.Writer, d Digest, m MilestoneDigest) error {
	loc := d.Location
	p := m.Progress
	start := m.Progress.Milestone.Start
	if start.IsZero() || !start.Before(m.Deadline) {
		start = m.Deadline.AddDate(0, -1, 0)
	}
	// The deadline is a day: filing on it is on time.
	dueEnd := m.Deadline.AddDate(0, 0, 1)
	now := d.GeneratedAt
	end := later(now, dueEnd)
	filed := func(code string) (time.Time, bool) {
		t, ok := m.Submitted[code]
		return t, ok
	}
	rows := slices.Clone(p.Districts)
	truncated := len(rows) > MaxChartBars
	if truncated {
		// Not filed first, then the latest filings.
		slices.SortStableFunc(rows, func(a, b store.DistrictProgress) int {
			ta, fa := filed(a.District.Code)
			tb, fb := filed(b.District.Code)
			switch {
			case fa != fb:
				if fa {
					return 1
				}
				return -1
			case fa:
				return cmp.Or(tb.Compare(ta), cmp.Compare(a.District.Code, b.District.Code))
			}
			return cmp.Compare(a.District.Code, b.District.Code)
		})
		rows = rows[:MaxChartBars]
	}
	labels := make([]string, len(rows))
	values := make([]string, len(rows))
	for i, dp := range rows {
		labels[i] = dp.District.Name
		values[i] = nfc(d.Labels.NotSubmitted)
		if t, ok := filed(dp.District.Code); ok {
			values[i] = t.In(loc).Format(dateLayout)
			end = later(end, t)
		}
	}
	subtitle := fmt.Sprintf("%s: %s   ·   %s: %s", nfc(d.Labels.Deadline), m.Deadline.In(loc).Format(dateLayout),
		nfc(d.Labels.Submitted), countText(d.Labels, p.Done, p.Total))
	l, err := r.frame(d, m.Title, subtitle, d.Labels.ChartNotSubmitted,
		[]legendItem{{d.Labels.OnTime, paintDone}, {d.Labels.Late, paintLate}, {d.Labels.NotSubmitted, paintTrack}},
		labels, values, len(p.Districts))
	if err != nil {
		return err
	}
	span := end.Sub(start)
	xOf := func(t time.Time) int {
		return l.left + int(float64(l.right-l.left)*float64(t.Sub(start))/float64(span))
	}
	// Ticks at the start, the deadline (the end of its day, where the
	// deadline's line is drawn below) and the digest's day.
	setText(l.r, smallPoints, paintMuted)
	lastRight := 0
	for _, tick := range []struct{ at, shown time.Time }{{start, start}, {dueEnd, m.Deadline}, {now, now}} {
		tx := xOf(tick.at)
		if !tick.at.Equal(dueEnd) {
			strokeLine(l.img, tx, l.top, tx, l.bottom()+4, paintGrid)
		}
		label := tick.shown.In(loc).Format(dateLayout)
		width := l.r.MeasureText(label).Width()
		lx := min(max(tx-width/2, l.left), l.right-width)
		if lx > lastRight {
			l.r.Text(label, lx, baseline(l.bottom(), smallPoints))
			lastRight = lx + width + 8
		}
	}
	for i, dp := range rows {
		t, ok := filed(dp.District.Code)
		switch {
		case !ok:
			l.bar(i, l.left, xOf(now), paintTrack)
		case t.Before(dueEnd):
			l.bar(i, l.left, max(xOf(t), l.left+2), paintDone)
		default:
			l.bar(i, l.left, xOf(t), paintLate)
		}
	}
	// The deadline over the bars, so that it shows where they cross it.
	strokeLine(l.img, xOf(dueEnd), l.top, xOf(dueEnd), l.bottom()+4, paintMuted)
	l.rowLabels()
	l.axisTitle(d.Labels.ChartReportAxis)
	return r.encodePNG(w, l.img)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// worstDistricts picks the districts to draw, the furthest behind first
// when they are too many, and reports whether some were left out.
func worstDistricts(districts []store.DistrictProgress) ([]store.DistrictProgress, bool) {
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

// countText is "12/15 (80%)", "4.488/8.966 (50%)": a whole percent reads
// the same in every language, where a decimal separator would not.
func countText(l Labels, done, total int) string {
	return fmt.Sprintf("%s/%s (%.0f%%)", thousands(l, done), thousands(l, total), 100*rate(done, total))
}

// thousands writes n with the labels' formatter of counts.
func thousands(l Labels, n int) string {
	if l.Num == nil {
		return strconv.Itoa(n)
	}
	return l.Num(n)
}

func setText(r *painter, points float64, c paint) {
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
func fit(r *painter, s string, width int) string {
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

// painter draws text on a chart: Roboto at the chart's DPI, one face per
// size, each keeping the glyphs it rendered (a chart repeats few letters
// many times). It is used by one chart, as faces are not safe for
// concurrent use.
type painter struct {
	img   *image.Paletted
	font  *truetype.Font
	faces map[float64]font.Face
	face  font.Face
	level uint8 // the grey level of the text to come
}

// painterFor returns r's painter of font, its canvas chartWidth wide and
// height tall; its pixels are left as the last chart drew them (frame
// paints the background over all of them first). A weekly job draws one
// chart per province, and a new canvas and faces for each were a sixth
// of the job's allocations.
func (r *Renderer) painterFor(f *truetype.Font, height int) *painter {
	p := r.painter
	if p == nil || p.font != f {
		p = &painter{font: f, faces: make(map[float64]font.Face)}
		r.painter = p
	}
	n := chartWidth * height
	if p.img == nil || cap(p.img.Pix) < n {
		p.img = image.NewPaletted(image.Rect(0, 0, chartWidth, height), chartPalette)
	} else {
		p.img = &image.Paletted{Pix: p.img.Pix[:n], Stride: chartWidth, Rect: image.Rect(0, 0, chartWidth, height), Palette: chartPalette}
	}
	return p
}

// SetFontSize chooses the size of the text to come, in points.
func (p *painter) SetFontSize(points float64) {
	f, ok := p.faces[points]
	if !ok {
		// A chart has a hundred or so distinct letters per size; the
		// default cache of 512 glyph masks costs more to allocate than to
		// fill.
		f = truetype.NewFace(p.font, &truetype.Options{Size: points, DPI: chartDPI, Hinting: font.HintingNone, GlyphCacheEntries: 128})
		p.faces[points] = f
	}
	p.face = f
}

// SetFontColor chooses the grey of the text to come.
func (p *painter) SetFontColor(c paint) { p.level = uint8(int(c) - 3 + firstGray) }

// Text draws s with its baseline at y, starting at x, as font.Drawer
// would: each glyph's coverage blends the text's grey into the grey
// under it.
func (p *painter) Text(s string, x, y int) {
	dot := fixed.P(x, y)
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot.X += p.face.Kern(prev, r)
		}
		dr, mask, mp, advance, ok := p.face.Glyph(dot, r)
		if ok {
			p.blend(dr, mask, mp)
		}
		dot.X += advance
		prev = r
	}
}

// blend lays a glyph's coverage over the image. A pixel that is not grey
// (a bar: text is not drawn on one) takes the text where covered most.
func (p *painter) blend(dr image.Rectangle, mask image.Image, mp image.Point) {
	dr = dr.Intersect(p.img.Bounds())
	for y := dr.Min.Y; y < dr.Max.Y; y++ {
		for x := dr.Min.X; x < dr.Max.X; x++ {
			_, _, _, a16 := mask.At(mp.X+x-dr.Min.X, mp.Y+y-dr.Min.Y).RGBA()
			a := int(a16 >> 8)
			if a == 0 {
				continue
			}
			i := p.img.PixOffset(x, y)
			under := int(p.img.Pix[i]) - 3 + firstGray
			if under < firstGray {
				if a > 0x7F {
					p.img.Pix[i] = uint8(gray(p.level))
				}
				continue
			}
			v := under - (under-int(p.level))*a/0xFF
			p.img.Pix[i] = uint8(gray(uint8(v)))
		}
	}
}

// MeasureText returns the size of s in the current font.
func (p *painter) MeasureText(s string) textBox {
	return textBox{width: font.MeasureString(p.face, s).Ceil()}
}

// textBox is measured text.
type textBox struct{ width int }

// Width is the text's advance, in pixels.
func (b textBox) Width() int { return b.width }

// fillRect fills a rectangle of the image with one colour.
func fillRect(img *image.Paletted, x0, y0, x1, y1 int, c paint) {
	r := image.Rect(x0, y0, x1, y1).Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = uint8(c)
		}
	}
}

// strokeLine draws a horizontal or vertical line one pixel wide.
func strokeLine(img *image.Paletted, x0, y0, x1, y1 int, c paint) {
	fillRect(img, min(x0, x1), min(y0, y1), max(x0, x1)+1, max(y0, y1)+1, c)
}

// encodePNG writes the chart as a paletted PNG, compressed for speed: a
// chart is mostly flat colour, which compresses well at any level.
func (r *Renderer) encodePNG(w io.Writer, img *image.Paletted) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &r.png}
	if err := enc.Encode(w, img); err != nil {
		return fmt.Errorf("digest: encode chart: %w", err)
	}
	return nil
}

// pngBuffer keeps a PNG encoder's buffers and compressor between charts:
// a compressor is about a megabyte to allocate and clear, more than
// compressing a chart costs. It holds one, for one chart at a time.
type pngBuffer struct{ b *png.EncoderBuffer }

func (p *pngBuffer) Get() *png.EncoderBuffer { return p.b }

func (p *pngBuffer) Put(b *png.EncoderBuffer) { p.b = b }
