package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
)

// runReview writes a periodic review of the plan as a document and, beside
// it, a workbook with the same tables:
//
//	caxbot review (--from D --to D | --half 2020-1 | --year 2020) --out FILE.docx [--district CODE] [--date D]
func runReview(ctx context.Context, m *Main, args []string) error {
	p := m.Printer
	fs := m.flags("review")
	from := fs.String("from", "", p.T("flag.review_from"))
	to := fs.String("to", "", p.T("flag.review_to"))
	half := fs.String("half", "", p.T("flag.review_half"))
	year := fs.Int("year", 0, p.T("flag.review_year"))
	out := fs.String("out", "", p.T("flag.review_out"))
	district := fs.String("district", "", p.T("flag.district"))
	date := m.dateFlag(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if err := m.need(fs, "out"); err != nil {
		return err
	}
	if !strings.EqualFold(filepath.Ext(*out), ".docx") {
		return cliError(p.T("review.out_docx", *out))
	}
	if err := m.useDate(*date); err != nil {
		return err
	}
	req := review.Request{Lang: p.Lang(), Now: m.Now()}
	var err error
	switch {
	case *half != "" && *from == "" && *to == "" && *year == 0:
		req.Kind = review.SoKet
		y, h, ok := strings.Cut(*half, "-")
		yn, err1 := strconv.Atoi(y)
		hn, err2 := strconv.Atoi(h)
		if !ok || err1 != nil || err2 != nil || hn < 1 || hn > 2 || yn < 1950 {
			return cliError(p.T("review.bad_half", *half))
		}
		req.From, req.To = review.HalfYear(yn, hn, m.Loc)
	case *year != 0 && *from == "" && *to == "" && *half == "":
		if *year < 1950 {
			return cliError(p.T("review.bad_year", strconv.Itoa(*year)))
		}
		req.Kind = review.TongKet
		req.From, req.To = review.Year(*year, m.Loc)
	case *from != "" && *to != "" && *half == "" && *year == 0:
		req.Kind = review.Period
		if req.From, err = m.parseDay(*from); err != nil {
			return err
		}
		if req.To, err = m.parseDay(*to); err != nil {
			return err
		}
	default:
		return cliError(p.T("review.one_period"))
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	if *district != "" {
		if req.Scope, err = m.checkScope(ctx, store.RoleDistrict, *district); err != nil {
			return err
		}
	}
	doc, err := review.Build(ctx, m.DB, m.Catalog, req)
	switch {
	case errors.Is(err, review.ErrNotStarted):
		return userError(p.T("review.not_started", p.Date(req.From)))
	case errors.Is(err, review.ErrBadPeriod):
		return cliError(p.T("review.bad_period", p.Date(req.From), p.Date(req.To)))
	case err != nil:
		return err
	}
	if err := m.writeFile(*out, func(f *os.File) error { return review.DOCX(f, doc) }); err != nil {
		return err
	}
	return m.writeFile(workbookBeside(*out), func(f *os.File) error { return review.Workbook(f, doc) })
}

// workbookBeside names the workbook written beside a document: the same
// name with .xlsx.
func workbookBeside(docx string) string {
	return strings.TrimSuffix(docx, filepath.Ext(docx)) + ".xlsx"
}
