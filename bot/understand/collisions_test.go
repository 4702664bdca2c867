package understand

import (
	"sort"
	"strings"
	"testing"
	"time"
)

// fixedNow dates the windows of the collision questions (they have none).
var fixedNow = time.Date(2022, 1, 17, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// A collision is a name of the roster that reads as something else: a
// phrase of the questions ("Chư Á" and "chưa", "Cô Ngân" and "công
// an"), words of the questions only ("Vân Hồ", "Thanh Hà"), another
// place's name once the diacritics are gone ("Văn Sơn", "Vân Sơn"), a
// district's seat town ("huyện Mai Châu", "thị trấn Mai Châu").
type collision struct {
	kind string // "phrase", "words", "plain", "seat"
	name int32
	with string // what it collides with
}

// collisions generates the list from the gazetteer and the vocabulary.
func collisions(g *Gazetteer) []collision {
	phraseKeys := make(map[string]string)
	for p := range phrases {
		phraseKeys[strings.ReplaceAll(p, " ", "")] = p
	}
	byFold := make(map[string][]int32)
	for i, n := range g.names {
		if !n.foreign {
			k := strings.Join(n.plain, " ")
			byFold[k] = append(byFold[k], int32(i))
		}
	}
	// twins: same level (and commune type), same letters.
	twins := func(a, b placeName) bool {
		return a.place.Level == b.place.Level && a.place.Type == b.place.Type && a.prefix == b.prefix
	}
	var out []collision
	for i, n := range g.names {
		if n.foreign {
			continue
		}
		id := int32(i)
		k := strings.Join(n.fold, " ")
		if p, ok := phraseKeys[strings.ReplaceAll(k, " ", "")]; ok {
			out = append(out, collision{"phrase", id, p})
		}
		if len(n.fold) >= 2 {
			all := true
			for _, w := range n.fold {
				all = all && lexWords[w] && !isDigits(w)
			}
			if all {
				out = append(out, collision{"words", id, k})
			}
		}
		pk := strings.Join(n.plain, " ")
		for _, o := range byFold[pk] {
			if o != id && strings.Join(g.names[o].toned, " ") != strings.Join(n.toned, " ") && twins(g.names[o], n) {
				out = append(out, collision{"plain", id, g.names[o].place.Name})
				break
			}
		}
		if n.place.Level == LevelCommune {
			for _, o := range byFold[pk] {
				if p := g.names[o].place; p.Level == LevelDistrict && p.Code == n.place.DistrictCode {
					out = append(out, collision{"seat", id, p.Name})
				}
			}
		}
	}
	return out
}

// typed writes a place as a question names it: its type word and name,
// with diacritics or without.
func typed(p Place, bare bool) string {
	s := p.Name
	if p.Level == LevelCommune {
		s = string(p.Type) + " " + p.Name
	}
	if bare {
		s = Fold(s)
	}
	return s
}

func holds(ps []Place, p Place) bool {
	for _, q := range ps {
		if q.Level == p.Level && q.Code == p.Code && q.Name == p.Name {
			return true
		}
	}
	return false
}

// placesOf are the readings of a message's first place.
func placesOf(m Message) []Place {
	if len(m.Parts) == 0 || len(m.Parts[0].Places) == 0 {
		return nil
	}
	return m.Parts[0].Places[0].Candidates
}

// TestCollisions checks that context decides every collision of the
// list: with its type word the name is the place, typed with diacritics
// or without; typed with them, a name that shares its letters with
// another is itself alone, and without them both are offered; the type
// word tells a seat town from its district; a name of question words
// that starts the question is the place; and the phrase of the
// questions, typed with its own diacritics, is never the place.
func TestCollisions(t *testing.T) {
	gazetteers := map[string]func(testing.TB) *Gazetteer{
		"hoabinh":  mustHoaBinh,
		"national": func(tb testing.TB) *Gazetteer { g, _ := nationalGazetteer(tb); return g },
	}
	for _, name := range []string{"hoabinh", "national"} {
		t.Run(name, func(t *testing.T) {
			g := gazetteers[name](t)
			list := collisions(g)
			count := make(map[string]int)
			failed := 0
			fail := func(c collision, format string, args ...any) {
				failed++
				if failed <= 20 {
					t.Errorf("%s %q (%s): "+format, append([]any{c.kind, g.names[c.name].place.Name, c.with}, args...)...)
				}
			}
			for _, c := range list {
				count[c.kind]++
				p := g.names[c.name].place
				for _, bare := range []bool{false, true} {
					q := typed(p, bare) + " còn bao nhiêu vị trí khuyết?"
					if bare {
						q = Fold(q)
					}
					if n := g.names[c.name]; bare && len(n.fold) == 1 && functionWords[n.fold[0]] {
						// "xa dang con ...": "đang", a word of grammar,
						// when typed without diacritics.
						count["grammar word typed bare"]++
						continue
					}
					got := placesOf(Read(q, g, fixedNow))
					if !holds(got, p) {
						fail(c, "%q reads %v", q, got)
						continue
					}
					switch {
					case c.kind == "plain" && !bare:
						for _, o := range got {
							if Fold(o.Name) == Fold(p.Name) && o.Name != p.Name && o.Level == p.Level && !sameTones(o.Name, p.Name) {
								fail(c, "%q also reads %s", q, o.Name)
							}
						}
					case c.kind == "plain" && bare && len(got) < 2:
						fail(c, "%q reads only %v", q, got)
					case c.kind == "seat":
						for _, o := range got {
							if o.Level != p.Level {
								fail(c, "%q also reads %s", q, o.Name)
							}
						}
					}
				}
				switch c.kind {
				case "words":
					// The subject of the question, without a type word:
					// the place when typed with diacritics; without them
					// too when its words say nothing to the question
					// ("van ho"); "tu do" stays "từ đó".
					n := g.names[c.name]
					weak := true
					for _, w := range n.fold {
						cu, _ := reading([]byte(w), []string{""})
						weak = weak && cu&^(weakCues|cueTail) == 0
					}
					// A name that holds a phrase of the questions ("Chỉ
					// Đạo", "Điện Biên") is the phrase where no type word
					// says otherwise.
					phrase, phraseToned := false, false
					for a := 0; a < len(n.fold); a++ {
						for b := a + 2; b <= len(n.fold); b++ {
							key := strings.Join(n.fold[a:b], " ")
							if _, ok := phrases[key]; ok {
								phrase = true
							}
							if _, ok := reading([]byte(key), n.toned[a:b]); ok {
								phraseToned = true
							}
						}
					}
					for _, q := range []string{nameOnly(n) + " còn bao nhiêu vị trí khuyết?", Fold(nameOnly(n)) + " con bao nhieu vi tri khuyet"} {
						bare := q[0] >= 'a' && q[0] <= 'z'
						if bare && (!weak || phrase) || !bare && phraseToned {
							count["words read as the question's"]++
							continue
						}
						if got := placesOf(Read(q, g, fixedNow)); !holds(got, p) {
							fail(c, "%q reads %v", q, got)
						}
					}
				case "phrase":
					// The phrase with its own diacritics is a word of the
					// question.
					for _, l := range lexicon {
						if Fold(l.phrase) != c.with || Fold(l.phrase) == l.phrase {
							continue
						}
						q := "Huyện mình " + l.phrase + " còn bao nhiêu vị trí khuyết?"
						if got := placesOf(Read(q, g, fixedNow)); holds(got, p) {
							fail(c, "%q reads %v", q, got)
						}
						break
					}
				}
			}
			kinds := make([]string, 0, len(count))
			for k := range count {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			var b strings.Builder
			for _, k := range kinds {
				b.WriteString(" " + k + ":" + itoa(count[k]))
			}
			t.Logf("%d collisions (%s ), %d failed", len(list), strings.TrimSpace(b.String()), failed)
			if failed > 0 {
				t.Errorf("%d of %d collisions not decided by their context", failed, len(list))
			}
		})
	}
}

// sameTones compares two names' diacritics, tone placement aside.
func sameTones(a, b string) bool {
	return strings.NewReplacer("oà", "òa", "oá", "óa", "oả", "ỏa", "oã", "õa", "oạ", "ọa", "uỳ", "ùy", "uý", "úy", "uỷ", "ủy", "uỹ", "ũy", "uỵ", "ụy").Replace(strings.ToLower(a)) ==
		strings.NewReplacer("oà", "òa", "oá", "óa", "oả", "ỏa", "oã", "õa", "oạ", "ọa", "uỳ", "ùy", "uý", "úy", "uỷ", "ủy", "uỹ", "ũy", "uỵ", "ụy").Replace(strings.ToLower(b))
}

// nameOnly is a place's name without its type word, with diacritics.
func nameOnly(n placeName) string {
	if n.place.Level == LevelCommune {
		return n.place.Name
	}
	w := strings.Fields(n.place.Name)
	return strings.Join(w[len(w)-len(n.fold):], " ")
}
