package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders/propose"
	"github.com/caxbot/caxbot/store"
)

// The people of the scenario, by Telegram id.
const (
	demoProvinceID = 1001
	demoDistrictID = 2001
	demoChiefAID   = 3001
	demoChiefBID   = 3002
)

// The districts the scenario's people work in: Lạc Sơn, the largest, and
// Đà Bắc.
const (
	demoDistrictA = "157"
	demoDistrictB = "150"
)

// step is one thing that happens on a day of the scenario.
type step func(ctx context.Context) error

// script is the scenario, by day (YYYY-MM-DD):
//   - the first day: the provincial police invite a district head and two
//     commune chiefs, who join by their links; one chief reports the new
//     regular chief by buttons, the other a deputy by the short form; the
//     district head asks, without diacritics, what is missing, and for the
//     plan's milestones;
//   - a few days later the province records the district's plan;
//   - two batches of appointments arrive from the provincial police, which
//     finish some districts;
//   - on the deadline the district head acknowledges the reminder, then
//     reads the history of the commune that reported by buttons.
//
// The reminders and digests themselves come from the scheduler, on their
// days, in between.
func (d *demo) script(ctx context.Context, staff Staffing) (map[string][]step, error) {
	m, p := d.m, d.m.Printer
	lang := m.Settings.Lang
	districtA, err := m.DB.District(ctx, demoDistrictA)
	if err != nil {
		return nil, err
	}
	districtB, err := m.DB.District(ctx, demoDistrictB)
	if err != nil {
		return nil, err
	}
	communeA, err := d.pickBehind(ctx, demoDistrictA, staff.Pilot)
	if err != nil {
		return nil, err
	}
	communeB, err := d.pickBehind(ctx, demoDistrictB, staff.Pilot)
	if err != nil {
		return nil, err
	}
	person := func(id int64, name, label string) *demoPerson {
		who := &demoPerson{user: tgtest.User{ID: id, FirstName: name, LanguageCode: lang}, label: label}
		d.people = append(d.people, who)
		return who
	}
	province := person(demoProvinceID, "Nguyễn Văn Tỉnh", p.T("demo.who.province", p.Position(string(store.RoleProvince), "", m.Settings.ProvinceName), "Nguyễn Văn Tỉnh"))
	head := person(demoDistrictID, "Bùi Văn Thắng", p.T("demo.who.district", p.Position(string(store.RoleDistrict), "", districtA.Name), "Bùi Văn Thắng"))
	chiefA := person(demoChiefAID, "Quách Văn Hải", p.T("demo.who.commune", p.Post(string(store.Chief), string(communeA.Type), 0), communeA.Name, "Quách Văn Hải"))
	chiefB := person(demoChiefBID, "Xa Văn Minh", p.T("demo.who.commune", p.Post(string(store.Chief), string(communeB.Type), 0), communeB.Name, "Xa Văn Minh"))

	first := d.from
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	at := func(t time.Time, hour, minute int) step {
		return func(context.Context) error { d.clock.Set(d.at(t, hour, minute)); return nil }
	}
	say := func(who *demoPerson, text string) step {
		return func(ctx context.Context) error { return d.say(ctx, who, text) }
	}
	press := func(who *demoPerson, label string) step {
		return func(ctx context.Context) error { return d.press(ctx, who, label) }
	}
	received := func(who *demoPerson) step {
		return func(context.Context) error { d.received(who); return nil }
	}
	decision, err := decisionPicture()
	if err != nil {
		return nil, err
	}
	codes := make(map[int64]string)
	invite := func(who *demoPerson, role store.Role, district store.District, commune *store.Commune) step {
		return func(ctx context.Context) error {
			code, err := d.invite(ctx, province, who.user.FirstName, role, district, commune)
			codes[who.user.ID] = code
			return err
		}
	}
	join := func(who *demoPerson) step {
		return func(ctx context.Context) error { return d.say(ctx, who, "/start "+codes[who.user.ID]) }
	}

	s := map[string][]step{}
	s[day(first)] = []step{
		at(first, 8, 0),
		func(ctx context.Context) error {
			u := store.User{TelegramID: demoProvinceID, Name: "Nguyễn Văn Tỉnh", Role: store.RoleProvince, Scope: m.Settings.ProvinceCode, Lang: lang}
			if err := m.DB.AddUser(ctx, u, cliActor, m.Now()); err != nil {
				return err
			}
			d.noteLine(p.T("demo.admin_added", province.label, int64(demoProvinceID)))
			return nil
		},
		say(province, "/start"),
		at(first, 8, 5), invite(head, store.RoleDistrict, districtA, nil),
		at(first, 8, 10), invite(chiefA, store.RoleCommune, districtA, &communeA),
		at(first, 8, 15), invite(chiefB, store.RoleCommune, districtB, &communeB),
		at(first, 8, 30), join(head),
		at(first, 8, 40), join(chiefA),
		at(first, 8, 45), join(chiefB),
		at(first, 9, 0), say(chiefA, "/baocao"),
		press(chiefA, p.Post(string(store.Chief), string(communeA.Type), 0)),
		press(chiefA, ""), // the only chief slot
		press(chiefA, p.T("status.regular")),
		say(chiefA, "Bùi Văn An"),
		press(chiefA, p.T("bot.report.today")),
		press(chiefA, p.T("bot.button.confirm")),
		// The new chief is regular: the bot asks for the decision behind
		// him, which the chief photographs, and his standards.
		func(ctx context.Context) error {
			return d.photo(ctx, chiefA, decision, "QĐ số 125/QĐ-CAT-PX01 ngày "+first.AddDate(0, 0, -1).Format("02/01/2006")+" của Giám đốc Công an tỉnh")
		},
		say(chiefA, "Đại úy; đã qua đào tạo; đại học"),
		press(chiefA, p.T("bot.decision.done")),
		// The chief replaced was semi-professional: the bot asks what
		// becomes of him.
		press(chiefA, p.T("arrangement.transferred")),
		// The district head gets the photo and the report, and confirms it.
		at(first, 9, 10), received(head),
		press(head, p.T("bot.check.verify")),
		received(chiefA),
		at(first, 9, 20), say(chiefB, "/baocao pho 1 chinh quy Hà Văn Long 01/03/2020"),
		press(chiefB, p.T("bot.button.confirm")),
		press(chiefB, p.T("bot.decision.later")),
		// Đà Bắc has no district user in the scenario: its report goes to
		// the provincial police, who confirm it.
		received(province),
		at(first, 9, 30), press(province, p.T("bot.check.verify")),
		received(chiefB),
		at(first, 10, 0), say(head, "huyen lac son con nhung xa nao chua co truong cong an chinh quy"),
		at(first, 10, 2), say(head, "con bao nhieu vi tri cong an vien con trong"),
		at(first, 10, 5), say(head, "/moc"),
	}
	plans := first.AddDate(0, 0, 4)
	s[day(plans)] = []step{at(plans, 9, 0), func(ctx context.Context) error {
		if err := m.DB.RecordSubmission(ctx, "district-plans", demoDistrictA, cliActor, m.Now()); err != nil {
			return err
		}
		d.noteLine(p.T("demo.plan_filed", p.InSentence(districtA.Name)))
		return nil
	}}
	r := rand.New(rand.NewPCG(d.seed, 11))
	keep := []string{communeA.Code, communeB.Code}
	for i, batch := range []struct {
		offset int
		share  int // in tenths of the communes still behind
	}{{9, 5}, {24, 4}} {
		on := first.AddDate(0, 0, batch.offset)
		name := fmt.Sprintf("bo-nhiem-dot-%d.csv", i+2)
		s[day(on)] = append(s[day(on)], at(on, 14, 0), func(ctx context.Context) error {
			return d.appoint(ctx, r, name, batch.share, keep)
		})
	}
	posting := time.Date(2020, 4, 15, 0, 0, 0, 0, m.Loc)
	if !posting.Before(first) && !posting.After(d.to) {
		g := rand.New(rand.NewPCG(d.seed, 19))
		s[day(posting)] = append(s[day(posting)], at(posting, 9, 0), func(ctx context.Context) error {
			return d.graduates(ctx, g, posting, keep)
		})
	}
	deadline := time.Date(2020, 3, 31, 0, 0, 0, 0, m.Loc)
	if !deadline.Before(first) && !deadline.After(d.to) {
		s[day(deadline)] = append(s[day(deadline)], at(deadline, 8, 0), press(head, p.T("reminders.button.ack")),
			at(deadline, 8, 10), say(head, "/lichsu "+communeA.Name))
	}
	// At the end of the window, the province asks for the review of it.
	review := fmt.Sprintf("/soket %s %s", first.Format("02/01/2006"), d.to.Format("02/01/2006"))
	s[day(d.to)] = append(s[day(d.to)], at(d.to, 16, 0), func(ctx context.Context) error { return d.sayAndWait(ctx, province, review, 3) })
	return s, nil
}

