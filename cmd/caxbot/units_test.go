package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// unitsWorkbook writes the departments as a provincial officer lists them
// in Excel: the header in the first row, a code typed in lower case, a
// blank row before the last.
func unitsWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"unit_code", "unit_name"},
		{"SNV", "Sở Nội vụ"},
		{"stc", "Sở Tài chính"},
		{},
		{"PTCCB", "Phòng Tổ chức cán bộ Công an tỉnh"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "so-nganh.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportUnitsCommandLine drives the reporting units through the
// command line on both backends: a bad file is named line by line and
// writes nothing, a good one is summed up, a unit's user is added, and
// the unit's filing is recorded against the seed plan's milestone.
func TestImportUnitsCommandLine(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			env := dataEnv(t)
			if backend == "postgres" {
				env["DATABASE_URL"] = storetest.PostgresURL(t)
			}
			ctx := context.Background()
			mustRun(t, env, "import", "communes", rosterFile)

			bad := writeFile(t, "so-nganh.csv", "unit_code,unit_name\nSNV,Sở Nội vụ\n148,Huyện Cao Phong\nSNV,Sở Nội vụ\nSTC,\n")
			code, _, errOut := run(t, env, "import", "units", bad)
			for _, want := range []string{
				"Tệp so-nganh.csv có 3 lỗi",
				"Dòng 3, cột unit_code (mã đơn vị): mã đơn vị “148” không hợp lệ",
				"Dòng 4, cột unit_code (mã đơn vị): trùng mã đơn vị SNV với một dòng trước",
				"Dòng 5, cột unit_name (tên đơn vị)",
			} {
				if code != 1 || !strings.Contains(errOut, want) {
					t.Errorf("bad file: exit %d, lacks %q:\n%s", code, want, errOut)
				}
			}

			out := mustRun(t, env, "import", "units", unitsWorkbook(t))
			if !strings.Contains(out, "Đã nhập so-nganh.xlsx (trang tính “Sheet1”): thêm 3, đổi 0, giữ nguyên 0.") {
				t.Errorf("summary:\n%s", out)
			}
			out = mustRun(t, env, "users", "add", "--telegram-id", "7001", "--role", "unit", "--scope", "snv", "--name", "Đinh Văn Hùng")
			if !strings.Contains(out, "Sở, ngành") {
				t.Errorf("users add:\n%s", out)
			}
			env["CAXBOT_BOT_USERNAME"] = "hoabinh_caxbot_bot"
			out = mustRun(t, env, "invite", "--role", "unit", "--scope", "stc", "--name", "Đinh Thị Hoa")
			if !strings.Contains(out, "Sở, ngành") || !strings.Contains(out, "STC") || !strings.Contains(out, "https://t.me/hoabinh_caxbot_bot?start=") {
				t.Errorf("invite a department's officer:\n%s", out)
			}
			code, _, errOut = run(t, env, "users", "add", "--telegram-id", "7002", "--role", "unit", "--scope", "SYT", "--name", "Lò Văn Tâm")
			if code == 0 || !strings.Contains(errOut, "Không có mã “SYT” cho vai trò Sở, ngành.") {
				t.Errorf("unknown unit: exit %d\n%s", code, errOut)
			}
			code, _, errOut = run(t, env, "plan", "submit", "--milestone", "district-plans", "--unit", "SNV")
			if code == 0 || !strings.Contains(errOut, "không phải mốc nộp báo cáo của các sở, ngành") {
				t.Errorf("a districts' milestone for a unit: exit %d\n%s", code, errOut)
			}
			out = mustRun(t, env, "plan", "submit", "--milestone", "unit-plans", "--unit", "snv")
			if !strings.Contains(out, "Đã ghi nhận Sở Nội vụ đã nộp: Các sở, ngành xây dựng kế hoạch triển khai Đề án.") {
				t.Errorf("submit:\n%s", out)
			}
			out = mustRun(t, env, "progress", "--milestone", "unit-plans")
			for _, want := range []string{"Sở, ngành                          Đã nộp", "Phòng Tổ chức cán bộ Công an tỉnh  0", "Sở Nội vụ                          1", "Toàn tỉnh                          1       3"} {
				if !strings.Contains(out, want) {
					t.Errorf("progress lacks %q:\n%s", want, out)
				}
			}

			if out := mustRun(t, env, "status"); !strings.Contains(out, "Người dùng: 1 (Công an xã 0, Lãnh đạo huyện 0, Công an tỉnh 0, Sở, ngành 1)") {
				t.Errorf("status:\n%s", out)
			}

			db := openStoreOf(t, env)
			u, err := db.User(ctx, 7001)
			if err != nil || u.Role != store.RoleUnit || u.Scope != "SNV" {
				t.Errorf("unit user %+v, %v", u, err)
			}
			units, err := db.ReportingUnits(ctx, store.Scope{})
			if err != nil || len(units) != 3 || units[2].Code != "STC" {
				t.Errorf("units %+v, %v", units, err)
			}
		})
	}
}
