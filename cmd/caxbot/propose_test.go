package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
)

// TestProposeAndAccept imports a register into a copy of the demo's
// store, makes a proposal as of 20/04/2020, marks one row in the
// workbook as a person would in Excel, and accepts it: the post becomes a
// report and the commune's progress moves; a second acceptance of the
// same file is refused by line, and nothing changes.
func TestProposeAndAccept(t *testing.T) {
	env := copyStore(t)
	ctx := context.Background()
	register := writeFile(t, "nguon.csv", "id,name,rank,service_since,home_commune_code,posts,available_from,notes\n"+
		"CA-150-07,Đinh Công Tráng,Đại úy,01/09/2010,4849,,01/04/2020,tiếng Mường\n"+
		"HV-2020-01,Bùi Văn Hùng,Thiếu úy,01/08/2019,04855,,01/04/2020,\n"+
		"HV-2020-02,Hà Thị Lan,Thiếu úy,,04849,trưởng thôn,,\n"+
		"HV-2020-03,Lò Văn Tâm,Thiếu úy,,99999,,01/04/2020,\n")
	code, _, errOut := runBin(t, env, "", "import", "candidates", register)
	for _, want := range []string{
		"Tệp nguon.csv có 3 lỗi, chưa nhập gì.",
		"Dòng 5, cột home_commune_code (mã xã quê quán): không có xã mã “99999”",
		"Dòng 4, cột posts (chức danh có thể đảm nhiệm): chức danh “trưởng thôn” không có",
		"Dòng 4, cột available_from (ngày sẵn sàng nhận nhiệm vụ): bỏ trống ô bắt buộc",
	} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("exit %d, answer lacks %q:\n%s", code, want, errOut)
		}
	}
	register = writeFile(t, "nguon2.csv", "id,name,rank,service_since,home_commune_code,posts,available_from,notes\n"+
		"CA-150-07,Đinh Công Tráng,Đại úy,01/09/2010,4849,,01/04/2020,tiếng Mường\n"+
		"HV-2020-01,Bùi Văn Hùng,Thiếu úy,01/08/2019,04855,,01/04/2020,\n")
	out := mustBin(t, env, "import", "candidates", register)
	if !strings.Contains(out, "Đã nhập danh sách nguồn từ nguon2.csv: thêm 2, đổi 0, giữ nguyên 0") {
		t.Errorf("import: %s", out)
	}

	book := filepath.Join(t.TempDir(), "de-xuat.xlsx")
	out = mustBin(t, env, "propose", "--date", "20/04/2020", "--out", book)
	// The demo left one person of its register unplaced: three in all.
	if !strings.Contains(out, "3 người được đề xuất") {
		t.Fatalf("propose: %s", out)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	// The captain's row: he alone may be chief.
	line := 0
	for i, r := range rows {
		if len(r) > 8 && r[1] == "CA-150-07" {
			line = i + 1
			if r[8] != "chief" {
				t.Errorf("the captain is proposed as %s, want chief: %v", r[8], r)
			}
		}
		if len(r) > 8 && r[1] == "HV-2020-01" && r[8] == "chief" {
			t.Errorf("a new graduate proposed as chief: %v", r)
		}
	}
	if line == 0 {
		t.Fatalf("no row for the captain: %v", rows)
	}
	commune := rows[line-1][5]
	if err := f.SetCellValue(f.GetSheetName(0), "A"+strconv.Itoa(line), "Có"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	db := openStore(t, env)
	before, err := db.Progress(ctx, "chief-q1-2020", store.Scope{Role: store.RoleCommune, Code: commune})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	out = mustBin(t, env, "propose", "accept", book)
	if !strings.Contains(out, "Đã chấp nhận 1 đề xuất từ de-xuat.xlsx") {
		t.Errorf("accept: %s", out)
	}
	db = openStore(t, env)
	after, err := db.Progress(ctx, "chief-q1-2020", store.Scope{Role: store.RoleCommune, Code: commune})
	if err != nil {
		t.Fatal(err)
	}
	if before.Done != 0 || after.Done != 1 {
		t.Errorf("progress of %s: %d → %d, want 0 → 1", commune, before.Done, after.Done)
	}
	history, err := db.History(ctx, commune, 1)
	if err != nil || len(history) != 1 || history[0].NewHolder != "Đinh Công Tráng" || history[0].Source != "de-xuat.xlsx:"+strconv.Itoa(line) {
		t.Errorf("history %+v, %v", history, err)
	}
	db.Close()
	code, _, errOut = runBin(t, env, "", "propose", "accept", book)
	if code != 1 || !strings.Contains(errOut, "Dòng "+strconv.Itoa(line)+", cột id (số hiệu): đồng chí Đinh Công Tráng đã được bố trí") {
		t.Errorf("accepted twice: exit %d\n%s", code, errOut)
	}
}
