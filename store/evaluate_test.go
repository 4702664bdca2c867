package store

import (
	"reflect"
	"testing"
)

// TestEvaluateMissing: each commune behind is told the posts it lacks,
// whichever communes before it lacked the same or other posts (Evaluate
// shares one map between communes lacking the same posts), for a
// milestone of three kinds, of a count goal, and of a kind listed twice.
func TestEvaluateMissing(t *testing.T) {
	districts := []District{{Code: "148", Name: "Hòa Bình", ProvinceCode: "17"}}
	communes := []Commune{
		{Code: "04789", Name: "Tân Hòa", Type: Xa, DistrictCode: "148"},
		{Code: "04792", Name: "Thịnh Lang", Type: Xa, DistrictCode: "148"},
		{Code: "04795", Name: "Hữu Nghị", Type: Xa, DistrictCode: "148"},
		{Code: "04798", Name: "Tân Thịnh", Type: Xa, DistrictCode: "148"},
		{Code: "04801", Name: "Yên Mông", Type: Xa, DistrictCode: "148"},
		{Code: "04804", Name: "Dân Chủ", Type: ThiTran, DistrictCode: "148"},
	}
	counts := PostCounts{
		// a semi-professional chief and deputy, two regular officers of three
		"04789": {Chief: {Posts: 1}, Deputy: {Posts: 1}, Officer: {Posts: 3, AtTarget: 2}},
		// only the chief not regular
		"04792": {Chief: {Posts: 1}, Deputy: {Posts: 1, AtTarget: 1}, Officer: {Posts: 3, AtTarget: 3}},
		// no post at all: one short of each kind
		// "04795"
		// every post regular
		"04798": {Chief: {Posts: 1, AtTarget: 1}, Deputy: {Posts: 1, AtTarget: 1}, Officer: {Posts: 3, AtTarget: 3}},
		// no regular officer of three
		"04801": {Chief: {Posts: 1, AtTarget: 1}, Deputy: {Posts: 1, AtTarget: 1}, Officer: {Posts: 3}},
		// as 04792
		"04804": {Chief: {Posts: 1}, Deputy: {Posts: 2, AtTarget: 2}, Officer: {Posts: 1, AtTarget: 1}},
	}
	all := []PostKind{Chief, Deputy, Officer}
	tests := []struct {
		name string
		m    Milestone
		want map[string]map[PostKind]int // by commune; absent: done
	}{
		{"every post regular", Milestone{ID: "all", Kind: KindPosts, Posts: all, Target: Regular}, map[string]map[PostKind]int{
			"04789": {Chief: 1, Deputy: 1, Officer: 1},
			"04792": {Chief: 1},
			"04795": {Chief: 1, Deputy: 1, Officer: 1},
			"04801": {Officer: 3},
			"04804": {Chief: 1},
		}},
		{"two regular officers", Milestone{ID: "two", Kind: KindPosts, Posts: []PostKind{Officer}, Target: Regular, Goal: Goal{Count: 2}}, map[string]map[PostKind]int{
			"04795": {Officer: 1},
			"04801": {Officer: 2},
		}},
		{"a kind listed twice", Milestone{ID: "twice", Kind: KindPosts, Posts: []PostKind{Officer, Chief, Officer, Deputy}, Target: Regular}, map[string]map[PostKind]int{
			"04789": {Chief: 1, Deputy: 1, Officer: 1},
			"04792": {Chief: 1},
			"04795": {Chief: 1, Deputy: 1, Officer: 1},
			"04801": {Officer: 3},
			"04804": {Chief: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Evaluate(tt.m, Roster{Districts: districts, Communes: communes, Counts: counts})
			got := make(map[string]map[PostKind]int)
			for _, c := range p.Behind() {
				got[c.Commune.Code] = c.Missing
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("communes behind and their missing posts:\n got %v\nwant %v", got, tt.want)
			}
			if p.Total != len(communes) || p.Done != len(communes)-len(tt.want) {
				t.Errorf("Evaluate = %d/%d, want %d/%d", p.Done, p.Total, len(communes)-len(tt.want), len(communes))
			}
		})
	}
}

// TestForUnverify: a milestone's counts from the counts by status, the
// posts waiting for their check set on their commune only, though
// communes of the same counts share one map of them (StatusCounts.For).
func TestForUnverify(t *testing.T) {
	row := func(regular, semi, vacant int) [3]int { return [3]int{regular, semi, vacant} }
	statuses := StatusCounts{
		"04789": {row(1, 0, 0), row(0, 1, 0), row(2, 1, 0)},
		"04792": {row(1, 0, 0), row(0, 1, 0), row(2, 1, 0)}, // as 04789
		"04795": {row(0, 1, 0), row(0, 0, 1), row(0, 0, 0)},
		"04798": {row(0, 0, 0), row(0, 0, 0), row(0, 0, 0)}, // no post at all
	}
	m := Milestone{ID: "all", Kind: KindPosts, Posts: []PostKind{Chief, Officer}, Target: Regular}
	counts := statuses.For(m)
	// Of 04789's posts at the target, its chief waits for a check.
	counts.Unverify(m, StatusCounts{"04789": {row(1, 0, 0), row(0, 0, 0), row(0, 0, 0)}})
	want := PostCounts{
		"04789": {Chief: {Posts: 1, AtTarget: 1, Unverified: 1}, Officer: {Posts: 3, AtTarget: 2}},
		"04792": {Chief: {Posts: 1, AtTarget: 1}, Officer: {Posts: 3, AtTarget: 2}},
		"04795": {Chief: {Posts: 1}},
	}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("counts:\n got %v\nwant %v", counts, want)
	}
	// Counted again, the shared maps are as For made them.
	if again := statuses.For(m); !reflect.DeepEqual(again["04792"], want["04792"]) || !reflect.DeepEqual(again["04789"], want["04792"]) {
		t.Errorf("counted again: %v", again)
	}
}
