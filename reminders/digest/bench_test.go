package digest

import (
	"bytes"
	"testing"
)

// The national digest: 700 districts, 10,500 communes, 63,000 posts on the
// roster sheet. Each benchmark prints the file size it produced.

func BenchmarkChartNational(b *testing.B) {
	d := nationalDigest(b).digest
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Chart(&buf, d, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "png-bytes")
}

func BenchmarkChartProvince(b *testing.B) {
	d := hoaBinhDigest(b).digest
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Chart(&buf, d, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "png-bytes")
}

func BenchmarkWorkbookNational(b *testing.B) {
	d := nationalDigest(b).digest
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Workbook(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "xlsx-bytes")
	b.ReportMetric(float64(len(d.Roster)), "roster-rows")
}

func BenchmarkWorkbookProvince(b *testing.B) {
	d := hoaBinhDigest(b).digest
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Workbook(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "xlsx-bytes")
}
