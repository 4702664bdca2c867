package understand

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// benchQuestions mixes the shapes of question the bot sees most.
var benchQuestions = []string{
	"huyen lac son con bao nhieu xa chua co truong cong an chinh quy",
	"Ai là trưởng công an xã Mường Chiềng?",
	"tình hình xã Cao Sơn huyện Đà Bắc",
	"xa tan lapp con thieu gi",
	"tiến độ toàn tỉnh",
	"khi nào phải xong trưởng công an chính quy",
}

// loadQuestions are the free questions the load benchmark (cmd/caxbot
// bench, question) sends, about places of the national roster: a
// commune's chief, a commune's missing deputies, a district's communes
// (its name lower-cased, as the bench sends it), the province's progress;
// place is the one each names, "" for the user's own. The bench strips
// the diacritics of half of them; so does loadMix.
var loadQuestions = []struct{ text, place string }{
	{"xã Tân Long Hội có trưởng chính quy chưa", "commune:29656"},
	{"còn thiếu phó trưởng công an không", ""},
	{"huyện hữu lũng còn bao nhiêu xã chưa có trưởng công an chính quy", "district:186"},
	{"xã Võ Miếu có trưởng chính quy chưa", "commune:08584"},
	{"tiến độ toàn tỉnh", ""},
	{"thành phố hạ long còn bao nhiêu xã chưa có trưởng công an chính quy", "district:193"},
	{"xã Đông Cuông có trưởng chính quy chưa", "commune:04399"},
	{"huyện ý yên còn bao nhiêu xã chưa có trưởng công an chính quy", "district:360"},
}

// loadMix is loadQuestions as typed and without diacritics, one after
// the other.
var loadMix = func() []string {
	var out []string
	for _, q := range loadQuestions {
		out = append(out, q.text, withoutDiacritics(q.text))
	}
	return out
}()

// withoutDiacritics strips Vietnamese diacritics as the load benchmark
// does: "Lạc Sơn" → "Lac Son".
func withoutDiacritics(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			sb.WriteRune('d')
		case r == 'Đ':
			sb.WriteRune('D')
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func BenchmarkParse(b *testing.B) {
	b.Run("hoabinh", func(b *testing.B) { benchParse(b, mustHoaBinh(b), benchQuestions) })
	b.Run("national", func(b *testing.B) {
		g, n := nationalGazetteer(b)
		b.Logf("national roster: %d communes", n)
		benchParse(b, g, benchQuestions)
	})
	b.Run("load", func(b *testing.B) {
		g, _ := nationalGazetteer(b)
		benchParse(b, g, loadMix)
	})
}

func benchParse(b *testing.B, g *Gazetteer, questions []string) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Parse(questions[i%len(questions)], g)
		i++
	}
}

// TestLoadQuestions keeps the load benchmark honest: each of its
// questions, with and without diacritics, is one about the place it
// names (among others spelled alike once bare: "Dong Cuong"), or about
// the user's own.
func TestLoadQuestions(t *testing.T) {
	g, _ := nationalGazetteer(t)
	for _, lq := range loadQuestions {
		for _, text := range []string{lq.text, withoutDiacritics(lq.text)} {
			q := Parse(text, g)
			var got []string
			for _, m := range q.Places {
				for _, c := range m.Candidates {
					got = append(got, c.Level+":"+c.Code)
				}
			}
			ok := lq.place == "" && len(q.Places) == 0 || len(q.Places) == 1 && slices.Contains(got, lq.place)
			if q.Topic != TopicRoster || !ok {
				t.Errorf("%q: topic %q, places %v; want %q", text, q.Topic, got, lq.place)
			}
		}
	}
}

func BenchmarkNewGazetteer(b *testing.B) {
	provinces, districts, communes := nationalRosterRows(b)
	b.ReportAllocs()
	for b.Loop() {
		NewGazetteer(provinces, districts, communes)
	}
}