// decisionPicture is a phone's picture of a signed decision: a page of
// grey lines, as small as a transcript needs.
func decisionPicture() ([]byte, error) {
	img := image.NewGray(image.Rect(0, 0, 120, 170))
	for i := range img.Pix {
		img.Pix[i] = 0xf4
	}
	for y := 20; y < 150; y += 8 {
		for x := 12; x < 108; x++ {
			img.SetGray(x, y, color.Gray{Y: 0x40})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("caxbot: demo: decision picture: %w", err)
	}
	return buf.Bytes(), nil
}

// appoint is a batch of regular chiefs appointed by the provincial police,
// imported from their file: share tenths of the communes still without a
// regular chief, drawn by the seed, the scenario's own communes kept out.
func (d *demo) appoint(ctx context.Context, r *rand.Rand, name string, share int, keep []string) error {
	m, p := d.m, d.m.Printer
	vacant, err := m.DB.Vacancies(ctx, store.Scope{}, []store.PostKind{store.Chief}, nil)
	if err != nil {
		return err
	}
	var rows []store.PostRow
	names := parseNames(demoNames)
	since := dateOnly(m.Now(), m.Loc)
	for _, v := range vacant {
		if slices.Contains(keep, v.CommuneCode) || v.CommuneType == store.Phuong || r.IntN(10) >= share {
			continue
		}
		rows = append(rows, store.PostRow{Line: len(rows) + 2, Post: store.Post{
			CommuneCode: v.CommuneCode, Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: names.pick(r), Since: &since,
		}})
	}
	if len(rows) == 0 {
		return nil
	}
	res, err := m.DB.ImportPosts(ctx, rows, name, m.Now())
	if err != nil {
		return err
	}
	d.noteLine(p.T("demo.appointed", name, res.Changed))
	return nil
}

// dateOnly is the day of t as the store keeps a post's date: midnight UTC.
func dateOnly(t time.Time, loc *time.Location) time.Time {
	y, mo, dd := t.In(loc).Date()
	return time.Date(y, mo, dd, 0, 0, 0, 0, time.UTC)
}

// graduates is the register's scene: the provincial police import the
// year's police-school graduates and the officers who can be transferred,
// make the posting proposal (its workbook goes to the output folder), and
// accept its rows, each becoming a report, but for those of the
// scenario's own communes (keep), whose story goes on.
func (d *demo) graduates(ctx context.Context, r *rand.Rand, day time.Time, keep []string) error {
	m, p := d.m, d.m.Printer
	communes, err := m.DB.Communes(ctx, store.Scope{})
	if err != nil {
		return err
	}
	var homes []store.Commune
	for _, c := range communes {
		if c.InPlan() {
			homes = append(homes, c)
		}
	}
	names := parseNames(demoNames)
	available := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	graduated := time.Date(2019, 8, 1, 0, 0, 0, 0, time.UTC)
	veteran := time.Date(2010, 9, 1, 0, 0, 0, 0, time.UTC)
	languages := []string{"tiếng Mường", "tiếng Thái", "tiếng Dao", ""}
	var rows []store.CandidateRow
	add := func(id string, rank store.Rank, since time.Time) {
		c := store.Candidate{ID: id, Name: names.pick(r), Rank: rank, ServiceSince: &since,
			HomeCommune: homes[r.IntN(len(homes))].Code, AvailableFrom: available, Notes: languages[r.IntN(len(languages))],
			Status: store.CandidateAvailable}
		rows = append(rows, store.CandidateRow{Line: len(rows) + 2, Candidate: c})
	}
	for i := range demoGraduates {
		add(fmt.Sprintf("HV-2019-%02d", i+1), "thieu_uy", graduated)
	}
	for i := range demoTransfers {
		add(fmt.Sprintf("CA-DC-%02d", i+1), "dai_uy", veteran)
	}
	const register = "nguon-can-bo-2020.xlsx"
	if _, err := m.DB.ImportCandidates(ctx, rows, register, m.Now()); err != nil {
		return err
	}
	d.noteLine(p.T("demo.register", register, demoGraduates, demoTransfers))

	d.clock.Set(d.at(day, 9, 30))
	in, err := propose.Read(ctx, m.DB, day, "")
	if err != nil {
		return err
	}
	prop := propose.Make(in)
	name := "de-xuat-" + day.Format(time.DateOnly) + ".xlsx"
	var buf bytes.Buffer
	if err := propose.Workbook(&buf, p, prop); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d.dir, name), buf.Bytes(), 0o640); err != nil {
		return fmt.Errorf("caxbot: demo: %w", err)
	}
	chiefs := 0
	for _, row := range prop.Rows {
		if row.Seat.Kind == store.Chief {
			chiefs++
		}
	}
	met, first := metNeeds(prop)
	d.noteLine(p.T("demo.proposed", name, len(prop.Rows), chiefs, len(prop.Rows)-chiefs, met))
	if len(prop.Rows) > 0 {
		urgent := prop.Rows[0]
		for _, row := range prop.Rows {
			if row.Reason.Milestone.Deadline.Before(urgent.Reason.Milestone.Deadline) ||
				(row.Reason.Milestone.Deadline.Equal(urgent.Reason.Milestone.Deadline) && row.Reason.Escalated > urgent.Reason.Escalated) {
				urgent = row
			}
		}
		d.noteLine("  " + p.T("demo.proposed_row", urgent.Person.Name, p.T("rank."+string(urgent.Person.Rank)),
			p.T("propose.unit", p.T("commune_type."+string(urgent.Seat.Commune.Type)), urgent.Seat.Commune.Name),
			p.Post(string(urgent.Seat.Kind), string(urgent.Seat.Commune.Type), 0), propose.Reason(p, urgent.Reason)))
		if met > 0 {
			d.noteLine("  " + p.T("propose.completes", p.Num(met), first.Milestone.Title(p.Lang())))
		}
	}

	d.clock.Set(d.at(day, 10, 0))
	var postings []store.Posting
	for i, row := range prop.Rows {
		if slices.Contains(keep, row.Seat.Commune.Code) {
			continue
		}
		postings = append(postings, store.Posting{Line: i + 2, CandidateID: row.Person.ID,
			Ref:    store.PostRef{CommuneCode: row.Seat.Commune.Code, Kind: row.Seat.Kind, Slot: row.Seat.Slot},
			Expect: store.Post{Status: row.Seat.Status, Holder: row.Seat.Holder}, Day: day})
	}
	reports, err := propose.Accept(ctx, m.DB, postings, fmt.Sprintf("user:%d", demoProvinceID), name, m.Now())
	if err != nil {
		return err
	}
	d.noteLine(p.T("demo.accepted", len(reports), len(prop.Rows), name))
	return nil
}

// The register of the demo: the year's graduates (officers by the seed
// plan's rule) and the officers who can be transferred (senior enough to
// be chief).
const (
	demoGraduates = 12
	demoTransfers = 4
)
