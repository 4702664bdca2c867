package store

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestParseUsers(t *testing.T) {
	const header = "telegram_id,role,scope,name\n"
	rows, err := ParseUsers(strings.NewReader(header +
		"1001,commune,4849,Bùi Văn Thắng\n" + // the leading zero a spreadsheet dropped
		"1002,Huyện,150,Đinh Thị Hòa\n" + // the role's Vietnamese name
		"1003,province,17,Quách Văn Lâm\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []User{
		{TelegramID: 1001, Role: RoleCommune, Scope: "04849", Name: "Bùi Văn Thắng"},
		{TelegramID: 1002, Role: RoleDistrict, Scope: "150", Name: "Đinh Thị Hòa"},
		{TelegramID: 1003, Role: RoleProvince, Scope: "17", Name: "Quách Văn Lâm"},
	}
	var got []User
	for _, r := range rows {
		got = append(got, r.User)
	}
	if !slices.Equal(got, want) {
		t.Errorf("users\n%+v\nwant\n%+v", got, want)
	}

	_, err = ParseUsers(strings.NewReader(header +
		"abc,commune,04849,Bùi Văn Thắng\n" +
		"1002,truong,04849,Đinh Thị Hòa\n" +
		"1003,commune,04849,\n" +
		"1004,district,15x,Lò Văn Tâm\n" +
		"1004,commune,04855,Hà Văn Công\n"))
	wantErrs := ImportErrors{
		{Line: 2, Column: "telegram_id", Problem: ProblemBadTelegramID, Value: "abc"},
		{Line: 3, Column: "role", Problem: ProblemUnknownRole, Value: "truong"},
		{Line: 4, Column: "name", Problem: ProblemEmptyValue},
		{Line: 5, Column: "scope", Problem: ProblemBadCode, Value: "15x"},
		{Line: 6, Column: "telegram_id", Problem: ProblemDuplicateUser, Value: "1004", FirstLine: 5},
	}
	if got := importErrorsOf(t, err); !slices.Equal(got, wantErrs) {
		t.Errorf("errors\n%+v\nwant\n%+v", got, wantErrs)
	}
}

func TestImportUsers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		parse := func(text string) []UserRow {
			t.Helper()
			rows, err := ParseUsers(strings.NewReader("telegram_id,role,scope,name\n" + text))
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		if err := db.AddUser(ctx, User{TelegramID: 1001, Name: "Bùi Thắng", Role: RoleCommune, Scope: "04849", Lang: "en"}, "cli", at(0)); err != nil {
			t.Fatal(err)
		}
		res, err := db.ImportUsers(ctx, parse("1001,commune,04849,Bùi Văn Thắng\n1002,district,150,Đinh Thị Hòa\n1003,province,17,Quách Văn Lâm\n"), "nguoi-dung.xlsx", at(1))
		if err != nil {
			t.Fatal(err)
		}
		if res != (ImportResult{Added: 2, Changed: 1}) {
			t.Errorf("first import %+v", res)
		}
		u, err := db.User(ctx, 1001)
		if err != nil || u.Name != "Bùi Văn Thắng" || u.Lang != "en" {
			t.Errorf("renamed user %+v, %v: want the new name and the language chosen", u, err)
		}

		_, err = db.ImportUsers(ctx, parse("1004,commune,04849,Lò Văn Tâm\n1005,commune,09999,Hà Văn Công\n1006,district,999,Xa Văn Minh\n"), "sai.csv", at(2))
		want := ImportErrors{
			{Line: 3, Column: "scope", Problem: ProblemUnknownScope, Value: "09999"},
			{Line: 4, Column: "scope", Problem: ProblemUnknownScope, Value: "999"},
		}
		if got := importErrorsOf(t, err); !slices.Equal(got, want) {
			t.Errorf("errors %+v, want %+v", got, want)
		}
		if _, err := db.User(ctx, 1004); err == nil {
			t.Error("a rejected import added a user")
		}
		res, err = db.ImportUsers(ctx, parse("1001,commune,04849,Bùi Văn Thắng\n"), "lai.csv", at(3))
		if err != nil || res != (ImportResult{Unchanged: 1}) {
			t.Errorf("import again: %+v, %v", res, err)
		}
	})
}
