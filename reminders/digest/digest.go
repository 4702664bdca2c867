// Package digest renders the attachments of the weekly digest: a PNG chart
// of a milestone's progress by district and an XLSX workbook the provincial
// police can print. It only draws what it is given: the progress, roster and
// reports are computed elsewhere, and every word it writes comes translated
// in Labels, so the package has no user-facing text of its own.
package digest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/store"
)

// Digest is everything one weekly digest shows.
type Digest struct {
	Title string // e.g. "Bản tin tổng hợp tuần 23/03/2020 – 29/03/2020"
	// ScopeName labels the scope's own figures: "Toàn tỉnh" for a
	// province, the district's name for a district.
	ScopeName   string
	GeneratedAt time.Time
	// Location is the zone dates and times are shown in (Asia/Ho_Chi_Minh);
	// Chart and Workbook refuse to guess it.
	Location *time.Location
	// Milestones come in the order to show: those not yet done, the one
	// whose deadline is nearest first, then those done.
	Milestones []MilestoneDigest
	Roster     []RosterRow    // every post of every commune in scope, in the order to show
	Reports    []store.Report // the week's reports, in the order to show
	// Details holds what stands behind the reports that have any (their
	// decision and check), by report id.
	Details map[int64]store.Details
	// Replaced lists the people the scope's reports replaced so far, and
	// what becomes of each, oldest first.
	Replaced []ReplacedRow
	// ActorNames maps a report's Actor ("user:<id>", "import:<file>") to
	// the name to print; an actor without one is printed as is.
	ActorNames map[string]string
	Labels     Labels
}

// MilestoneDigest is one milestone's part of the digest.
type MilestoneDigest struct {
	Progress store.Progress
	Previous *store.Progress // last week's, for the change; nil when there is none
	Title    string          // translated milestone title
	Deadline time.Time
	Overdue  []store.CommuneProgress // communes still behind after the deadline
	Silent   []store.Commune         // communes that reported nothing in the week
	// Submitted holds, for a district_report milestone, when each district
	// that filed did so, by district code.
	Submitted map[string]time.Time
	// Supply is the sentence that weighs the posts still missing against
	// the register of people available before the deadline, translated;
	// empty when there is nothing to weigh.
	Supply string
	// Goal says what the stage measured asks for, when it is not every
	// post of every commune (a share, a count, a roadmap's step); empty
	// otherwise. Deadline is then the stage's.
	Goal string
	// Forecast says when the scope reaches the goal at the pace of the last
	// weeks; empty when the goal is met or the milestone is not about posts.
	Forecast string
}

// ReplacedRow is a person replaced, with the units of their post.
type ReplacedRow struct {
	District store.District
	Commune  store.Commune
	Replaced store.Replaced
}

// RosterRow is one post with the units it belongs to.
type RosterRow struct {
	District store.District
	Commune  store.Commune
	Post     store.Post
}

