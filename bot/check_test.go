package bot

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// daBacUser leads Đà Bắc, another district than the commune user's.
var daBacUser = tgtest.User{ID: 1004, FirstName: "Huyện Đà Bắc", LanguageCode: "vi"}

// decisionPhoto is a phone's picture of a paper, as small as a test needs.
func decisionPhoto(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	// Larger than a thumbnail: Telegram offers it in two sizes.
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 120, 160))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newCheckEnv is a webhook bot whose district users' chats exist, with a
// user for Đà Bắc too.
func newCheckEnv(t *testing.T, be backend) *env {
	t.Helper()
	e := newEnv(t, be, true, Options{})
	if err := e.db.AddUser(e.ctx, store.User{TelegramID: daBacUser.ID, Name: "Lãnh đạo Đà Bắc", Role: store.RoleDistrict, Scope: "150"}, "test", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.srv.AddUser(districtUser)
	e.srv.AddUser(daBacUser)
	e.srv.AddUser(provinceUser)
	return e
}

// reportChief has the commune user report a regular chief and returns the
// decision question and the report's id.
func reportChief(t *testing.T, e *env, holder string) (tgtest.Message, int64) {
	t.Helper()
	u := communeUser
	m := e.say(u, "/baocao truong chinh quy "+holder+" 15/03/2020")
	n := len(e.srv.Messages(u.ID))
	e.press(u, m, "Xác nhận")
	q := e.waitNew(u.ID, n)
	if !strings.Contains(q.PlainText, "quyết định điều động, bổ nhiệm") {
		t.Fatalf("after the report: %q", q.PlainText)
	}
	h, err := e.db.History(e.ctx, communeUserScope, 1)
	if err != nil {
		t.Fatal(err)
	}
	return q, h[0].ID
}

// checkMessage waits for the district's message about a report, with its
// buttons, sending what the outbox holds first: the chat's reports reach
// the district through it, as the Mini App's do.
func checkMessage(t *testing.T, e *env, to tgtest.User, n int) tgtest.Message {
	t.Helper()
	e.drain()
	// The first new message that asks for the check: a file the chat
	// was sent before (a digest's chart) may land after n was counted.
	return e.waitHolding(to.ID, n, "Báo cáo chờ xác nhận")
}

// TestDecisionPhotoVerified: a commune's report with a photo of its
// decision and its number reaches its district, which confirms it with
// one button; a forged confirmation from another district changes
// nothing; the reporter is told; the report counts as verified.
func TestDecisionPhotoVerified(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		u := communeUser
		_, id := reportChief(t, e, "Bùi Văn An")

		n := len(e.srv.Messages(u.ID))
		if _, err := e.srv.SendPhoto(u, u.ID, decisionPhoto(t), "QĐ số 125/QĐ-CAT ngày 10/3/2020 của Giám đốc Công an tỉnh"); err != nil {
			t.Fatal(err)
		}
		got := e.waitNew(u.ID, n)
		for _, want := range []string{"số 125/QĐ-CAT", "ngày 10/03/2020", "của Giám đốc Công an tỉnh", "(có ảnh)"} {
			if !strings.Contains(got.PlainText, want) {
				t.Errorf("recorded %q, want %q in it", got.PlainText, want)
			}
		}
		n = len(e.srv.Messages(u.ID))
		std := e.say(u, "dai uy; da qua dao tao; dai hoc")
		if !strings.Contains(std.PlainText, "Đại úy; đã qua đào tạo; trình độ đại học") || !strings.Contains(std.PlainText, "số 125/QĐ-CAT") {
			t.Errorf("after the standards: %q", std.PlainText)
		}
		dn := len(e.srv.Messages(districtUser.ID))
		e.press(u, std, "Đã gửi đủ")
		// The chief replaced was semi-professional: what becomes of him is
		// asked next.
		if q := e.waitNew(u.ID, n+1); !strings.Contains(q.PlainText, "phương án bố trí") {
			t.Errorf("after the decision: %q", q.PlainText)
		}

		// The district gets the photo, then the report with its buttons.
		check := checkMessage(t, e, districtUser, dn+1)
		if photo := e.srv.Messages(districtUser.ID)[dn]; photo.Photo == nil {
			t.Errorf("the district got %q before the report, not the photo", photo.PlainText)
		}
		for _, want := range []string{"xã Tân Lập", "bán chuyên trách (Bùi Văn 05287-C1) → chính quy (Bùi Văn An)", "Từ ngày: 15/03/2020", "số 125/QĐ-CAT", "Đại úy"} {
			if !strings.Contains(check.PlainText, want) {
				t.Errorf("district's message %q, want %q in it", check.PlainText, want)
			}
		}
		if len(e.srv.Messages(daBacUser.ID)) != 0 {
			t.Error("another district was sent the report")
		}
		if copy, err := e.db.DecisionFileOf(e.ctx, check0FileID(t, e, id)); err != nil || !bytes.Equal(copy.Data, decisionPhoto(t)) {
			t.Errorf("our copy of the photo: %d bytes, %v", len(copy.Data), err)
		}

		// A forged confirmation from Đà Bắc, and one from the reporter.
		verify := "v:" + strconv.FormatInt(id, 10) + ":ok"
		e.postWebhook(secret, callbackUpdate(910001, daBacUser, daBacUser.ID, 1, verify))
		e.postWebhook(secret, callbackUpdate(910002, communeUser, communeUser.ID, 1, verify))
		refused := 0
		for _, c := range e.srv.CallsOf("answerCallbackQuery") {
			if strings.Contains(c.Params["text"], "ngoài phạm vi đồng chí được xác nhận") {
				refused++
			}
		}
		if refused != 2 {
			t.Errorf("%d forged confirmations refused, want 2", refused)
		}
		if c, _ := e.db.CheckedReport(e.ctx, store.Scope{}, id); c.Details.Check != store.CheckReported {
			t.Fatalf("after the forged presses the report is %q", c.Details.Check)
		}

		// The progress answer shows the verified share beside the figures.
		if got := e.say(districtUser, "/tiendo"); !strings.Contains(got.PlainText, "Đã được lãnh đạo huyện xác nhận: ") ||
			!strings.Contains(got.PlainText, "; 1 vị trí chờ xác nhận.") {
			t.Errorf("/tiendo before the check: %q", got.PlainText)
		}
		// /xacnhan lists what waits in the user's own district only.
		if got := e.say(daBacUser, "/xacnhan"); !strings.Contains(got.PlainText, "Không có báo cáo nào chờ xác nhận (huyện Đà Bắc)") {
			t.Errorf("Đà Bắc's /xacnhan: %q", got.PlainText)
		}
		dn = len(e.srv.Messages(districtUser.ID))
		if got := e.say(districtUser, "/xacnhan"); !strings.Contains(got.PlainText, "1 báo cáo chờ xác nhận (huyện Lạc Sơn)") {
			t.Errorf("Lạc Sơn's /xacnhan: %q", got.PlainText)
		}
		if again := checkMessage(t, e, districtUser, dn+2); len(again.Keyboard) != 1 {
			t.Errorf("/xacnhan's report has buttons %v", again.Keyboard)
		}

		n = len(e.srv.Messages(u.ID))
		if ans := e.press(districtUser, check, "Xác nhận"); ans.Text != "Đã xác nhận." {
			t.Errorf("press answered %q", ans.Text)
		}
		if after := e.message(districtUser.ID, check.ID); !strings.Contains(after.PlainText, "✅ Đã xác nhận") || len(after.Keyboard) != 0 {
			t.Errorf("the district's message after the press: %q %v", after.PlainText, after.Keyboard)
		}
		if note := e.waitNew(u.ID, n); !strings.Contains(note.PlainText, "Báo cáo của đồng chí đã được xác nhận.\nNgười xác nhận: Cán bộ (Lãnh đạo huyện Lạc Sơn)") {
			t.Errorf("the reporter was told %q", note.PlainText)
		}
		c, err := e.db.CheckedReport(e.ctx, store.Scope{}, id)
		if err != nil || c.Details.Check != store.CheckVerified || c.Details.CheckedBy != "user:1002" {
			t.Errorf("after the confirmation: %+v, %v", c.Details, err)
		}
		// Counted as verified: nothing waits any more.
		if got := e.say(districtUser, "/tiendo"); strings.Contains(got.PlainText, "chờ xác nhận") {
			t.Errorf("/tiendo after the check: %q", got.PlainText)
		}
		m, err := e.db.Milestone(e.ctx, "chief-q1-2020")
		if err != nil {
			t.Fatal(err)
		}
		m.CountVerified = true
		ro, err := e.db.Roster(e.ctx, store.Scope{Role: store.RoleDistrict, Code: "157"}, m)
		if err != nil {
			t.Fatal(err)
		}
		if p := store.Evaluate(m, ro); p.Unverified != 0 {
			t.Errorf("after the check %d posts wait", p.Unverified)
		}
		// The post's history shows the decision and who confirmed it.
		h := e.say(u, "/lichsu")
		for _, want := range []string{"→ chính quy (Bùi Văn An)", "Quyết định: số 125/QĐ-CAT ngày 10/03/2020 của Giám đốc Công an tỉnh (có ảnh)",
			"Cấp bậc, đào tạo: Đại úy; đã qua đào tạo; trình độ đại học", "Đã xác nhận: Cán bộ (Lãnh đạo huyện Lạc Sơn)"} {
			if !strings.Contains(h.PlainText, want) {
				t.Errorf("/lichsu = %q, want %q in it", h.PlainText, want)
			}
		}
		// A second delivery of the press changes nothing.
		e.postWebhook(secret, callbackUpdate(910003, districtUser, districtUser.ID, int64(check.ID), verify))
		calls := e.srv.CallsOf("answerCallbackQuery")
		if last := calls[len(calls)-1].Params["text"]; !strings.Contains(last, "đã được xác nhận hoặc trả lại") {
			t.Errorf("a second press answered %q", last)
		}
	})
}

