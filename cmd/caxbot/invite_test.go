package main

import (
	"context"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
)

// TestInviteBulk makes the seed province's invitations as its IT officer
// would before the first meeting, reads the workbook back, and decodes
// every QR code of the PDF, rendered to images by poppler as a printer
// would, back to its link.
func TestInviteBulk(t *testing.T) {
	env := dataEnv(t)
	env["CAXBOT_BOT_USERNAME"] = "hoabinh_caxbot_bot"
	mustBin(t, env, "import", "communes", rosterFile)
	dir := filepath.Join(t.TempDir(), "hop-ngay-02-03")

	out := mustBin(t, env, "invite", "--bulk", "--scope", "17", "--out", dir)
	if !strings.Contains(out, "Đã tạo 151 lời mời (141 Công an xã, 10 Lãnh đạo huyện)") ||
		!strings.Contains(out, "19 trang để in") {
		t.Errorf("summary:\n%s", out)
	}

	// The workbook: a row per invitation, each a pending invitation of the store.
	book, err := excelize.OpenFile(filepath.Join(dir, "invitations.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows(book.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 152 {
		t.Fatalf("%d rows, want a header and 151 invitations", len(rows))
	}
	if want := []string{"STT", "Huyện", "Đơn vị", "Vai trò", "Người được mời", "Mã mời", "Đường dẫn", "Hết hạn"}; !slices.Equal(rows[0], want) {
		t.Errorf("header %q", rows[0])
	}
	db := openStore(t, env)
	ctx := context.Background()
	linkRE := regexp.MustCompile(`^https://t\.me/hoabinh_caxbot_bot\?start=([A-Za-z0-9_-]{20})$`)
	roles := map[string]int{}
	var links []string
	for _, r := range rows[1:] {
		for len(r) < 8 {
			r = append(r, "")
		}
		roles[r[3]]++
		m := linkRE.FindStringSubmatch(r[6])
		if m == nil || m[1] != r[5] {
			t.Fatalf("row %q: link and code do not match", r)
		}
		inv, err := db.Invitation(ctx, r[5])
		if err != nil {
			t.Fatalf("code %s of row %q: %v", r[5], r, err)
		}
		if inv.Role == store.RoleCommune && r[1] == "" {
			t.Errorf("commune row without its district: %q", r)
		}
		links = append(links, r[6])
	}
	// The role after the unit's type: the 10 thị trấn's police are Công an
	// thị trấn.
	if roles["Công an xã"] != 131 || roles["Công an thị trấn"] != 10 || roles["Lãnh đạo huyện"] != 10 {
		t.Errorf("roles %v, want 131 Công an xã, 10 Công an thị trấn and 10 Lãnh đạo huyện", roles)
	}
	if rows[1][2] != "Thành phố Hòa Bình" || rows[2][1] != "Thành phố Hòa Bình" || !strings.HasPrefix(rows[2][2], "Xã ") {
		t.Errorf("first rows %q, %q: want the city, then its first commune", rows[1], rows[2])
	}

	// The PDF as a printer sees it.
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("CAXBOT_REQUIRE_SERVICES") != "" {
			t.Fatal("pdftoppm (Debian's poppler-utils) is needed; .ci/run installs it")
		}
		t.Skip("pdftoppm (Debian's poppler-utils) is not installed: the QR codes are not decoded")
	}
	pages := filepath.Join(t.TempDir(), "trang")
	if out, err := exec.Command("pdftoppm", "-r", "110", "-gray", "-png", filepath.Join(dir, "invitations.pdf"), pages).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	images, _ := filepath.Glob(pages + "*.png")
	if len(images) != 19 {
		t.Errorf("%d pages, want 19", len(images))
	}
	var decoded []string
	for _, path := range images {
		decoded = append(decoded, decodeQRCodes(t, path)...)
	}
	sort.Strings(decoded)
	sort.Strings(links)
	if !slices.Equal(decoded, links) {
		t.Errorf("decoded %d QR codes, the workbook has %d links; first decoded %q", len(decoded), len(links), decoded[:min(3, len(decoded))])
	}
}

func decodeQRCodes(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	results, err := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, nil)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	var out []string
	for _, r := range results {
		out = append(out, r.GetText())
	}
	return out
}

