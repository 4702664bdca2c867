package store

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

const nationalCSV = "../../shared/data/vietnam_communes_2020.csv"

// nationalRows reads the national communes file and makes six posts for
// each commune: a chief, a deputy and four officers, of mixed status.
func nationalRows(tb testing.TB) ([]CommuneRow, []PostRow) {
	tb.Helper()
	f, err := os.Open(nationalCSV)
	if os.IsNotExist(err) {
		tb.Skipf("%s is absent", nationalCSV)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	communes, err := ParseCommunes(f)
	if err != nil {
		tb.Fatal(err)
	}
	statuses := []Status{Regular, Semi, Vacant}
	since := time.Date(2019, 7, 1, 0, 0, 0, 0, time.UTC)
	var posts []PostRow
	for i, c := range communes {
		slots := []struct {
			kind PostKind
			slot int
		}{{Chief, 1}, {Deputy, 1}, {Officer, 1}, {Officer, 2}, {Officer, 3}, {Officer, 4}}
		for j, s := range slots {
			p := Post{CommuneCode: c.Code, Kind: s.kind, Slot: s.slot, Status: statuses[(i+j)%3]}
			if p.Status != Vacant {
				p.Holder = "Nguyễn Văn An"
				p.Since = &since
			}
			posts = append(posts, PostRow{Line: len(posts) + 2, Post: p})
		}
	}
	return communes, posts
}

func importNational(tb testing.TB, db *DB, communes []CommuneRow, posts []PostRow) {
	tb.Helper()
	ctx := context.Background()
	if _, err := db.ImportCommunes(ctx, communes, Province{}, "vietnam_communes_2020.csv", at(0)); err != nil {
		tb.Fatal(err)
	}
	res, err := db.ImportPosts(ctx, posts, "posts.csv", at(1))
	if err != nil {
		tb.Fatal(err)
	}
	if res.Added != len(posts) {
		tb.Fatalf("imported %+v, want %d added", res, len(posts))
	}
}

var backends = []struct {
	name string
	open func(tb, owner testing.TB) *DB
}{
	{"sqlite", openSQLiteFor},
	{"postgres", openPostgresFor},
}

// BenchmarkImportNational imports every commune of the country and six
// posts each into a fresh store.
func BenchmarkImportNational(b *testing.B) {
	communes, posts := nationalRows(b)
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				b.StopTimer()
				db := be.open(b, b)
				b.StartTimer()
				start := time.Now()
				importNational(b, db, communes, posts)
				total += time.Since(start)
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/import")
		})
	}
}

// BenchmarkVacanciesDistrict lists the open posts of one district on the
// national roster.
func BenchmarkVacanciesDistrict(b *testing.B) {
	communes, posts := nationalRows(b)
	parent := b
	for _, be := range backends {
		var db *DB // built once per backend: importing takes seconds
		b.Run(be.name, func(b *testing.B) {
			if db == nil {
				db = be.open(b, parent)
				importNational(b, db, communes, posts)
			}
			ctx := context.Background()
			scope := Scope{Role: RoleDistrict, Code: "150"}
			took := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				vs, err := db.Vacancies(ctx, scope, nil, nil)
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				if len(vs) == 0 {
					b.Fatal("no vacancies in Đà Bắc")
				}
			}
			// The issue asks for the median, which ns/op (a mean) is not.
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2])/float64(time.Millisecond), "ms-median")
		})
	}
}

// BenchmarkMapChangesNational applies the 2025 reform to the national
// roster as one change file: the communes of each district merged three
// by three (about 10,600 to about 3,600), then every district abolished.
// It reports the seconds of the import and its lines.
func BenchmarkMapChangesNational(b *testing.B) {
	communes, posts := nationalRows(b)
	eff := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	var changes []ChangeRow
	byDistrict := make(map[string][]string)
	var districts []string
	for _, c := range communes {
		if len(byDistrict[c.DistrictCode]) == 0 {
			districts = append(districts, c.DistrictCode)
		}
		byDistrict[c.DistrictCode] = append(byDistrict[c.DistrictCode], c.Code)
	}
	next := 100000
	for _, d := range districts {
		for group := range slices.Chunk(byDistrict[d], 3) {
			if len(group) < 2 {
				continue
			}
			next++
			changes = append(changes, ChangeRow{Line: len(changes) + 2, Effective: eff, Kind: ChangeMerge,
				OldCodes: group, NewCode: "9" + strconv.Itoa(next)[2:], NewName: "Mới " + strconv.Itoa(next)})
		}
	}
	changes = append(changes, ChangeRow{Line: len(changes) + 2, Effective: eff, Kind: ChangeAbolishDistrict})
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				b.StopTimer()
				db := be.open(b, b)
				importNational(b, db, communes, posts)
				b.StartTimer()
				start := time.Now()
				res, err := db.ImportMapChanges(context.Background(), changes, "reform-2025.csv", eff.Add(24*time.Hour), nil)
				if err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				if res.DistrictsEnded == 0 || res.PostsCarried == 0 {
					b.Fatalf("result %+v", res)
				}
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/import")
			b.ReportMetric(float64(len(changes)), "lines")
		})
	}
}
