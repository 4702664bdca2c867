package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
)

// postsWorkbook writes a posts workbook as a provincial officer fills one
// in Excel: a title sheet first, codes typed as numbers (Excel drops
// their leading zero), dates as date cells shown dd/mm/yyyy, a blank
// holder at the end of a row.
func postsWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Bìa"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("Bìa", "A1", "Danh sách bổ nhiệm tháng 3/2020"); err != nil {
		t.Fatal(err)
	}
	const s = "Chức danh"
	if _, err := f.NewSheet(s); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"commune_code", "post", "slot", "status", "holder", "since"},
		{4849, "chief", 1, "regular", "Bùi Văn An", time.Date(2020, 3, 15, 0, 0, 0, 0, time.UTC)},
		{4849, "deputy", 1, "semi", "Đinh Thị Hòa", time.Date(2016, 4, 3, 0, 0, 0, 0, time.UTC)},
		{"04855", "officer", 2, "vacant"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(s, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	vn := "dd/mm/yyyy"
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &vn})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(s, "F2", "F3", style); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bo-nhiem.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportPostsFromExcel(t *testing.T) {
	env := dataEnv(t)
	mustBin(t, env, "import", "communes", rosterFile)
	ctx := context.Background()

	t.Run("xlsx, second sheet", func(t *testing.T) {
		book := postsWorkbook(t)
		// The first sheet is the title page: the import says what it found there.
		code, _, errOut := runBin(t, env, "", "import", "posts", book)
		if code != 1 || !strings.Contains(errOut, "Dòng 1, cột commune_code: tiêu đề không đúng (tệp ghi “Danh sách bổ nhiệm tháng 3/2020”)") {
			t.Errorf("first sheet: exit %d\n%s", code, errOut)
		}
		out := mustBin(t, env, "import", "posts", book, "--sheet", "Chức danh")
		for _, want := range []string{
			"Đã nhập bo-nhiem.xlsx (trang tính “Chức danh”): thêm 3, đổi 0, giữ nguyên 0.",
			"Đã thêm lại số 0 ở đầu cho 2 mã mà bảng tính đã bỏ (ví dụ 4849 → 04849).",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("summary lacks %q:\n%s", want, out)
			}
		}
		posts, err := openStore(t, env).CommunePosts(ctx, "04849")
		if err != nil || len(posts) != 2 {
			t.Fatalf("posts of 04849: %v, %v", posts, err)
		}
		if p := posts[0]; p.Holder != "Bùi Văn An" || p.Since == nil || p.Since.Format(time.DateOnly) != "2020-03-15" {
			t.Errorf("chief %+v", p)
		}
	})

	t.Run("semicolon CSV as Excel saves it on Vietnamese Windows", func(t *testing.T) {
		file := writeFile(t, "chuc-danh.csv", "\uFEFFcommune_code;post;slot;status;holder;since\r\n"+
			"4831;chief;1;regular;Hà Văn Công;01/03/2020\r\n"+
			"04831;officer;1;semi;\"Lò Văn Tâm; bán chuyên trách\";5/6/2015\r\n"+
			";;;;;\r\n")
		out := mustBin(t, env, "import", "posts", file)
		for _, want := range []string{
			"Đã nhập chuc-danh.csv (CSV phân cách bằng “;”): thêm 2, đổi 0, giữ nguyên 0.",
			"Đã thêm lại số 0 ở đầu cho 1 mã mà bảng tính đã bỏ (ví dụ 4831 → 04831).",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("summary lacks %q:\n%s", want, out)
			}
		}
		posts, err := openStore(t, env).CommunePosts(ctx, "04831")
		if err != nil || len(posts) != 2 || posts[1].Since.Format(time.DateOnly) != "2015-06-05" || posts[1].Holder != "Lò Văn Tâm; bán chuyên trách" {
			t.Errorf("posts of 04831: %+v, %v", posts, err)
		}
	})

	t.Run("every problem at once, the store's too", func(t *testing.T) {
		file := writeFile(t, "sai.csv", "commune_code;post;slot;status;holder;since\n"+
			"09999;chief;1;regular;Bùi Văn An;15/03/2020\n"+
			"04849;truong;1;regular;Đinh Văn Bình;\n"+
			"04855;officer;1;vacant;;31/02/2020\n")
		code, _, errOut := runBin(t, env, "", "import", "posts", file)
		want := []string{
			"Tệp sai.csv có 3 lỗi, chưa nhập gì.",
			"Dòng 2, cột commune_code: không có xã mã “09999” trong danh sách",
			"Dòng 3, cột post: chức danh “truong” không có",
			"Dòng 4, cột since: ngày “31/02/2020” không có trên lịch (kiểm tra lại ngày và tháng)",
		}
		for _, w := range want {
			if !strings.Contains(errOut, w) {
				t.Errorf("exit %d, answer lacks %q:\n%s", code, w, errOut)
			}
		}
	})

	t.Run("not UTF-8", func(t *testing.T) {
		// "Bùi Văn An" as Excel's plain "CSV (Comma delimited)" saves it on Vietnamese Windows (Windows-1258).
		file := writeFile(t, "ansi.csv", "commune_code,post,slot,status,holder,since\r\n04849,chief,1,regular,B\xf9i V\xe3n An,\r\n")
		code, _, errOut := runBin(t, env, "", "import", "posts", file)
		if code != 1 || !strings.Contains(errOut, "Dòng 2: tệp không được lưu bằng bảng mã UTF-8") || strings.Contains(errOut, "\uFFFD") {
			t.Errorf("exit %d:\n%s", code, errOut)
		}
	})
}

