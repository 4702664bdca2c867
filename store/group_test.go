package store

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestParseGroup(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		codes []string
		fail  []ImportError
	}{
		{"mã và tên", "commune_code,commune_name\n04849,Tân Pheo\n04855,Tân Minh\n", []string{"04849", "04855"}, nil},
		{"chỉ mã, CRLF, BOM", "\uFEFFcommune_code\r\n04849\r\n", []string{"04849"}, nil},
		{"trùng xã", "commune_code\n04849\n04849\n", nil, []ImportError{{Line: 3, Column: "commune_code", Problem: ProblemDuplicateCommune, Value: "04849", FirstLine: 2}}},
		{"mã mất số 0 ở đầu", "commune_code\n4849\n", []string{"04849"}, nil},
		{"mã sai", "commune_code\n4849x\n", nil, []ImportError{{Line: 2, Column: "commune_code", Problem: ProblemBadCode, Value: "4849x"}}},
		{"sai tiêu đề", "ma_xa\n04849\n", nil, []ImportError{{Line: 1, Column: "commune_code", Problem: ProblemBadHeader, Value: "ma_xa"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := ParseGroup(strings.NewReader(tt.text))
			if tt.fail != nil {
				got := importErrorsOf(t, err)
				if len(got) != len(tt.fail) {
					t.Fatalf("errors %v, want %v", got, tt.fail)
				}
				for i := range got {
					if got[i] != tt.fail[i] {
						t.Errorf("error %d: %+v, want %+v", i, got[i], tt.fail[i])
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, r := range rows {
				codes = append(codes, r.Code)
			}
			if strings.Join(codes, ",") != strings.Join(tt.codes, ",") {
				t.Errorf("codes %v, want %v", codes, tt.codes)
			}
		})
	}
}

func TestImportGroup(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		parse := func(text string) []GroupRow {
			rows, err := ParseGroup(strings.NewReader(text))
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		res, err := db.ImportGroup(ctx, SeedPilotGroup, parse("commune_code\n04849\n04855\n"), "cli", at(1))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Added, []string{"04849", "04855"}) || res.Removed != nil || res.Kept != nil {
			t.Errorf("first import: %+v", res)
		}
		res, err = db.ImportGroup(ctx, SeedPilotGroup, parse("commune_code\n04849\n04831\n"), "cli", at(2))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Added, []string{"04831"}) || !slices.Equal(res.Removed, []string{"04855"}) || !slices.Equal(res.Kept, []string{"04849"}) {
			t.Errorf("second import: %+v", res)
		}

		_, err = db.ImportGroup(ctx, SeedPilotGroup, parse("commune_code,commune_name\n04849,xa tan pheo\n09999,\n04831,Tân Lập\n"), "cli", at(3))
		got := importErrorsOf(t, err)
		want := ImportErrors{
			{Line: 3, Column: "commune_code", Problem: ProblemUnknownCommune, Value: "09999"},
			{Line: 4, Column: "commune_name", Problem: ProblemNameMismatch, Value: "thị trấn Đà Bắc"},
		}
		if !slices.Equal(got, want) {
			t.Fatalf("errors %v, want %v", got, want)
		}
		groups, err := db.Groups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		g := groups[SeedPilotGroup]
		if len(g) != 2 || !g["04849"] || !g["04831"] {
			t.Errorf("group after a rejected import = %v, want the second import's 04849 and 04831", g)
		}
	})
}