// check0FileID is the file id recorded with a report.
func check0FileID(t *testing.T, e *env, id int64) string {
	t.Helper()
	c, err := e.db.CheckedReport(context.Background(), store.Scope{}, id)
	if err != nil || c.Details.Decision.FileID == "" {
		t.Fatalf("report %d has no decision file: %+v, %v", id, c.Details, err)
	}
	return c.Details.Decision.FileID
}

// TestReportSentBackAndCorrected: the district sends a report back with a
// reason, which reaches the reporter; the reporter adds the decision, and
// the report waits for the district again, which confirms it.
func TestReportSentBackAndCorrected(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		u := communeUser
		q, id := reportChief(t, e, "Hà Văn Dũng")
		dn := len(e.srv.Messages(districtUser.ID))
		n := len(e.srv.Messages(u.ID))
		e.press(u, q, "Gửi sau")
		e.waitNew(u.ID, n) // what becomes of the chief replaced
		check := checkMessage(t, e, districtUser, dn)
		if !strings.Contains(check.PlainText, "Quyết định: chưa có") {
			t.Errorf("district's message %q", check.PlainText)
		}

		dn = len(e.srv.Messages(districtUser.ID))
		e.press(districtUser, check, "Trả lại")
		ask := e.waitNew(districtUser.ID, dn)
		if !strings.Contains(ask.PlainText, "lý do trả lại") {
			t.Fatalf("asked %q", ask.PlainText)
		}
		n = len(e.srv.Messages(u.ID))
		if done := e.say(districtUser, "Chưa có quyết định bổ nhiệm, đề nghị bổ sung"); !strings.Contains(done.PlainText, "đã trả lại báo cáo") {
			t.Errorf("after the reason: %q", done.PlainText)
		}
		if after := e.message(districtUser.ID, check.ID); !strings.Contains(after.PlainText, "Đã trả lại. Lý do: Chưa có quyết định bổ nhiệm") || len(after.Keyboard) != 0 {
			t.Errorf("the district's message after sending back: %q %v", after.PlainText, after.Keyboard)
		}
		note := e.waitNew(u.ID, n)
		if !strings.Contains(note.PlainText, "đã bị trả lại") || !strings.Contains(note.PlainText, "Lý do: Chưa có quyết định bổ nhiệm, đề nghị bổ sung") {
			t.Fatalf("the reporter was told %q", note.PlainText)
		}
		// /xacnhan shows the commune its reports sent back, with the
		// button to correct them.
		n = len(e.srv.Messages(u.ID))
		if got := e.say(u, "/xacnhan"); !strings.Contains(got.PlainText, "Đồng chí có 1 báo cáo bị trả lại") {
			t.Errorf("the commune's /xacnhan: %q", got.PlainText)
		}
		note = e.waitNew(u.ID, n+1)
		// The reporter corrects it later: the report waits again from
		// then, which asks the district anew.
		e.clock.advance(time.Hour)
		n = len(e.srv.Messages(u.ID))
		e.press(u, note, "Bổ sung quyết định")
		ask = e.waitNew(u.ID, n)
		if !strings.Contains(ask.PlainText, "quyết định điều động, bổ nhiệm") {
			t.Fatalf("asked %q", ask.PlainText)
		}
		n = len(e.srv.Messages(u.ID))
		e.srv.SendDocument(u, u.ID, "qd-37.pdf", []byte("%PDF-1.4 quyết định"), "Quyết định số 37/QĐ-CAT ngày 02/03/2020")
		rec := e.waitNew(u.ID, n)
		if !strings.Contains(rec.PlainText, "số 37/QĐ-CAT") || !strings.Contains(rec.PlainText, "(tệp qd-37.pdf)") {
			t.Errorf("recorded %q", rec.PlainText)
		}
		dn = len(e.srv.Messages(districtUser.ID))
		e.press(u, rec, "Đã gửi đủ")
		check = checkMessage(t, e, districtUser, dn+1)
		if doc := e.srv.Messages(districtUser.ID)[dn]; doc.Document == nil || doc.Document.Name != "qd-37.pdf" {
			t.Errorf("the district got %+v before the report, not the PDF", doc)
		}
		c, err := e.db.CheckedReport(e.ctx, store.Scope{}, id)
		if err != nil || c.Details.Check != store.CheckReported || c.Details.Decision.Number != "37/QĐ-CAT" {
			t.Fatalf("after the correction: %+v, %v", c.Details, err)
		}
		e.press(districtUser, check, "Xác nhận")
		if c, _ := e.db.CheckedReport(e.ctx, store.Scope{}, id); c.Details.Check != store.CheckVerified {
			t.Errorf("after the second look: %q", c.Details.Check)
		}
		log, err := e.db.AuditLog(e.ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range log {
			if strings.Contains(a.Detail, "report="+strconv.FormatInt(id, 10)) {
				actions = append(actions, a.Action)
			}
		}
		if strings.Join(actions, " ") != "verify_report correct_report return_report" {
			t.Errorf("audit trail %v", actions)
		}
	})
}

