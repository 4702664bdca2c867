package understand

import (
	"slices"
	"testing"
)

func TestParseDecision(t *testing.T) {
	tests := []struct {
		text string
		want DecisionForm
	}{
		{"QĐ 125/QĐ-CAT-PX01 ngày 10/3/2020 của Giám đốc Công an tỉnh; đại úy; đã qua đào tạo; đại học",
			DecisionForm{Number: "125/QĐ-CAT-PX01", Date: &Date{2020, 3, 10}, Issuer: "Giám đốc Công an tỉnh", Rank: "dai_uy", Training: "đã qua đào tạo", Qualified: "đại học"}},
		{"qd so 125/qd-cat ngay 10/03/2020, thieu uy, chua qua dao tao, trung cap",
			DecisionForm{Number: "125/qd-cat", Date: &Date{2020, 3, 10}, Rank: "thieu_uy", Training: "chưa qua đào tạo", Qualified: "trung cấp"}},
		{"Quyết định số 37 ngày 02/04/2020\nGiám đốc Công an tỉnh Hòa Bình",
			DecisionForm{Number: "37", Date: &Date{2020, 4, 2}, Issuer: "Giám đốc Công an tỉnh Hòa Bình"}},
		{"Trung úy; lớp bồi dưỡng Trưởng Công an xã khóa 3; trình độ đại học an ninh",
			DecisionForm{Rank: "trung_uy", Training: "lớp bồi dưỡng Trưởng Công an xã khóa 3", Qualified: "đại học an ninh"}},
		{"1520/QĐ-BCA", DecisionForm{Number: "1520/QĐ-BCA"}},
		{"ảnh quyết định đây ạ", DecisionForm{}},
		{"ngày 31/02/2020", DecisionForm{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := ParseDecision(tt.text)
			if got.Number != tt.want.Number || got.Issuer != tt.want.Issuer || got.Rank != tt.want.Rank ||
				got.Training != tt.want.Training || got.Qualified != tt.want.Qualified ||
				(got.Date == nil) != (tt.want.Date == nil) || got.Date != nil && *got.Date != *tt.want.Date {
				t.Errorf("ParseDecision = %+v (date %v), want %+v (date %v)", got, got.Date, tt.want, tt.want.Date)
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
