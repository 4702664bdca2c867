package understand

import (
	"slices"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

func TestParseDecision(t *testing.T) {
	d := func(y, m, day int) *Date { return &Date{Year: y, Month: time.Month(m), Day: day} }
	tests := []struct {
		text string
		want DecisionForm
	}{
		{"QĐ 125/QĐ-CAT-PX01 ngày 10/3/2020 của Giám đốc Công an tỉnh; đại úy; đã qua đào tạo; đại học",
			DecisionForm{Number: "125/QĐ-CAT-PX01", Date: d(2020, 3, 10), Issuer: "Giám đốc Công an tỉnh", Rank: "dai_uy", Training: "đã qua đào tạo", Qualified: "đại học"}},
		{"qd so 125/qd-cat ngay 10/03/2020, thieu uy, chua qua dao tao, trung cap",
			DecisionForm{Number: "125/qd-cat", Date: d(2020, 3, 10), Rank: "thieu_uy", Training: "chưa qua đào tạo", Qualified: "trung cấp"}},
		{"Quyết định số 37 ngày 02/04/2020\nGiám đốc Công an tỉnh Hòa Bình",
			DecisionForm{Number: "37", Date: d(2020, 4, 2), Issuer: "Giám đốc Công an tỉnh Hòa Bình"}},
		{"Trung úy; lớp bồi dưỡng Trưởng Công an xã khóa 3; trình độ đại học an ninh",
			DecisionForm{Rank: "trung_uy", Training: "lớp bồi dưỡng Trưởng Công an xã khóa 3", Qualified: "đại học an ninh"}},
		{"1520/QĐ-BCA", DecisionForm{Number: "1520/QĐ-BCA"}},
		// What the blind tester typed.
		{"qd 125 ngay 10-3-2020", DecisionForm{Number: "125", Date: d(2020, 3, 10)}},
		{"125/QD-CAT 10/03/2020 Giám đốc CA tỉnh", DecisionForm{Number: "125/QD-CAT", Date: d(2020, 3, 10), Issuer: "Giám đốc CA tỉnh"}},
		{"Quyết định số 45/QĐ-CAT-PX01 ngày 10 tháng 3 năm 2020 của Giám đốc Công an tỉnh Hòa Bình",
			DecisionForm{Number: "45/QĐ-CAT-PX01", Date: d(2020, 3, 10), Issuer: "Giám đốc Công an tỉnh Hòa Bình"}},
		{"thượng úy, đã học lớp bồi dưỡng", DecisionForm{Rank: "thuong_uy", Training: "đã học lớp bồi dưỡng"}},
		{"đã học lớp bồi dưỡng", DecisionForm{Training: "đã học lớp bồi dưỡng"}},
		{"Đại uý, cử nhân luật", DecisionForm{Rank: "dai_uy", Qualified: "cử nhân luật"}},
		// Any order, no separators, no diacritics.
		{"ngay 5/6/2021 qd so 88/QD-CAH", DecisionForm{Number: "88/QD-CAH", Date: d(2021, 6, 5)}},
		{"ngay 5 thang 6 nam 2021 quyet dinh so 88 cua giam doc cong an tinh", DecisionForm{Number: "88", Date: d(2021, 6, 5), Issuer: "giam doc cong an tinh"}},
		{"QĐ số 125/QĐ-CAT ngày 10/3/2020", DecisionForm{Number: "125/QĐ-CAT", Date: d(2020, 3, 10)}},
		{"dai uy", DecisionForm{Rank: "dai_uy"}},
		{"thieu ta da qua dao tao dai hoc canh sat", DecisionForm{Rank: "thieu_ta", Training: "đã qua đào tạo", Qualified: "đại học canh sat"}},
		{"QĐ: 310/QĐ-CAT-PX01 (10.3.2020)", DecisionForm{Number: "310/QĐ-CAT-PX01", Date: d(2020, 3, 10)}},
		{"số 12 ngày 1/4/2020 UBND huyện Đà Bắc", DecisionForm{Number: "12", Date: d(2020, 4, 1), Issuer: "UBND huyện Đà Bắc"}},
		{"Trung tá; kỹ sư xây dựng", DecisionForm{Rank: "trung_ta", Qualified: "kỹ sư xây dựng"}},
		{"đang học, cao đẳng", DecisionForm{Training: "đang đào tạo", Qualified: "cao đẳng"}},
		{"qđ 77 ký ngày 20/11/2019", DecisionForm{Number: "77", Date: d(2019, 11, 20)}},
		// Whatever is not read is kept as typed.
		{"ảnh quyết định đây ạ", DecisionForm{Note: "ảnh quyết định đây ạ"}},
		{"125/QĐ-CAT, đồng chí chuyển từ Công an huyện Mai Châu về", DecisionForm{Number: "125/QĐ-CAT", Note: "đồng chí chuyển từ Công an huyện Mai Châu về"}},
		{"Đại úy, đang chờ quyết định chính thức", DecisionForm{Rank: "dai_uy", Note: "đang chờ quyết định chính thức"}},
		{"ngày 31/02/2020", DecisionForm{BadDate: "ngày 31/02/2020"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := ParseDecision(tt.text)
			if got.Number != tt.want.Number || got.Issuer != tt.want.Issuer || got.Rank != tt.want.Rank ||
				got.Training != tt.want.Training || got.Qualified != tt.want.Qualified || got.Note != tt.want.Note || got.BadDate != tt.want.BadDate ||
				(got.Date == nil) != (tt.want.Date == nil) || got.Date != nil && *got.Date != *tt.want.Date {
				t.Errorf("ParseDecision = %+v (date %v), want %+v (date %v)", got, got.Date, tt.want, tt.want.Date)
			}
		})
	}
}

// TestCheckQuestions: questions about the district's check read the fact
// asked, beside the posts named, and never turn into a question about
// regular police.
func TestCheckQuestions(t *testing.T) {
	g := mustHoaBinh(t)
	verified := store.FactCond{Fact: store.FactVerified}
	waiting := store.FactCond{Fact: store.FactVerified, Lacks: true}
	tests := []struct {
		text     string
		kinds    []store.PostKind
		statuses []store.Status
		match    store.Match
		fact     store.FactCond
	}{
		{"công an viên nào chưa được xác nhận", []store.PostKind{store.Officer}, nil, "", waiting},
		{"cong an vien nao chua duoc xac nhan", []store.PostKind{store.Officer}, nil, "", waiting},
		{"phó trưởng nào chờ xác nhận", []store.PostKind{store.Deputy}, nil, "", waiting},
		{"pho truong nao cho xac nhan", []store.PostKind{store.Deputy}, nil, "", waiting},
		{"trưởng công an xã nào đã được xác nhận", []store.PostKind{store.Chief}, nil, "", verified},
		// "hết": no post whose report waits.
		{"xa minh da duoc xac nhan het chua", nil, nil, store.MatchNone, waiting},
		{"xã mình đã được xác nhận hết chưa", nil, nil, store.MatchNone, waiting},
		{"CAV xa minh duoc xac nhan het chua", []store.PostKind{store.Officer}, nil, store.MatchNone, waiting},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			q := Parse(tt.text, g)
			if !slices.Equal(q.Kinds, tt.kinds) || !slices.Equal(q.Statuses, tt.statuses) || q.Match != tt.match ||
				len(q.Facts) != 1 || q.Facts[0] != tt.fact {
				t.Errorf("Parse = kinds %v statuses %v match %q facts %+v; want %v %v %q %+v", q.Kinds, q.Statuses, q.Match, q.Facts, tt.kinds, tt.statuses, tt.match, tt.fact)
			}
		})
	}
}