// TestDecisionInputRefused: what cannot be a decision is refused politely
// and the step still waits; a file sent when nothing asks for one is
// explained.
func TestDecisionInputRefused(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	u := communeUser
	if got := e.say(u, "/trogiup"); got.PlainText == "" {
		t.Fatal("no help")
	}
	n := len(e.srv.Messages(u.ID))
	e.srv.SendDocument(u, u.ID, "anh.pdf", []byte("%PDF"), "")
	if got := e.waitNew(u.ID, n); !strings.Contains(got.PlainText, "chỉ nhận ảnh, tệp quyết định khi đồng chí báo cáo") {
		t.Errorf("a file nobody asked for: %q", got.PlainText)
	}
	reportChief(t, e, "Bùi Văn An")
	tests := []struct{ name, text, want string }{
		{"nothing readable", "...", "chưa đọc được số, ngày quyết định"},
		{"a day not on the calendar", "QĐ 12 ngày 31/02/2020", "không có trên lịch"},
		{"a day after today", "số 12/QĐ-CAT ngày 20/03/2020", "không được sau ngày hôm nay"},
	}
	for _, tt := range tests {
		if got := e.say(u, tt.text); !strings.Contains(got.PlainText, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got.PlainText, tt.want)
		}
	}
	n = len(e.srv.Messages(u.ID))
	e.srv.SendDocument(u, u.ID, "danh-sach.xlsx", []byte("PK"), "")
	if got := e.waitNew(u.ID, n); !strings.Contains(got.PlainText, "không dùng được làm quyết định") {
		t.Errorf("a workbook as a decision: %q", got.PlainText)
	}
	if got := e.say(u, "125/QĐ-CAT ngày 10/03/2020"); !strings.Contains(got.PlainText, "số 125/QĐ-CAT ngày 10/03/2020") {
		t.Errorf("a good decision after the refusals: %q", got.PlainText)
	}
}