func TestInviteListRevokeAndUsername(t *testing.T) {
	env := dataEnv(t)
	mustBin(t, env, "import", "communes", rosterFile)

	// No username yet: the officer is told how to set it.
	code, _, errOut := runBin(t, env, "", "invite", "--role", "district", "--scope", "150")
	if code != 1 || !strings.Contains(errOut, "Đặt CAXBOT_BOT_USERNAME=tên_bot") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("invite without a username: exit %d\n%s", code, errOut)
	}
	// serve records the username getMe gave; the commands beside it use it.
	db := openStore(t, env)
	if err := db.SetServiceFact(context.Background(), store.FactBotUsername, "congan_hoabinh_bot", time.Now()); err != nil {
		t.Fatal(err)
	}
	out := mustBin(t, env, "invite", "--role", "district", "--scope", "150", "--name", "Đinh Văn Bình")
	if !strings.Contains(out, "https://t.me/congan_hoabinh_bot?start=") {
		t.Errorf("invite after serve learnt the username:\n%s", out)
	}

	// People named in a file; with --scope, everyone must be inside it.
	people := writeFile(t, "moi.csv", "role;scope;name\nxã;4849;Bùi Văn An\ndistrict;148;Đinh Thị Hòa\n")
	code, _, errOut = runBin(t, env, "", "invite", "--bulk", "--from", people, "--scope", "150", "--out", t.TempDir())
	if code != 1 || !strings.Contains(errOut, "Dòng 3, cột scope: mã “148” nằm ngoài phạm vi đã chọn (--scope)") {
		t.Errorf("a row outside the scope: exit %d\n%s", code, errOut)
	}
	named := t.TempDir()
	if out := mustBin(t, env, "invite", "--bulk", "--from", people, "--out", named); !strings.Contains(out, "Đã tạo 2 lời mời (1 Công an xã, 1 Lãnh đạo huyện)") {
		t.Errorf("bulk from a file: %s", out)
	}
	if out := mustBin(t, env, "invite", "revoke", "--scope", "17"); !strings.Contains(out, "Đã hủy 3 lời mời") {
		t.Errorf("revoke the province's: %s", out)
	}
	mustBin(t, env, "invite", "--role", "district", "--scope", "150", "--name", "Đinh Văn Bình")

	mustBin(t, env, "invite", "--bulk", "--scope", "150", "--role", "commune", "--out", t.TempDir())
	list := mustBin(t, env, "invite", "list", "--scope", "150")
	one := regexp.MustCompile(`(?m)^([A-Za-z0-9_-]{20}) +Lãnh đạo huyện +150`).FindStringSubmatch(list)
	if one == nil {
		t.Fatalf("the district head's invitation is not listed:\n%s", list)
	}
	if !strings.Contains(list, "18 lời mời đang chờ.") || !strings.Contains(list, "Đinh Văn Bình") {
		t.Errorf("list of Đà Bắc, its district head and 17 xã and thị trấn:\n%s", list)
	}
	// The batch made again: the earlier cards stay valid unless replaced.
	if out := mustBin(t, env, "invite", "--bulk", "--scope", "150", "--role", "commune", "--out", t.TempDir()); !strings.Contains(out, "Lưu ý: 18 lời mời tạo trước đó trong phạm vi này vẫn còn hiệu lực.") {
		t.Errorf("bulk again: %s", out)
	}
	if out := mustBin(t, env, "invite", "--bulk", "--scope", "150", "--role", "commune", "--replace", "--out", t.TempDir()); !strings.Contains(out, "Đã hủy 34 lời mời còn chờ của đợt trước.") {
		t.Errorf("bulk with --replace, which leaves the district head's invitation: %s", out)
	}
	if out := mustBin(t, env, "invite", "revoke", one[1]); !strings.Contains(out, "Đã hủy lời mời “"+one[1]+"”.") {
		t.Errorf("revoke one: %s", out)
	}
	if code, _, errOut := runBin(t, env, "", "invite", "revoke", one[1]); code != 1 || !strings.Contains(errOut, "đã bị hủy trước đó") {
		t.Errorf("revoke twice: exit %d %s", code, errOut)
	}
	if out := mustBin(t, env, "invite", "revoke", "--scope", "150"); !strings.Contains(out, "Đã hủy 17 lời mời đang chờ trong phạm vi 150.") {
		t.Errorf("revoke a district's: %s", out)
	}
	if out := mustBin(t, env, "invite", "list"); !strings.Contains(out, "Không có lời mời nào đang chờ.") {
		t.Errorf("list after revoking: %s", out)
	}
	inv, err := db.Invitation(context.Background(), one[1])
	if err != nil || inv.RevokedAt == nil || inv.Pending(time.Now()) {
		t.Errorf("revoked invitation %+v, %v", inv, err)
	}
}
