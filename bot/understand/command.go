package understand

import (
	"slices"
	"time"

	"github.com/caxbot/caxbot/store"
)

// Command reads a command that asks a question ("/thieu huyện Lạc Sơn",
// "/xa Tân Lập") as the question its name stands for, the arguments
// adding places, posts and statuses: a command is one more phrasing. ok
// is false for a command that asks nothing.
func Command(name, args string, g *Gazetteer, now time.Time) (Message, bool) {
	var m Message
	switch name {
	case "thieu":
		m = Read(args, g, now)
		if len(m.Parts) == 0 {
			m.Parts = []Query{{}}
		}
		for i := range m.Parts {
			q := &m.Parts[i]
			if q.Topic != TopicRoster || q.Overview || q.Measure == "" {
				*q = Query{Places: q.Places, Own: q.Own, Kinds: q.Kinds, Statuses: q.Statuses, Types: q.Types, Words: q.Words}
			}
			if len(q.Statuses) == 0 || slices.Equal(q.Statuses, []store.Status{store.Regular}) {
				// "/thieu chinh quy": what still lacks regular police.
				q.Statuses, q.Negated, q.Match = []store.Status{store.Semi, store.Vacant}, true, ""
			}
			if q.Measure == "" || q.Measure == store.MeasureYesNo {
				q.Measure = store.MeasureList
			}
		}
	case "tiendo":
		m = Read(args, g, now)
		if len(m.Parts) == 0 {
			m.Parts = []Query{{}}
		}
		for i := range m.Parts {
			q := &m.Parts[i]
			*q = Query{Measure: store.MeasureShare, Places: q.Places, Own: q.Own, Kinds: q.Kinds, Group: q.Group, Words: q.Words,
				Statuses: []store.Status{store.Regular}, Match: store.MatchAll, Progress: len(q.Kinds) == 0}
		}
	case "xa", "lichsu":
		q := ParseName(args, g)
		out := Query{Measure: store.MeasureList, Overview: name == "xa", Places: q.Places, Own: q.Own, Words: q.Words}
		if name == "lichsu" {
			out.Overview, out.Changes, out.History, out.Limit = false, true, true, 15
		}
		for i := range out.Places {
			// The commands are about communes: "/xa Mai Châu" is the town.
			out.Places[i].Candidates = preferPlaces(out.Places[i].Candidates, func(p Place) bool { return p.Level == LevelCommune })
		}
		m.Parts = []Query{out}
	case "moc":
		m.Parts = []Query{{Topic: TopicDeadline}}
	default:
		return Message{}, false
	}
	return m, true
}