// TestDecisionKeepsWhatIsTyped: whatever an officer types at the decision
// step is recorded, read or kept as typed, in the forms officers write it.
func TestDecisionKeepsWhatIsTyped(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		u := communeUser
		reportChief(t, e, "Lò Văn Hùng")
		steps := []struct{ text, want string }{
			{"qd 125 ngay 10-3-2020", "Quyết định: số 125 ngày 10/03/2020"},
			{"Quyết định số 45/QĐ-CAT-PX01 ngày 10 tháng 3 năm 2020 của Giám đốc Công an tỉnh", "Quyết định: số 45/QĐ-CAT-PX01 ngày 10/03/2020 của Giám đốc Công an tỉnh"},
			{"thượng úy, đã học lớp bồi dưỡng", "Thượng úy; đã học lớp bồi dưỡng"},
			{"cử nhân luật", "trình độ cử nhân luật"},
			{"đồng chí chuyển từ Công an huyện Mai Châu về", "Ghi chú: đồng chí chuyển từ Công an huyện Mai Châu về"},
			{"chờ bản gốc", "Ghi chú: đồng chí chuyển từ Công an huyện Mai Châu về; chờ bản gốc"},
			// A question at the step is answered, not kept as a note.
			{"xã mình còn thiếu vị trí nào", "Xã Tân Lập"},
		}
		for _, st := range steps {
			if got := e.say(u, st.text); !strings.Contains(got.PlainText, st.want) {
				t.Errorf("%q: %q, want %q in it", st.text, got.PlainText, st.want)
			}
		}
		h, err := e.db.History(e.ctx, communeUserScope, 1)
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.db.CheckedReport(e.ctx, store.Scope{}, h[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Details.Note != "đồng chí chuyển từ Công an huyện Mai Châu về; chờ bản gốc" {
			t.Errorf("stored note %q", c.Details.Note)
		}
	})
}

