package locales

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
)

func mustLoad(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEveryLanguageHasEveryKey fails when a language lacks a key another
// language has, so no user ever sees "[key]".
func TestEveryLanguageHasEveryKey(t *testing.T) {
	c := mustLoad(t)
	for _, a := range c.Langs() {
		for _, b := range c.Langs() {
			for _, k := range c.Keys(a) {
				if _, ok := c.langs[b][k]; !ok {
					t.Errorf("%s has %q, %s lacks it", a, k, b)
				}
			}
		}
	}
}

var verbRE = regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*\d*(\.\d+)?([a-zA-Z%])`)

// argVerbs maps each argument index a format uses to its verb letter.
func argVerbs(format string) map[int]string {
	out := make(map[int]string)
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[4] == "%" {
			continue
		}
		i := next
		if m[2] != "" {
			i = atoi(m[2])
		}
		out[i] = m[4]
		next = i + 1
	}
	return out
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// TestTranslationsTakeTheSameArguments keeps translators from retyping an
// argument: where two languages use the same argument they use the same
// verb. (A translation may leave one out: "Q1/2020" needs no Roman numeral.)
func TestTranslationsTakeTheSameArguments(t *testing.T) {
	c := mustLoad(t)
	text := func(m message) string {
		if m.forms != nil {
			return m.forms["other"]
		}
		return m.text
	}
	for _, k := range c.Keys(Default) {
		want := argVerbs(text(c.langs[Default][k]))
		for _, lang := range c.Langs()[1:] {
			m, ok := c.langs[lang][k]
			if !ok {
				continue
			}
			for i, v := range argVerbs(text(m)) {
				if w, ok := want[i]; ok && w != v {
					t.Errorf("%s %q: argument %d is %%%s, in %s it is %%%s", lang, k, i, v, Default, want[i])
				}
			}
		}
	}
}

var keyUseRE = regexp.MustCompile(`\.(?:T|N)\("([^"]+)"\s*[,)]`)

// TestCodeUsesOnlyKnownKeys scans the Go sources of the module for literal
// keys passed to T and N and fails on any the catalogs lack.
func TestCodeUsesOnlyKnownKeys(t *testing.T) {
	c := mustLoad(t)
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyUseRE.FindAllStringSubmatch(string(b), -1) {
			for _, lang := range c.Langs() {
				if _, ok := c.langs[lang][m[1]]; !ok {
					t.Errorf("%s uses key %q, missing in %s", path, m[1], lang)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPrinter(t *testing.T) {
	c := mustLoad(t)
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Date(2020, 3, 31, 0, 0, 0, 0, loc)
	tests := []struct {
		name, lang, got, want string
	}{
		{"ngày", "vi", c.Printer("vi", loc).Date(deadline), "31/03/2020"},
		{"quý", "vi", c.Printer("vi", loc).Quarter(deadline), "quý I/2020"},
		{"quarter", "en", c.Printer("en", loc).Quarter(deadline), "Q1/2020"},
		{"quý IV", "vi", c.Printer("vi", loc).Quarter(time.Date(2024, 12, 31, 0, 0, 0, 0, loc)), "quý IV/2024"},
		{"giờ UTC hiện theo giờ Việt Nam", "vi", c.Printer("vi", loc).DateTime(time.Date(2020, 3, 31, 0, 30, 0, 0, time.UTC)), "31/03/2020 07:30"},
		{"ngôn ngữ lạ về tiếng Việt", "fr", c.Printer("fr", loc).T("status.regular"), "chính quy"},
		{"phần trăm", "vi", c.Printer("vi", loc).Percent(3, 4), "75,0%"},
		{"percent", "en", c.Printer("en", loc).Percent(1, 3), "33.3%"},
		{"không có gì để tính", "vi", c.Printer("vi", loc).Percent(0, 0), "–"},
		{"thiếu khóa", "vi", c.Printer("vi", loc).T("no.such.key"), "[no.such.key]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	c := mustLoad(t)
	for code, want := range map[string]string{"vi": "vi", "en-US": "en", "EN": "en", "ru": "vi", "": "vi"} {
		if got := c.Match(code); got != want {
			t.Errorf("Match(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestPluralForms(t *testing.T) {
	fsys := mapFS(map[string]string{
		"vi/a.json": `{"communes": {"other": "%d xã"}}`,
		"en/a.json": `{"communes": {"one": "%d commune", "other": "%d communes"}}`,
	})
	c, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	loc := time.UTC
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"vi", 1, "1 xã"}, {"vi", 5, "5 xã"}, {"en", 1, "1 commune"}, {"en", 0, "0 communes"}, {"en", 113, "113 communes"},
	} {
		if got := c.Printer(tt.lang, loc).N("communes", tt.n); got != tt.want {
			t.Errorf("%s N(%d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestLoadRejectsBrokenCatalogs(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"english lacks a plural form": {"vi/a.json": `{"k": {"other": "x"}}`, "en/a.json": `{"k": {"other": "x"}}`},
		"key twice across files":      {"vi/a.json": `{"k": "x"}`, "vi/b.json": `{"k": "y"}`, "en/a.json": `{"k": "x"}`},
		"not json":                    {"vi/a.json": `{"k": `, "en/a.json": `{}`},
		"neither string nor forms":    {"vi/a.json": `{"k": 3}`, "en/a.json": `{}`},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := load(mapFS(files)); err == nil {
				t.Error("loaded without error")
			}
		})
	}
}
