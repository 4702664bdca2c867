package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// changesWorkbook writes the worked example of README as a provincial
// officer saves it from Excel: dates as date cells shown dd/mm/yyyy,
// codes typed as numbers (Excel drops their leading zero), the unused
// cells left empty.
func changesWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	eff := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	rows := [][]any{
		{"effective", "kind", "old_codes", "new_code", "new_name", "district_code"},
		{eff, "merge", "04849|04852|04855", 90001, "Xã Tân Pheo"},
		{eff, "merge", "4831|4885", 90002, "Xã Đà Bắc"},
		{eff, "merge", "04924|04942|04945", 90003, "Xã Lương Sơn"},
		{eff, "merge", "04789|04792|04795|04798", 90004, "Phường Hòa Bình"},
		{eff, "abolish-district"},
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
	if err := f.SetCellStyle(s, "A2", "A6", style); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sap-xep-2025.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportChanges drives `caxbot import changes` on both backends: a
// file with bad lines names each and writes nothing; the worked example,
// from Excel, merges the communes, ends the districts, carries the posts
// and tells the users whose unit ended, in Vietnamese, through the outbox.
func TestImportChanges(t *testing.T) {
	backends := map[string]func(t *testing.T) (map[string]string, func() *store.DB){
		"sqlite": func(t *testing.T) (map[string]string, func() *store.DB) {
			env := dataEnv(t)
			return env, func() *store.DB { return openStore(t, env) }
		},
		"postgres": func(t *testing.T) (map[string]string, func() *store.DB) {
			env := dataEnv(t)
			env["DATABASE_URL"] = storetest.PostgresURL(t)
			return env, func() *store.DB {
				db, err := store.Open(context.Background(), env["DATABASE_URL"], nil)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
		},
	}
	for name, backend := range backends {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			env, open := backend(t)
			mustBin(t, env, "import", "communes", rosterFile)
			mustBin(t, env, "import", "posts", writeFile(t, "posts.csv", `commune_code,post,slot,status,holder,since
04849,chief,1,regular,Bùi Văn An,2019-10-01
04852,chief,1,semi,Xa Văn Thắng,
04855,officer,1,vacant,,
`))
			db := open()
			for _, u := range []store.User{
				{TelegramID: 701, Name: "Bùi Văn An", Role: store.RoleCommune, Scope: "04849", Lang: "vi"},
				{TelegramID: 702, Name: "Đinh Công Sơn", Role: store.RoleDistrict, Scope: "150", Lang: "vi"},
			} {
				if err := db.AddUser(ctx, u, "test", time.Now()); err != nil {
					t.Fatal(err)
				}
			}

			bad := writeFile(t, "sai.csv", `effective,kind,old_codes,new_code,new_name,district_code
01/07/2025,merge,04849|04852,90001,Tân Pheo,
01/07/2025,merge,04849|04858,04870,Đoàn Kết,
01/07/2025,gộp,04861|04867,90003,Tú Lý,
`)
			code, _, errOut := runBin(t, env, "", "import", "changes", bad)
			for _, want := range []string{
				"Dòng 3, cột old_codes: đơn vị mã “04849” không có trên bản đồ hành chính vào ngày hiệu lực",
				"Dòng 3, cột new_code: mã “04870” đang hoặc đã từng là mã của đơn vị khác",
				"Dòng 4, cột kind: loại thay đổi “gộp” không hợp lệ",
			} {
				if code != 1 || !strings.Contains(errOut, want) {
					t.Errorf("bad file: exit %d, stderr lacks %q:\n%s", code, want, errOut)
				}
			}
			if c, err := db.Communes(ctx, store.Scope{Role: store.RoleCommune, Code: "04849"}); err != nil || len(c) != 1 {
				t.Fatalf("a rejected file changed the map: %v %v", c, err)
			}

			workbook := changesWorkbook(t)
			out := mustBin(t, env, "import", "changes", workbook)
			if want := "Đã nhập sap-xep-2025.xlsx (trang tính “Sheet1”): 5 dòng thay đổi. Tạo mới 4 đơn vị cấp xã, kết thúc 12, đổi tên 0, chuyển 143 sang huyện khác hoặc về trực thuộc tỉnh; kết thúc 10 huyện. Đã chuyển 3 chức danh cùng lịch sử báo cáo và 2 người dùng"; !strings.Contains(out, want) {
				t.Errorf("summary:\n got %s\nwant %s", out, want)
			}
			// The same file again changes nothing, and says so.
			again := mustBin(t, env, "import", "changes", workbook)
			if want := "Các dòng của tệp sap-xep-2025.xlsx (trang tính “Sheet1”) đã được nhập lúc "; !strings.Contains(again, want) || !strings.Contains(again, "cả 5 dòng thay đổi đều đã áp dụng. Lần nhập này không thay đổi gì.") {
				t.Errorf("importing the same file again:\n%s\nwant %s…", again, want)
			}
			if st, want := mustBin(t, env, "status"), "Lần nhập gần nhất: thay đổi bản đồ hành chính từ tệp sap-xep-2025.xlsx (5 dòng: tạo mới 4 đơn vị cấp xã, kết thúc 12)"; !strings.Contains(st, want) {
				t.Errorf("status after a change file:\n%s\nwant %s", st, want)
			}
			// A unit the changes ended is no scope to give anyone; a review
			// of a year it was on the map still names it.
			code, _, errOut = runBin(t, env, "", "users", "add", "--telegram-id", "703", "--role", "commune", "--scope", "04852", "--name", "Lò Văn Hải")
			if want := "Mã “04852” (vai trò Công an xã) không còn trên bản đồ hành chính: đơn vị này đã được sắp xếp vào đơn vị mã “90001”."; code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("users add of an ended commune: exit %d\n%s\nwant %s", code, errOut, want)
			}
			if code, _, errOut = runBin(t, env, "", "users", "add", "--telegram-id", "703", "--role", "district", "--scope", "17", "--name", "Lò Văn Hải"); code != 1 || !strings.Contains(errOut, "Không có mã “17”") {
				t.Errorf("users add of the province's own unit as a district: exit %d\n%s", code, errOut)
			}
			review := filepath.Join(t.TempDir(), "da-bac-2020.docx")
			mustBin(t, env, "review", "--district", "150", "--year", "2020", "--out", review)

			posts, err := db.CommunePosts(ctx, "90001")
			if err != nil || len(posts) != 3 {
				t.Errorf("posts of 90001: %+v %v", posts, err)
			}
			items, err := db.OutboxItems(ctx, "mapchange:")
			if err != nil {
				t.Fatal(err)
			}
			texts := make(map[int64]string)
			for _, it := range items {
				texts[it.ChatID] = it.Payload
			}
			for id, want := range map[int64]string{
				701: "Từ ngày 01/07/2025, xã Tân Pheo (04849) được sắp xếp vào xã Tân Pheo (90001)",
				702: "Từ ngày 01/07/2025, huyện Đà Bắc chấm dứt hoạt động; các xã, phường thuộc trực tiếp tỉnh Hòa Bình",
			} {
				if !strings.Contains(texts[id], want) {
					t.Errorf("message to %d: %s\nwant %s", id, texts[id], want)
				}
			}
		})
	}
}

// TestREADMEChangeExample imports README's example of each kind of change
// as it is printed there, so that the documented file stays one the
// command accepts.
func TestREADMEChangeExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "Each kind, with an example:\n\n```csv\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README has no example of each kind of change")
	}
	env := dataEnv(t)
	mustBin(t, env, "import", "communes", rosterFile)
	out := mustBin(t, env, "import", "changes", writeFile(t, "vi-du.csv", example))
	if want := "Đã nhập vi-du.csv: 6 dòng thay đổi. Tạo mới 3 đơn vị cấp xã, kết thúc 3, đổi tên 1, chuyển 28 sang huyện khác hoặc về trực thuộc tỉnh; kết thúc 2 huyện."; !strings.Contains(out, want) {
		t.Errorf("README's example:\n got %s\nwant %s", out, want)
	}
}
