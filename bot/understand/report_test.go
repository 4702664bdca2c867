package understand

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
	"golang.org/x/text/unicode/norm"
)

func TestParseReport(t *testing.T) {
	g := mustHoaBinh(t)
	tanLap := &Place{Level: LevelCommune, Code: "05287", Name: "Tân Lập", Type: store.Xa, DistrictCode: "157", DistrictName: "Huyện Lạc Sơn"}
	caoSonDaBac := &Place{Level: LevelCommune, Code: "04876", Name: "Cao Sơn", Type: store.Xa, DistrictCode: "150", DistrictName: "Huyện Đà Bắc"}
	maiChau := &Place{Level: LevelCommune, Code: "05200", Name: "Mai Châu", Type: store.ThiTran, DistrictCode: "156", DistrictName: "Huyện Mai Châu"}
	day := func(d, m, y int) *Date { return &Date{Year: y, Month: time.Month(m), Day: d} }
	tests := []struct {
		name string
		args string
		want ReportForm
	}{
		{"chief with date", "truong chinh quy Bùi Văn An 15/03/2020",
			ReportForm{Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Bùi Văn An", Since: day(15, 3, 2020)}},
		{"whole command", "/baocao truong chinh quy Bùi Văn An 15/03/2020",
			ReportForm{Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Bùi Văn An", Since: day(15, 3, 2020)}},
		{"diacritics", "trưởng chính quy Bùi Văn An 15/03/2020",
			ReportForm{Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Bùi Văn An", Since: day(15, 3, 2020)}},
		{"decomposed input is stored composed", norm.NFD.String("Trưởng Chính quy Bùi Văn Ân"),
			ReportForm{Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Bùi Văn Ân"}},
		{"deputy slot semi", "pho 2 ban chuyen trach Nguyen Van B",
			ReportForm{Kind: store.Deputy, Slot: 2, Status: store.Semi, Holder: "Nguyen Van B"}},
		{"deputy in full", "Phó trưởng công an 1 bán chuyên trách Hà Thị Mai",
			ReportForm{Kind: store.Deputy, Slot: 1, Status: store.Semi, Holder: "Hà Thị Mai"}},
		{"officer vacant", "cav 3 trong",
			ReportForm{Kind: store.Officer, Slot: 3, Status: store.Vacant}},
		{"officer vacant in full", "công an viên 2 bỏ trống",
			ReportForm{Kind: store.Officer, Slot: 2, Status: store.Vacant}},
		{"abbreviated status", "truong ca cq Quach Van Tuan 1/4/2020",
			ReportForm{Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Quach Van Tuan", Since: day(1, 4, 2020)}},
		{"dashes and from", "pho truong bct Đinh Công Sơn từ ngày 05-01-2019",
			ReportForm{Kind: store.Deputy, Slot: 1, Status: store.Semi, Holder: "Đinh Công Sơn", Since: day(5, 1, 2019)}},
		{"holder named Tú keeps the name", "cav 1 chinh quy Lê Văn Tú 02/02/2020",
			ReportForm{Kind: store.Officer, Slot: 1, Status: store.Regular, Holder: "Lê Văn Tú", Since: day(2, 2, 2020)}},
		{"p.truong is deputy", "p.truong chinh quy Bui Thi Hoa",
			ReportForm{Kind: store.Deputy, Slot: 1, Status: store.Regular, Holder: "Bui Thi Hoa"}},
		{"commune first", "xa Tan Lap truong chinh quy Bui Van An 15/03/2020",
			ReportForm{Commune: tanLap, Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Bui Van An", Since: day(15, 3, 2020)}},
		{"commune with diacritics and commas", "xã Tân Lập, trưởng, chính quy, Bùi Văn An",
			ReportForm{Commune: tanLap, Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Bùi Văn An"}},
		{"bare commune", "tan lap cav 4 trong",
			ReportForm{Commune: tanLap, Kind: store.Officer, Slot: 4, Status: store.Vacant}},
		{"commune qualified by district", "xa cao son huyen da bac pho 1 chinh quy Xa Van Minh",
			ReportForm{Commune: caoSonDaBac, Kind: store.Deputy, Slot: 1, Status: store.Regular, Holder: "Xa Van Minh"}},
		{"town named like its district", "tt mai chau truong chinh quy Ha Van Thanh",
			ReportForm{Commune: maiChau, Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Ha Van Thanh"}},
		{"bare town named like its district", "Mai Châu trưởng chính quy Hà Văn Thành",
			ReportForm{Commune: maiChau, Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Hà Văn Thành"}},
		{"holder named Trọng is not vacant", "truong chinh quy Nguyen Van Trong",
			ReportForm{Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Nguyen Van Trong"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseReport(tt.args, g)
			if err != nil {
				t.Fatalf("ParseReport(%q): %v", tt.args, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseReport(%q)\n got %+v\nwant %+v", tt.args, got, tt.want)
			}
		})
	}
}

func TestParseReportErrors(t *testing.T) {
	g := mustHoaBinh(t)
	tests := []struct {
		name    string
		args    string
		problem Problem
		places  []string // codes expected in FormError.Places, in order
	}{
		{"empty", "  ", ProblemEmpty, nil},
		{"too long", "truong chinh quy" + strings.Repeat(" Bui", 50), ProblemTooLong, nil},
		{"no post", "chinh quy Bui Van An", ProblemMissingKind, nil},
		{"no status", "truong Bui Van An", ProblemMissingStatus, nil},
		{"status negated", "truong chưa chính quy Bui Van An", ProblemMissingStatus, nil},
		{"second chief", "truong 2 chinh quy Bui Van An", ProblemBadSlot, nil},
		{"slot zero", "cav 0 trong", ProblemBadSlot, nil},
		{"no holder", "pho 2 ban chuyen trach", ProblemMissingHolder, nil},
		{"vacant with a name", "cav 3 trống Nguyễn Văn B", ProblemUnexpectedHolder, nil},
		{"no such day", "truong chinh quy Bui Van An 31/02/2020", ProblemBadDate, nil},
		{"short year", "truong chinh quy Bui Van An 15/3/20", ProblemBadDate, nil},
		{"month first", "truong chinh quy Bui Van An 03/15/2020", ProblemBadDate, nil},
		{"two dates", "truong chinh quy Bui Van An 15/03/2020 16/03/2020", ProblemBadDate, nil},
		{"typo in commune", "xa tan lapp truong chinh quy Bui Van An", ProblemUnknownCommune, []string{"05287"}},
		{"commune in two districts", "xã Cao Sơn trưởng chính quy Bùi Văn An", ProblemAmbiguousCommune, []string{"04876", "04957"}},
		{"a district", "huyen lac son truong chinh quy Bui Van An", ProblemNotACommune, []string{"157"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseReport(tt.args, g)
			var fe *FormError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseReport(%q) error = %v, want a *FormError", tt.args, err)
			}
			if fe.Problem != tt.problem {
				t.Errorf("ParseReport(%q) problem = %q, want %q", tt.args, fe.Problem, tt.problem)
			}
			var codes []string
			for _, p := range fe.Places {
				codes = append(codes, p.Code)
			}
			if !reflect.DeepEqual(codes, tt.places) {
				t.Errorf("ParseReport(%q) places = %v, want %v", tt.args, codes, tt.places)
			}
		})
	}
}

func TestDate(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Skipf("no zone data: %v", err)
	}
	d := Date{Year: 2020, Month: time.March, Day: 5}
	if got := d.String(); got != "05/03/2020" {
		t.Errorf("String() = %q, want 05/03/2020", got)
	}
	if got := d.In(loc); got.Format(time.RFC3339) != "2020-03-05T00:00:00+07:00" {
		t.Errorf("In() = %v, want midnight of 5 March 2020 in Hanoi", got)
	}
}