// TestStatementsNotAnswered: a statement whose words are mostly not the
// questions' is not answered as a question because a few of its words
// are; questions with a stray word still are.
func TestStatementsNotAnswered(t *testing.T) {
	g := mustHoaBinh(t)
	tests := []struct {
		text    string
		unknown bool
	}{
		{"Số quyết định không khớp với bản gốc, đề nghị gửi ảnh quyết định", true},
		{"so quyet dinh khong khop voi ban goc", true},
		{"đồng chí kiểm tra lại ngày ký quyết định bị sai", true},
		{"ảnh bị mờ không đọc được chữ ký", true},
		{"mai em đi họp trên huyện không trực được", true},
		{"xã nào chưa có trưởng công an chính quy", false},
		{"huyen da bac con bao nhieu xa chua co cav chinh quy vay a", false},
		{"cho em hỏi xã Tân Lập đã có trưởng công an chính quy chưa ạ", false},
		{"công an viên nào chưa được xác nhận", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			q := Parse(tt.text, g)
			if (q.Topic == TopicUnknown) != tt.unknown {
				t.Errorf("Parse = topic %q measure %q, want unknown %v", q.Topic, q.Measure, tt.unknown)
			}
		})
	}
}

// TestStandardsFields: a training or qualification typed in a field of
// its own is stored in the usual spelling when it is a common value,
// as typed otherwise; the values a form offers are those the chat reads.
func TestStandardsFields(t *testing.T) {
	for _, tt := range []struct{ typed, training, qualification string }{
		{"da qua dao tao", "đã qua đào tạo", "da qua dao tao"},
		{"  Chưa  qua đào tạo ", "chưa qua đào tạo", "Chưa qua đào tạo"},
		{"dang hoc", "đang đào tạo", "dang hoc"},
		{"lớp bồi dưỡng Trưởng Công an xã khóa 3", "lớp bồi dưỡng Trưởng Công an xã khóa 3", "lớp bồi dưỡng Trưởng Công an xã khóa 3"},
		{"dai hoc an ninh", "dai hoc an ninh", "đại học an ninh"},
		{"Trình độ trung cấp", "Trình độ trung cấp", "trung cấp"},
		{"", "", ""},
	} {
		if got := Training(tt.typed); got != tt.training {
			t.Errorf("Training(%q) = %q, want %q", tt.typed, got, tt.training)
		}
		if got := Qualification(tt.typed); got != tt.qualification {
			t.Errorf("Qualification(%q) = %q, want %q", tt.typed, got, tt.qualification)
		}
	}
	for typed, stored := range TrainingWords {
		if !slices.Contains(TrainingAnswers, stored) {
			t.Errorf("TrainingWords[%q] = %q is not offered", typed, stored)
		}
	}
	for typed, stored := range QualificationWords {
		if !slices.Contains(QualificationLevels, stored) {
			t.Errorf("QualificationWords[%q] = %q is not offered", typed, stored)
		}
	}
}