// TestDecisionBeforeConfirmation: a decision typed while the report still
// waits for "Xác nhận" is not read as a question: the officer is reminded
// to confirm first, and what they typed is recorded once they do.
func TestDecisionBeforeConfirmation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		u := communeUser
		confirm := e.say(u, "/baocao truong chinh quy Lò Văn Hùng 15/03/2020")
		for _, text := range []string{"QĐ số 125/QĐ-CAT ngày 10/3/2020", "dai uy"} {
			if got := e.say(u, text); !strings.Contains(got.PlainText, "bấm “Xác nhận” ở báo cáo trên trước") {
				t.Errorf("%q before the confirmation: %q", text, got.PlainText)
			}
		}
		if got := e.say(u, "xã nào có trưởng CA đã qua đào tạo"); strings.Contains(got.PlainText, "bấm “Xác nhận”") {
			t.Errorf("a question before the confirmation taken as a decision: %q", got.PlainText)
		}
		n := len(e.srv.Messages(u.ID))
		e.press(u, confirm, "Xác nhận")
		if q := e.waitNew(u.ID, n); !strings.Contains(q.PlainText, "quyết định điều động, bổ nhiệm") {
			t.Errorf("after the confirmation: %q", q.PlainText)
		}
		got := e.waitNew(u.ID, n+1)
		for _, want := range []string{"số 125/QĐ-CAT ngày 10/03/2020", "Đại úy", "bấm “Đã gửi đủ”"} {
			if !strings.Contains(got.PlainText, want) {
				t.Errorf("recorded %q, want %q in it", got.PlainText, want)
			}
		}
	})
}

