package main

import (
	"strings"
	"testing"
)

// planFile is a plan of the province's own, as its IT officer writes one:
// regular chiefs in the pilot group's communes and then the rest.
func planFile(t *testing.T, name, group, districts string) string {
	return writeFile(t, name, `id: ke-hoach-2020
title: {vi: "Kế hoạch bố trí Công an chính quy năm 2020"}
milestones:
  - id: truong-thi-diem
    title: {vi: "Giữ Trưởng Công an xã chính quy ở các xã thí điểm"}
    kind: posts
    communes: {group: `+group+`}
    posts: [chief]
    target: regular
    start: 01/01/2020
    deadline: 2020-03-31
  - id: truong-con-lai
    title: {vi: "Trưởng Công an xã chính quy ở các xã còn lại"}
    kind: posts
    communes: {except_group: `+group+`, districts: [`+districts+`]}
    posts: [chief]
    target: regular
    start: 2020-01-01
    deadline: 2020-06-30
`)
}

func TestPlanLoadReplacesAndKeepsVersions(t *testing.T) {
	env := dataEnv(t)
	mustBin(t, env, "import", "communes", rosterFile)
	if out := mustBin(t, env, "plan", "list"); !strings.Contains(out, "seedplan.yaml") || !strings.Contains(out, "đang áp dụng") {
		t.Errorf("the seed plan is version 1:\n%s", out)
	}

	// A group that does not exist yet, and a district that has no commune.
	code, _, errOut := runBin(t, env, "", "plan", "load", planFile(t, "sai.yaml", "thi-diem", "999"))
	for _, want := range []string{
		"Không nạp được kế hoạch",
		"Mốc truong-thi-diem, trường communes.group: nhóm xã “thi-diem” chưa có; nhập nhóm trước bằng caxbot import group TÊN TỆP",
		"Mốc truong-con-lai, trường communes.except_group: nhóm xã “thi-diem” chưa có",
	} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("exit %d, answer lacks %q:\n%s", code, want, errOut)
		}
	}
	mustBin(t, env, "import", "group", "thi-diem", writeFile(t, "thi-diem.csv", "commune_code\n04849\n04855\n"))
	code, _, errOut = runBin(t, env, "", "plan", "check", planFile(t, "sai.yaml", "thi-diem", "999"))
	if code != 1 || !strings.Contains(errOut, "Mốc truong-con-lai, trường communes: mốc này không áp dụng cho xã nào trong danh sách") {
		t.Errorf("a milestone of no commune: exit %d\n%s", code, errOut)
	}
	if out := mustBin(t, env, "plan", "list"); strings.Count(out, "\n") != 3 {
		t.Errorf("refused plans added versions:\n%s", out)
	}

	good := planFile(t, "ke-hoach-2020.yaml", "thi-diem", "150, 151")
	out := mustBin(t, env, "plan", "load", good)
	if !strings.Contains(out, "Đã nạp kế hoạch ke-hoach-2020 với 2 mốc.") || !strings.Contains(out, "Kế hoạch hoabinh-2020 trước đây đã được thay") {
		t.Errorf("load:\n%s", out)
	}
	if out := mustBin(t, env, "plan", "load", good); !strings.Contains(out, "giống hệt phiên bản 2 đang áp dụng") {
		t.Errorf("load again:\n%s", out)
	}
	list := mustBin(t, env, "plan", "list")
	if !strings.Contains(list, "ke-hoach-2020.yaml") || !strings.Contains(list, "seedplan.yaml") {
		t.Errorf("list:\n%s", list)
	}
	if out := mustBin(t, env, "plan", "show"); strings.Contains(out, "hoabinh-2020") || !strings.Contains(out, "ke-hoach-2020") {
		t.Errorf("the active plan:\n%s", out)
	}
	if out := mustBin(t, env, "plan", "show", "--version", "1"); !strings.Contains(out, "(hoabinh-2020)") {
		t.Errorf("version 1:\n%s", out)
	}
	if out := mustBin(t, env, "progress"); !strings.Contains(out, "Giữ Trưởng Công an xã chính quy ở các xã thí điểm") || strings.Contains(out, "Quý I/2020") && strings.Contains(out, "hoabinh") {
		t.Errorf("progress of the new plan:\n%s", out)
	}
}
