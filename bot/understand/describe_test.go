package understand

import (
	"slices"
	"strconv"
	"strings"

	"github.com/caxbot/caxbot/store"
)

// describe renders a query in the question set's columns, so that a
// failure shows both sides in the same words: measure, unit, kinds,
// statuses, match, place, extra.
func describe(q Query, g *Gazetteer) []string {
	measure := string(q.Measure)
	switch {
	case q.Topic != TopicRoster:
		measure = string(q.Topic)
	case q.History:
		measure = "history"
	case q.Overview:
		measure = "overview"
	case q.Progress:
		measure = "progress:" + measure
	}
	if q.Measure == store.MeasureRank {
		measure += ":" + string(q.Order)
		if q.Limit > 0 {
			measure += ":" + itoa(q.Limit)
		}
	}
	if q.Changes && !q.History {
		measure = "changes:" + measure
	}
	var kinds, statuses []string
	for _, k := range q.Kinds {
		kinds = append(kinds, string(k))
	}
	for _, s := range q.Statuses {
		statuses = append(statuses, string(s))
	}
	if q.Topic != TopicRoster {
		kinds, statuses = nil, nil
	}
	var places, extra []string
	if q.Own != "" {
		places = append(places, "own:"+string(q.Own))
	}
	for _, m := range q.Places {
		p, alts, amb := g.Resolve(m, nil)
		switch {
		case p != nil:
			places = append(places, placeRef(*p))
			for _, a := range alts {
				extra = append(extra, "alt:"+placeRef(a))
			}
		case len(amb) > 0:
			var refs []string
			for _, a := range amb {
				refs = append(refs, placeRef(a))
			}
			slices.Sort(refs)
			extra = append(extra, "ambiguous:"+strings.Join(refs, ","))
		case m.Within != nil:
			extra = append(extra, "within:"+placeRef(*m.Within))
		case len(m.Suggestions) > 0:
			extra = append(extra, "suggest:"+placeRef(m.Suggestions[0]))
		default:
			extra = append(extra, "unmatched:"+Fold(m.Unmatched))
		}
	}
	if q.Group != "" {
		extra = append(extra, "group:"+string(q.Group))
	}
	if !q.Window.IsZero() {
		w := "window:"
		if !q.Window.From.IsZero() {
			w += q.Window.From.Format("2006-01-02")
		}
		w += ".."
		if !q.Window.To.IsZero() {
			w += q.Window.To.Format("2006-01-02")
		}
		extra = append(extra, w)
	}
	if len(q.Types) > 0 {
		var ts []string
		for _, t := range q.Types {
			ts = append(ts, string(t))
		}
		extra = append(extra, "types:"+strings.Join(ts, ","))
	}
	match := string(q.Match)
	if q.Negated {
		match = "not" + orEmpty(match)
	}
	return []string{measure, orDash(string(q.Unit)), orDash(strings.Join(kinds, ",")), orDash(strings.Join(statuses, ",")),
		orDash(match), orDash(strings.Join(places, "+")), orDash(strings.Join(extra, " "))}
}

func orEmpty(s string) string {
	if s == "" {
		return ""
	}
	return ":" + s
}

func itoa(n int) string { return strconv.Itoa(n) }

func placeRef(p Place) string {
	return p.Level + ":" + p.Code
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