// TestStaleCheckPress: the district's "Xác nhận" under a report the
// commune has since reported again changes nothing and says the report
// was replaced; a press on a report that does not exist is a button no
// longer valid.
func TestStaleCheckPress(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		u := communeUser
		q, old := reportChief(t, e, "Đinh Công Mạnh")
		dn := len(e.srv.Messages(districtUser.ID))
		e.press(u, q, "Gửi sau")
		check := checkMessage(t, e, districtUser, dn)
		_, newer := reportChief(t, e, "Đinh Văn Đà")

		ans := e.press(districtUser, check, "Xác nhận")
		if !strings.Contains(ans.Text, "thay bằng báo cáo mới hơn") {
			t.Errorf("the stale press was answered %q", ans.Text)
		}
		if m := e.message(districtUser.ID, check.ID); !strings.Contains(m.PlainText, "Báo cáo mới là báo cáo đang chờ xác nhận") || len(m.Keyboard) != 0 {
			t.Errorf("the stale report's message now %q, buttons %v", m.PlainText, m.Keyboard)
		}
		if c, _ := e.db.CheckedReport(e.ctx, store.Scope{}, old); c.Details.Check != store.CheckReported {
			t.Errorf("the replaced report is %q", c.Details.Check)
		}
		if w, err := e.db.WaitingReports(e.ctx, store.Scope{Role: store.RoleDistrict, Code: "157"}, store.CheckReported); err != nil || len(w) != 1 || w[0].Report.ID != newer {
			t.Errorf("waiting after the stale press: %+v, %v", w, err)
		}
		// Trả lại under it, and the reporter's Bổ sung, change nothing either.
		for i, press := range []struct {
			from tgtest.User
			data string
		}{{districtUser, "v:" + strconv.FormatInt(old, 10) + ":back"}, {u, "d:" + strconv.FormatInt(old, 10)}} {
			e.postWebhook(secret, callbackUpdate(int64(910010+i), press.from, press.from.ID, check.ID, press.data))
			calls := e.srv.CallsOf("answerCallbackQuery")
			if got := calls[len(calls)-1].Params["text"]; !strings.Contains(got, "thay bằng báo cáo mới hơn") {
				t.Errorf("%s on the replaced report: %q", press.data, got)
			}
		}
		e.postWebhook(secret, callbackUpdate(910003, districtUser, districtUser.ID, check.ID, "v:987654:ok"))
		calls := e.srv.CallsOf("answerCallbackQuery")
		if got := calls[len(calls)-1].Params["text"]; got != "Nút này không còn hiệu lực." {
			t.Errorf("a press on no report: %q", got)
		}
	})
}

// TestFactQuestions: the holder's training and decision, as reported, are
// asked through the one grammar, with or without diacritics.
func TestFactQuestions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		signed := time.Date(2020, 3, 10, 0, 0, 0, 0, time.UTC)
		if _, err := e.db.ApplyChange(e.ctx, store.Change{Ref: store.PostRef{CommuneCode: communeUserScope, Kind: store.Chief, Slot: 1},
			Status: store.Regular, Holder: "Bùi Văn An", Actor: "user:1002", At: e.clock.Now(), Check: store.CheckVerified,
			Decision:  store.Decision{Number: "125/QĐ-CAT", Date: &signed},
			Standards: store.Standards{Rank: "dai_uy", Training: "đã qua đào tạo"}}); err != nil {
			t.Fatal(err)
		}
		// A deputy's report waits for the district.
		if _, err := e.db.ApplyChange(e.ctx, store.Change{Ref: store.PostRef{CommuneCode: communeUserScope, Kind: store.Deputy, Slot: 1},
			Status: store.Regular, Holder: "Quách Văn Bình", Actor: "user:1001", At: e.clock.Now(), Check: store.CheckReported}); err != nil {
			t.Fatal(err)
		}
		if got := e.say(communeUser, "xa minh da duoc xac nhan het chua").PlainText; !strings.HasPrefix(got, "Chưa. Xã Tân Lập còn vị trí chưa được xác nhận") {
			t.Errorf("the commune asks whether all is checked: %q", got)
		}
		defer func() {
			h, err := e.db.History(e.ctx, communeUserScope, 1)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.db.CheckReport(e.ctx, store.Verdict{ReportID: h[0].ID, Scope: store.Scope{Role: store.RoleDistrict, Code: "157"}, Verify: true, Actor: "user:1002", At: e.clock.Now()}); err != nil {
				t.Fatal(err)
			}
			if got := e.say(communeUser, "xã mình đã được xác nhận hết chưa").PlainText; !strings.HasPrefix(got, "Có. Xã Tân Lập không còn vị trí nào chưa được xác nhận") {
				t.Errorf("the commune asks again once all is checked: %q", got)
			}
		}()
		tests := []struct {
			question string
			want     []string
			notWant  string
		}{
			{"xã nào có trưởng CA đã qua đào tạo", []string{"Huyện Lạc Sơn: 1 xã có Trưởng Công an xã đã qua đào tạo:", "Xã Tân Lập"}, "Vụ Bản"},
			{"xa nao co truong ca chua qua dao tao", []string{"xã có Trưởng Công an xã chưa qua đào tạo:", "Thị trấn Vụ Bản"}, "Tân Lập"},
			{"trưởng công an xã nào chưa có quyết định", []string{"xã có Trưởng Công an xã chưa có quyết định:", "Thị trấn Vụ Bản"}, "Tân Lập"},
			{"bao nhieu xa co truong cong an da co quyet dinh", []string{"Huyện Lạc Sơn: 1 xã có Trưởng Công an xã đã có quyết định."}, ""},
			{"công an viên nào chưa được xác nhận", []string{"Huyện Lạc Sơn: không có vị trí nào Công an viên chưa được xác nhận."}, ""},
			// A statement with no question open is not answered as one.
			{"Số quyết định không khớp với bản gốc, đề nghị gửi ảnh quyết định", []string{"chưa hiểu câu hỏi"}, "Huyện Lạc Sơn"},
			{"phó trưởng nào chờ xác nhận", []string{"Huyện Lạc Sơn: 1 vị trí Phó Trưởng Công an xã chưa được xác nhận:", "Quách Văn Bình"}, ""},
			{"truong cong an nao da duoc xac nhan", []string{"vị trí Trưởng Công an xã đã được xác nhận", "Bùi Văn An"}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.question, func(t *testing.T) {
				got := e.say(districtUser, tt.question).PlainText
				for _, w := range tt.want {
					if !strings.Contains(got, w) {
						t.Errorf("answer %q, want %q in it", got, w)
					}
				}
				if tt.notWant != "" && strings.Contains(got, tt.notWant) {
					t.Errorf("answer %q names %q", got, tt.notWant)
				}
			})
		}
	})
}