func TestImportUsersAndGroups(t *testing.T) {
	env := dataEnv(t)
	mustBin(t, env, "import", "communes", rosterFile)

	good := writeFile(t, "nguoi-dung.csv", "telegram_id;role;scope;name\n"+
		"5123456789;commune;4849;Bùi Văn Thắng\n"+
		"1002;district;150;Đinh Thị Hòa\n"+
		"1003;tỉnh;17;Quách Văn Lâm\n")
	if out := mustBin(t, env, "users", "import", good); !strings.Contains(out, "Đã nhập nguoi-dung.csv (CSV phân cách bằng “;”): thêm 3, đổi 0, giữ nguyên 0.") {
		t.Errorf("users import: %s", out)
	}
	u, err := openStore(t, env).User(context.Background(), 5123456789)
	if err != nil || u.Scope != "04849" || u.Role != store.RoleCommune {
		t.Errorf("imported user %+v, %v", u, err)
	}

	bad := writeFile(t, "sai.csv", "telegram_id,role,scope,name\n"+
		"1004,commune,09999,Lò Văn Tâm\n"+
		"x12,commune,04849,Hà Văn Công\n"+
		"1006,chủ tịch,150,Xa Văn Minh\n"+
		"1004,district,150,Lò Văn Tâm\n")
	code, _, errOut := runBin(t, env, "", "users", "import", bad)
	for _, w := range []string{
		"Tệp sai.csv có 4 lỗi, chưa nhập gì.",
		"Dòng 2, cột scope: không có mã “09999” cho vai trò này",
		"Dòng 3, cột telegram_id: mã số Telegram “x12” không hợp lệ",
		"Dòng 4, cột role: vai trò “chủ tịch” không có",
		"Dòng 5, cột telegram_id: trùng mã số Telegram 1004 với một dòng trước (dòng 2)",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("exit %d, answer lacks %q:\n%s", code, w, errOut)
		}
	}
	if out := mustBin(t, env, "users", "list"); strings.Contains(out, "Lò Văn Tâm") {
		t.Errorf("a rejected file added a user:\n%s", out)
	}

	group := writeFile(t, "thi-diem.csv", "commune_code,commune_name\n04849,Tân Pheo\n04855,xã Tân Minh\n")
	mustBin(t, env, "import", "group", "pilot-2019", group)
	again := writeFile(t, "thi-diem-2.csv", "commune_code,commune_name\n04849,Tan Pheo\n4831,Đà Bắc\n")
	out := mustBin(t, env, "import", "group", "pilot-2019", again)
	for _, w := range []string{
		"Đã nhập nhóm pilot-2019 từ thi-diem-2.csv:",
		"thêm 1 xã: thị trấn Đà Bắc (04831)",
		"bỏ 1 xã: xã Tân Minh (04855)",
		"giữ nguyên 1 xã",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("group import lacks %q:\n%s", w, out)
		}
	}
	wrong := writeFile(t, "nham.csv", "commune_code,commune_name\n04849,Tân Minh\n")
	if code, _, errOut := runBin(t, env, "", "import", "group", "pilot-2019", wrong); code != 1 || !strings.Contains(errOut, "Dòng 2, cột commune_name: tên không khớp với mã: mã này là xã Tân Pheo") {
		t.Errorf("name that is another commune's: exit %d\n%s", code, errOut)
	}
}
