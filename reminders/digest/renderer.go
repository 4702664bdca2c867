package digest

import "github.com/klauspost/compress/flate"

// Renderer draws charts and writes workbooks one at a time, keeping for
// the next what each costs to set up: the chart's canvas and font faces
// (whose glyph caches fill as charts repeat the same letters), and the
// PNG and zip compressors, about 4 MiB together. A job that renders many
// digests gives each of its goroutines a Renderer of its own. Owned, not
// pooled: a sync.Pool may hold a set per processor and make another when
// a goroutine moves to a processor whose slot is empty, and memory is
// what the weekly job is short of. The zero value is ready; a Renderer is
// not safe for concurrent use.
type Renderer struct {
	painter *painter
	png     pngBuffer
	zip     *flate.Writer
}
