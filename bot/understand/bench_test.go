package understand

import "testing"

// benchQuestions mixes the shapes of question the bot sees most.
var benchQuestions = []string{
	"huyen lac son con bao nhieu xa chua co truong cong an chinh quy",
	"Ai là trưởng công an xã Mường Chiềng?",
	"tình hình xã Cao Sơn huyện Đà Bắc",
	"xa tan lapp con thieu gi",
	"tiến độ toàn tỉnh",
	"khi nào phải xong trưởng công an chính quy",
}

func BenchmarkParse(b *testing.B) {
	b.Run("hoabinh", func(b *testing.B) { benchParse(b, mustHoaBinh(b)) })
	b.Run("national", func(b *testing.B) {
		g, n := nationalGazetteer(b)
		b.Logf("national roster: %d communes", n)
		benchParse(b, g)
	})
}

func benchParse(b *testing.B, g *Gazetteer) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Parse(benchQuestions[i%len(benchQuestions)], g)
		i++
	}
}

func BenchmarkNewGazetteer(b *testing.B) {
	provinces, districts, communes := nationalRosterRows(b)
	b.ReportAllocs()
	for b.Loop() {
		NewGazetteer(provinces, districts, communes)
	}
}