// TestDistrictReportsDecision: a district head's own report is its own
// check, and still takes its decision; nobody is asked to confirm it.
func TestDistrictReportsDecision(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		u := districtUser
		m := reportToConfirm(t, e)
		n := len(e.srv.Messages(u.ID))
		e.press(u, m, "Xác nhận")
		if q := e.waitNew(u.ID, n); !strings.Contains(q.PlainText, "quyết định điều động, bổ nhiệm") {
			t.Fatalf("after the report: %q", q.PlainText)
		}
		got := e.say(u, "so 37/QD-CAT ngay 02/03/2020")
		if !strings.Contains(got.PlainText, "Quyết định: số 37/QD-CAT ngày 02/03/2020") {
			t.Errorf("the decision: %q", got.PlainText)
		}
		dn := len(e.srv.Messages(districtUser.ID))
		e.press(u, got, "Đã gửi đủ")
		if done := e.message(u.ID, got.ID); done.PlainText != "✅ Hệ thống đã ghi nhận quyết định." {
			t.Errorf("after the decision: %q", done.PlainText)
		}
		// What becomes of the chief replaced is asked next, and nothing
		// asks anyone to confirm the report.
		if q := e.waitNew(u.ID, dn); !strings.Contains(q.PlainText, "phương án bố trí") {
			t.Errorf("after the decision step: %q", q.PlainText)
		}
		for _, m := range e.srv.Messages(u.ID) {
			if strings.Contains(m.PlainText, "Báo cáo chờ xác nhận") {
				t.Errorf("a district's own report was sent to be checked: %q", m.PlainText)
			}
		}
		h, err := e.db.History(e.ctx, communeUserScope, 1)
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.db.CheckedReport(e.ctx, store.Scope{}, h[0].ID)
		if err != nil || c.Details.Check != store.CheckVerified || c.Details.CheckedBy != "user:1002" || c.Details.Decision.Number != "37/QD-CAT" {
			t.Errorf("details = %+v, %v", c.Details, err)
		}
	})
}

