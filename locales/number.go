package locales

import "strconv"

// Number shows a whole number with the language's thousands separator:
// 10.643 in Vietnamese, 10,643 in English.
func (p *Printer) Number(n int) string {
	sep := byte('.')
	if p.lang == "en" {
		sep = ','
	}
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, sep)
		}
		out = append(out, s[i])
	}
	return string(out)
}
