package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestDemo runs the README's first command and checks what it shows
// against the seed plan: the 28 pilot communes kept, 113 others to staff,
// the same output for the same seed.
func TestDemo(t *testing.T) {
	demo := func(lang, seed string) string {
		out := mustRun(t, map[string]string{"CAXBOT_LANG": lang}, "demo", "--out", t.TempDir(), "--seed", seed)
		// The output folder differs between runs; nothing else may.
		return regexp.MustCompile(`(?m)^.*caxbot-demo.*$|(?m)/tmp/\S+`).ReplaceAllString(out, "DIR")
	}
	first := demo("vi", "1")
	for _, want := range []string{
		"MINH HOẠ",
		"Đã nhập hoabinh_communes_2020.csv: thêm 151, đổi 0, giữ nguyên 0.",
		"Tiến độ ngày 01/03/2020:",
		"Mốc: Duy trì Công an chính quy tại 28 xã",
		"hạn 31/03/2020 (quý I/2020)",
		"hạn 31/12/2024 (quý IV/2024)",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	totals := regexp.MustCompile(`Toàn tỉnh\s+(\d+)\s+(\d+)`).FindAllStringSubmatch(first, -1)
	if len(totals) < 4 {
		t.Fatalf("want a province total per milestone, got %v", totals)
	}
	if totals[0][1] != "28" || totals[0][2] != "28" {
		t.Errorf("keep-2019: %s/%s, want 28/28", totals[0][1], totals[0][2])
	}
	if totals[2][2] != "113" {
		t.Errorf("chief-q1-2020 covers %s communes, want 113", totals[2][2])
	}
	if totals[3][2] != "141" {
		t.Errorf("deputies-officers-2024 covers %s communes, want every xã and thị trấn, 141", totals[3][2])
	}
	if again := demo("vi", "1"); again != first {
		t.Errorf("the same seed gave another output")
	}
	if other := demo("vi", "2"); other == first {
		t.Errorf("another seed gave the same output")
	}
	if en := demo("en", "1"); !strings.Contains(en, "ILLUSTRATIVE") || !strings.Contains(en, "Whole province") {
		t.Errorf("--lang en output is not English:\n%s", en)
	}
}
