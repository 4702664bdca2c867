package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestInviteBulkUnits makes the departments' cards on both backends: one
// per department `import units` listed, with --role unit, and from a
// file of role, scope, name rows that mixes a department with a
// district; a department outside the scope is named by its line.
func TestInviteBulkUnits(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			env := dataEnv(t)
			if backend == "postgres" {
				env["DATABASE_URL"] = storetest.PostgresURL(t)
			}
			env["CAXBOT_BOT_USERNAME"] = "hoabinh_caxbot_bot"
			ctx := context.Background()
			mustRun(t, env, "import", "communes", rosterFile)
			mustRun(t, env, "import", "units", unitsWorkbook(t))

			dir := filepath.Join(t.TempDir(), "so-nganh")
			out := mustRun(t, env, "invite", "--bulk", "--scope", "17", "--role", "unit", "--out", dir)
			if !strings.Contains(out, "Đã tạo 3 lời mời (3 Sở, ngành)") {
				t.Errorf("summary:\n%s", out)
			}
			book, err := excelize.OpenFile(filepath.Join(dir, "invitations.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			defer book.Close()
			rows, err := book.GetRows(book.GetSheetList()[0])
			if err != nil {
				t.Fatal(err)
			}
			var units []string
			db := openStoreOf(t, env)
			for _, r := range rows[1:] {
				if len(r) < 6 || r[1] != "" || r[3] != "Sở, ngành" {
					t.Errorf("a department's row %q: want no district and the role Sở, ngành", r)
					continue
				}
				units = append(units, r[2])
				inv, err := db.Invitation(ctx, r[5])
				if err != nil || inv.Role != store.RoleUnit {
					t.Errorf("code of row %q: %+v, %v", r, inv, err)
				}
			}
			if want := []string{"Phòng Tổ chức cán bộ Công an tỉnh", "Sở Nội vụ", "Sở Tài chính"}; !slices.Equal(units, want) {
				t.Errorf("departments %q, want %q", units, want)
			}

			// Printed again with --replace: the departments' cards of the
			// first batch are cancelled, no one else's.
			out = mustRun(t, env, "invite", "--bulk", "--scope", "17", "--role", "unit", "--replace", "--out", dir)
			if !strings.Contains(out, "Đã hủy 3 lời mời còn chờ của đợt trước.") {
				t.Errorf("again with --replace:\n%s", out)
			}

			// A district has no departments.
			code, _, errOut := run(t, env, "invite", "--bulk", "--scope", "157", "--role", "unit", "--out", dir)
			if code == 0 || !strings.Contains(errOut, "Phạm vi 157 không có đơn vị nào để mời.") {
				t.Errorf("a district's departments: exit %d\n%s", code, errOut)
			}

			file := writeFile(t, "moi.csv", "role,scope,name\nunit,snv,Đinh Văn Hùng\ndistrict,157,Bùi Văn Lâm\nsở ngành,STC,Hà Thị Mai\n")
			code, _, errOut = run(t, env, "invite", "--bulk", "--from", file, "--scope", "157", "--out", filepath.Join(t.TempDir(), "huyen"))
			if code == 0 || !strings.Contains(errOut, "Dòng 2") || strings.Contains(errOut, "Dòng 3") {
				t.Errorf("a department in a district's file: exit %d\n%s", code, errOut)
			}
			out = mustRun(t, env, "invite", "--bulk", "--from", file, "--scope", "17", "--out", filepath.Join(t.TempDir(), "tep"))
			if !strings.Contains(out, "Đã tạo 3 lời mời (1 Lãnh đạo huyện, 2 Sở, ngành)") {
				t.Errorf("from a file:\n%s", out)
			}
			pending, err := db.PendingInvitations(ctx, store.Scope{Role: store.RoleProvince, Code: "17"}, time.Date(2020, 3, 1, 1, 0, 0, 0, time.UTC)) // the tests' clock (main_test.go)
			if err != nil {
				t.Fatal(err)
			}
			var stc []string
			for _, inv := range pending {
				if inv.Role == store.RoleUnit && inv.Scope == "STC" {
					stc = append(stc, inv.Name)
				}
			}
			slices.Sort(stc)
			if !slices.Equal(stc, []string{"", "Hà Thị Mai"}) {
				t.Errorf("pending invitations of Sở Tài chính: %q, want the card's and Hà Thị Mai's", stc)
			}
		})
	}
}