// TestProgressCountsVerified: under a plan that counts verified changes
// only, the progress answer counts a commune's new regular chief once
// its district confirms him, and says why before.
func TestProgressCountsVerified(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		countVerified(t, e)
		before := firstLine(e.say(districtUser, "/tiendo").PlainText)
		q, id := reportChief(t, e, "Bùi Văn An")
		dn := len(e.srv.Messages(districtUser.ID))
		e.press(communeUser, q, "Gửi sau")
		check := checkMessage(t, e, districtUser, dn)
		waiting := e.say(districtUser, "/tiendo").PlainText
		if firstLine(waiting) != before || !strings.Contains(waiting, "Kế hoạch chỉ tính báo cáo đã được xác nhận") ||
			!strings.Contains(waiting, "• Xã Tân Lập") {
			t.Errorf("before the check: %q, want %q first, the plan's rule and Tân Lập still behind", waiting, before)
		}
		e.press(districtUser, check, "Xác nhận")
		after := e.say(districtUser, "/tiendo").PlainText
		if firstLine(after) == before || strings.Contains(after, "chờ lãnh đạo huyện xác nhận") || strings.Contains(after, "Tân Lập") {
			t.Errorf("after the check of report %d: %q (before: %q)", id, after, before)
		}
	})
}

func firstLine(s string) string { line, _, _ := strings.Cut(s, "\n"); return line }

// TestCheckersFollowUsers: the district's users asked to check a report
// come from the user cache, which holds them only while no user changes:
// once the district's only user is removed (as by caxbot users on another
// replica), the next report goes to the province's users instead.
func TestCheckersFollowUsers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		u := communeUser
		report := func(holder string) {
			t.Helper()
			q, _ := reportChief(t, e, holder)
			e.press(u, q, "Gửi sau") // answered once the checkers are asked
		}
		dn, pn := len(e.srv.Messages(districtUser.ID)), len(e.srv.Messages(provinceUser.ID))
		report("Hà Văn Dũng")
		checkMessage(t, e, districtUser, dn)
		if n := len(e.srv.Messages(provinceUser.ID)); n != pn {
			t.Fatalf("the province got %d messages while the district has a user", n-pn)
		}

		if err := e.db.RemoveUser(e.ctx, districtUser.ID, "test", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		e.clock.advance(2 * time.Second) // past Options.UserCheck
		dn = len(e.srv.Messages(districtUser.ID))
		report("Bùi Văn An")
		checkMessage(t, e, provinceUser, pn)
		if n := len(e.srv.Messages(districtUser.ID)); n != dn {
			t.Errorf("the removed district user got %d messages", n-dn)
		}
	})
}

// TestProgressAfterImportElsewhere: a progress answer counts over the
// communes the store has now, not those of the roster this replica read
// before another imported a new commune (it reloads its own only at its
// next check, Options.RosterCheck).
func TestProgressAfterImportElsewhere(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		countVerified(t, e)
		before := firstLine(e.say(districtUser, "/tiendo").PlainText)
		e.addDoiMay()
		if after := firstLine(e.say(districtUser, "/tiendo").PlainText); after == before {
			t.Errorf("/tiendo after a commune was added elsewhere still says %q", after)
		}
	})
}

// TestSemiReportAsksDistrict: a report of a post held semi-professionally
// asks for no decision; the district is asked to check it at once,
// through the outbox, written with the report.
func TestSemiReportAsksDistrict(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		u := communeUser
		m := e.say(u, "/baocao truong ban chuyen trach Hà Văn Dũng 15/03/2020")
		dn := len(e.srv.Messages(districtUser.ID))
		e.press(u, m, "Xác nhận")
		check := checkMessage(t, e, districtUser, dn)
		if !strings.Contains(check.PlainText, "Hà Văn Dũng") || len(check.Keyboard) != 1 {
			t.Errorf("district's message %q %v", check.PlainText, check.Keyboard)
		}
		h, err := e.db.History(e.ctx, communeUserScope, 1)
		if err != nil || len(h) != 1 || h[0].NewStatus != store.Semi {
			t.Fatalf("history %+v, %v", h, err)
		}
		e.press(districtUser, check, "Xác nhận")
		if c, _ := e.db.CheckedReport(e.ctx, store.Scope{}, h[0].ID); c.Details.Check != store.CheckVerified {
			t.Errorf("after the check: %q", c.Details.Check)
		}
	})
}