// Labels are the translated words the chart and the workbook print. The
// locales package fills them; every field is expected to be set.
type Labels struct {
	// Sheet names. A milestone's sheet is named after its title, or
	// SheetMilestone and its number when the title is empty.
	SheetMilestone string // "Mốc"
	SheetRoster    string // "Danh sách chức danh"
	SheetReports   string // "Báo cáo trong tuần"

	Deadline    string // "Thời hạn": under a milestone's title, in sheet and chart
	GeneratedAt string // "Lập lúc": in the printed pages' footer
	Overdue     string // "Quá hạn": column of the overdue communes
	Silent      string // "Không báo cáo trong tuần": column of the silent communes

	// Column headers.
	District       string // "Huyện"
	Unit           string // "Sở, ngành": the column of a milestone asked of the reporting units
	Commune        string // "Xã"
	CommuneType    string // "Loại"
	Total          string // "Tổng"
	Done           string // "Đã hoàn thành"
	Rate           string // "Tỷ lệ"
	Change         string // "Thay đổi so với tuần trước"
	BehindCommunes string // "Xã, thị trấn chưa hoàn thành (chưa có chính quy)"
	SubmittedAt    string // "Ngày nộp": a district_report milestone's sheet
	DaysOverdue    string // "Số ngày quá hạn": the same
	Post           string // "Chức danh"
	Slot           string // "Số thứ tự"
	Status         string // "Tình trạng"
	Holder         string // "Người đảm nhiệm"
	Since          string // "Từ ngày"
	Time           string // "Thời gian"
	FromTo         string // "Từ → đến"
	Actor          string // "Người báo cáo"
	Decision       string // "Quyết định"
	Check          string // "Xác nhận"

	// AllDistricts names the totals row: "Cộng".
	AllDistricts string
	// Num writes the counts a chart prints as the language does: 4.488 in
	// Vietnamese, 4,488 in English (locales.Printer.Num); nil writes the
	// digits alone.
	Num func(int) string

	// Names of the domain's codes. Posts are named by the type of their
	// commune ("Trưởng Công an thị trấn"), then by kind.
	Posts        map[store.CommuneType]map[store.PostKind]string
	Statuses     map[store.Status]string
	Checks       map[store.Check]string // "đã xác nhận", ...; a report without details is the province's own
	CommuneTypes map[store.CommuneType]string

	// Chart.
	ChartAxis  string // "Tỷ lệ xã đã xong"
	NotDone    string // "Chưa xong": legend of the bar's remainder
	ChartWorst string // "Các huyện có tỷ lệ thấp nhất": caption when not every district fits

	// Chart of a district_report milestone.
	Submitted         string // "Đã nộp": the count in the subtitle
	OnTime            string // "Nộp đúng hạn"
	Late              string // "Nộp muộn"
	NotSubmitted      string // "Chưa nộp": legend, and the value of a district that has not filed
	ChartNotSubmitted string // "Các huyện chưa nộp, rồi nộp muộn nhất": caption when not every district fits
	ChartReportAxis   string // "Ngày nộp"
}

// ErrNoMilestone is returned by Chart for an index outside d.Milestones.
var ErrNoMilestone = errors.New("digest: no such milestone")

// ErrNoLocation is returned by Chart and Workbook when d.Location is nil.
var ErrNoLocation = errors.New("digest: no time zone to show dates in")

// Vietnamese typing tools produce both composed and decomposed letters;
// fonts, sheet-name limits and uniqueness checks all want composed ones.
func nfc(s string) string { return norm.NFC.String(s) }

// dateLayout is how dates are shown: 31/03/2020.
const (
	dateLayout     = "02/01/2006"
	dateTimeLayout = "02/01/2006 15:04"
)

// rate is done over total, 0 when there is nothing to do.
func rate(done, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(done) / float64(total)
}

// missingText lists the posts a commune lacks at the target status, in the
// kinds' display order, the number before a post when it is more than
// one: "Phó Trưởng Công an xã, 2 Công an viên".
func missingText(l Labels, t store.CommuneType, missing map[store.PostKind]int) string {
	var parts []string
	for _, k := range store.PostKinds {
		switch n := missing[k]; {
		case n == 1:
			parts = append(parts, postName(l, t, k))
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, postName(l, t, k)))
		}
	}
	return strings.Join(parts, ", ")
}

// The name lookups fall back to the code so that a label missing from a
// catalog shows up as a visible code, not as a blank cell.
func postName(l Labels, t store.CommuneType, k store.PostKind) string {
	if s, ok := l.Posts[t][k]; ok {
		return s
	}
	return string(k)
}

func statusName(l Labels, s store.Status) string {
	if n, ok := l.Statuses[s]; ok {
		return n
	}
	return string(s)
}

func communeTypeName(l Labels, t store.CommuneType) string {
	if n, ok := l.CommuneTypes[t]; ok {
		return n
	}
	return string(t)
}
