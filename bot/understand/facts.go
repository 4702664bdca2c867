package understand

import (
	"strings"

	"github.com/caxbot/caxbot/store"
)

// factWords are the phrases that ask what a post's last report says of its
// holder: its decision, training, check. A new such question needs a line
// here, nothing else. Each phrase carries its own negation ("chưa qua đào
// tạo"), so that it never reads as "chưa có ... chính quy".
var factWords = []struct {
	phrase string
	fact   store.FactCond
}{
	{"qua đào tạo", store.FactCond{Fact: store.FactTrained}},
	{"đã qua đào tạo", store.FactCond{Fact: store.FactTrained}},
	{"được đào tạo", store.FactCond{Fact: store.FactTrained}},
	{"đã được đào tạo", store.FactCond{Fact: store.FactTrained}},
	{"đã đào tạo", store.FactCond{Fact: store.FactTrained}},
	{"chưa qua đào tạo", store.FactCond{Fact: store.FactTrained, Lacks: true}},
	{"không qua đào tạo", store.FactCond{Fact: store.FactTrained, Lacks: true}},
	{"chưa được đào tạo", store.FactCond{Fact: store.FactTrained, Lacks: true}},
	{"chưa đào tạo", store.FactCond{Fact: store.FactTrained, Lacks: true}},
	{"có quyết định", store.FactCond{Fact: store.FactDecision}},
	{"đã có quyết định", store.FactCond{Fact: store.FactDecision}},
	{"chưa có quyết định", store.FactCond{Fact: store.FactDecision, Lacks: true}},
	{"không có quyết định", store.FactCond{Fact: store.FactDecision, Lacks: true}},
	{"thiếu quyết định", store.FactCond{Fact: store.FactDecision, Lacks: true}},
	{"chưa có qđ", store.FactCond{Fact: store.FactDecision, Lacks: true}},
	{"đã được xác nhận", store.FactCond{Fact: store.FactVerified}},
	{"được xác nhận", store.FactCond{Fact: store.FactVerified}},
	{"chưa xác nhận", store.FactCond{Fact: store.FactVerified, Lacks: true}},
	{"chưa được xác nhận", store.FactCond{Fact: store.FactVerified, Lacks: true}},
	{"chờ xác nhận", store.FactCond{Fact: store.FactVerified, Lacks: true}},
}

// factLexicon is factWords as lexicon entries.
func factLexicon() []lex {
	out := make([]lex, len(factWords))
	for i, f := range factWords {
		out[i] = lex{phrase: f.phrase, cue: cueFact}
	}
	return out
}

// factByFold maps a fact phrase, folded, to what it asks.
var factByFold = func() map[string]store.FactCond {
	m := make(map[string]store.FactCond, len(factWords))
	for _, f := range factWords {
		m[Fold(f.phrase)] = f.fact
	}
	return m
}()

// facts reads the facts asked about: each run of words the fact phrases
// tagged, split into the longest phrases it holds.
func facts(toks []token) []store.FactCond {
	var out []store.FactCond
	for i := 0; i < len(toks); {
		if toks[i].mention != 0 || toks[i].cue != cueFact {
			i++
			continue
		}
		n := 0
		var f store.FactCond
		for k := i + 1; k <= len(toks) && toks[k-1].cue == cueFact && toks[k-1].mention == 0; k++ {
			words := make([]string, 0, k-i)
			for _, t := range toks[i:k] {
				words = append(words, t.fold)
			}
			if c, ok := factByFold[strings.Join(words, " ")]; ok {
				n, f = k-i, c
			}
		}
		if n == 0 {
			i++
			continue
		}
		out = append(out, f)
		i += n
	}
	return out
}
