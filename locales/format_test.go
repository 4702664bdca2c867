package locales

import (
	"testing"
	"time"
)

func TestNumbers(t *testing.T) {
	c := mustLoad(t)
	vi, en := c.Printer("vi", time.UTC), c.Printer("en", time.UTC)
	fsys := mapFS(map[string]string{
		"vi/a.json": `{"days": "đã qua %d ngày", "change": "%+d so với tuần trước", "wide": "[%6d]", "left": "[%-6d|", "days_ago": {"other": "đã qua %[1]d ngày"}, "zero": "%05d", "hex": "%x"}`,
		"en/a.json": `{"days": "%d days ago", "change": "%+d", "wide": "[%6d]", "left": "[%-6d|", "days_ago": {"one": "%[1]d day ago", "other": "%[1]d days ago"}, "zero": "%05d", "hex": "%x"}`,
	})
	tc, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	tvi, ten := tc.Printer("vi", time.UTC), tc.Printer("en", time.UTC)
	tests := []struct {
		name, got, want string
	}{
		{"nghìn", vi.Num(10643), "10.643"},
		{"triệu", vi.Num(1234567), "1.234.567"},
		{"dưới nghìn", vi.Num(999), "999"},
		{"số âm", vi.Num(-2526), "-2.526"},
		{"thousands", en.Num(10643), "10,643"},
		{"thập phân", vi.Decimal(76.14, 1), "76,1"},
		{"thập phân có nghìn", vi.Decimal(12345.678, 2), "12.345,68"},
		{"âm không", vi.Decimal(-0.04, 1), "-0,0"},
		{"decimal", en.Decimal(76.14, 1), "76.1"},
		{"phần trăm", vi.Percent(86, 113), "76,1%"},
		{"phần trăm làm tròn nửa lên, như tính tay", vi.Percent(9, 16), "56,3%"},
		{"T nhóm số nguyên", tvi.T("days", 2526), "đã qua 2.526 ngày"},
		{"T giữ dấu +", tvi.T("change", 1200), "+1.200 so với tuần trước"},
		{"T số âm", tvi.T("change", -3), "-3 so với tuần trước"},
		{"T độ rộng", tvi.T("wide", 1234), "[ 1.234]"},
		{"T căn trái", tvi.T("left", 1234), "[1.234 |"},
		{"N nhóm số đếm", tvi.N("days_ago", 2526), "đã qua 2.526 ngày"},
		{"N one", ten.N("days_ago", 1), "1 day ago"},
		{"N groups", ten.N("days_ago", 2526), "2,526 days ago"},
		{"T leaves int64 alone (ids)", ten.T("days", int64(5123456789)), "5123456789 days ago"},
		{"cờ 0 không nhóm", tvi.T("zero", 42), "00042"},
		{"%x không nhóm", tvi.T("hex", 255), "ff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestPostsAfterTheUnitsType(t *testing.T) {
	c := mustLoad(t)
	vi, en := c.Printer("vi", time.UTC), c.Printer("en", time.UTC)
	tests := []struct {
		name, got, want string
	}{
		{"trưởng xã", vi.Post("chief", "xã", 0), "Trưởng Công an xã"},
		{"trưởng thị trấn", vi.Post("chief", "thị trấn", 0), "Trưởng Công an thị trấn"},
		{"phó phường thứ hai", vi.Post("deputy", "phường", 2), "Phó Trưởng Công an phường 2"},
		{"phó thị trấn thứ nhất", vi.Post("deputy", "thị trấn", 1), "Phó Trưởng Công an thị trấn 1"},
		{"công an viên", vi.Post("officer", "thị trấn", 3), "Công an viên 3"},
		{"không rõ loại đơn vị", vi.Post("chief", "", 0), "Trưởng Công an xã"},
		{"township chief", en.Post("chief", "thị trấn", 0), "Chief of township police"},
		{"vai trò ở thị trấn", vi.Role("commune", "thị trấn"), "Công an thị trấn"},
		{"vai trò ở phường", vi.Role("commune", "phường"), "Công an phường"},
		{"vai trò chưa rõ đơn vị", vi.Role("commune", ""), "Công an xã"},
		{"vai trò huyện", vi.Role("district", ""), "Lãnh đạo huyện"},
		{"công an xã", vi.Position("commune", "xã", "Tân Lập"), "Công an xã Tân Lập"},
		{"công an thị trấn", vi.Position("commune", "thị trấn", "Vụ Bản"), "Công an thị trấn Vụ Bản"},
		{"lãnh đạo huyện", vi.Position("district", "", "Huyện Lạc Sơn"), "Lãnh đạo huyện Lạc Sơn"},
		{"lãnh đạo thành phố", vi.Position("district", "", "Thành phố Hòa Bình"), "Lãnh đạo thành phố Hòa Bình"},
		{"công an tỉnh", vi.Position("province", "", "Hòa Bình"), "Công an tỉnh Hòa Bình"},
		{"tên tỉnh có loại", vi.Position("province", "", "Tỉnh Hòa Bình"), "Công an tỉnh Hòa Bình"},
		{"thành phố trực thuộc trung ương", vi.Position("province", "", "Thành phố Hà Nội"), "Công an thành phố Hà Nội"},
		{"province", en.Province("Hòa Bình"), "Hòa Bình province"},
		{"district head", en.Position("district", "", "Huyện Lạc Sơn"), "Head of Huyện Lạc Sơn"},
		{"tên trong câu", vi.InSentence("Huyện Lạc Sơn"), "huyện Lạc Sơn"},
		{"thị xã", vi.InSentence("Thị xã Sơn Tây"), "thị xã Sơn Tây"},
		{"quận", vi.InSentence("Quận Ba Đình"), "quận Ba Đình"},
		{"tên không có loại", vi.InSentence("Hòa Bình"), "Hòa Bình"},
		{"a word that only starts like a type", vi.InSentence("Huyệnx"), "Huyệnx"},
		{"loại viết hoa mọi chữ", vi.InSentence("Thị Xã Mường Lay"), "thị xã Mường Lay"},
		{"loại viết hoa cả", vi.InSentence("THỊ XÃ Sơn Tây"), "thị xã Sơn Tây"},
		{"chỉ có loại", vi.InSentence("Huyện"), "huyện"},
		{"tên rỗng", vi.InSentence(""), ""},
		{"English keeps the roster's spelling", en.InSentence("Huyện Lạc Sơn"), "Huyện Lạc Sơn"},
		{"giờ và ngày", vi.At(time.Date(2020, 3, 4, 1, 5, 0, 0, time.UTC)), "01:05 ngày 04/03/2020"},
		{"quý không nhóm năm", vi.Quarter(time.Date(2020, 3, 31, 0, 0, 0, 0, time.UTC)), "quý I/2020"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// TestEveryLanguageHasNumberMarks keeps a new language from writing
// numbers with no separators.
func TestEveryLanguageHasNumberMarks(t *testing.T) {
	for lang := range pluralForms {
		if m, ok := marks[lang]; !ok || m.thousands == "" || m.decimal == "" {
			t.Errorf("%s has no number marks", lang)
		}
	}
}
