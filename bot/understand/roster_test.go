package understand

import (
	"encoding/csv"
	"os"
	"testing"

	"github.com/caxbot/caxbot/store"
)

// hoaBinhProvince is the statistics office's code of Hòa Bình; the
// province's CSV has no province column.
const hoaBinhProvince = "17"

// nationalRoster is the whole country's roster, kept outside the repository.
const nationalRoster = "../../../shared/data/vietnam_communes_2020.csv"

// mustHoaBinh returns the gazetteer of the seed province.
func mustHoaBinh(tb testing.TB) *Gazetteer {
	tb.Helper()
	rows := mustReadCSV(tb, "testdata/hoabinh_communes_2020.csv")
	// district_code,district_name,commune_code,commune_name,commune_type
	var districts []store.District
	var communes []store.Commune
	seen := make(map[string]bool)
	for _, r := range rows {
		if !seen[r[0]] {
			seen[r[0]] = true
			districts = append(districts, store.District{Code: r[0], Name: r[1], ProvinceCode: hoaBinhProvince})
		}
		communes = append(communes, store.Commune{Code: r[2], Name: r[3], Type: store.CommuneType(r[4]), DistrictCode: r[0]})
	}
	return NewGazetteer([]store.Province{{Code: hoaBinhProvince, Name: "Tỉnh Hòa Bình"}}, districts, communes)
}

// nationalGazetteer returns the gazetteer of the whole country and its
// number of communes, or skips the test when the national CSV is not at
// hand.
func nationalGazetteer(tb testing.TB) (*Gazetteer, int) {
	tb.Helper()
	provinces, districts, communes := nationalRosterRows(tb)
	return NewGazetteer(provinces, districts, communes), len(communes)
}

func nationalRosterRows(tb testing.TB) ([]store.Province, []store.District, []store.Commune) {
	tb.Helper()
	if _, err := os.Stat(nationalRoster); err != nil {
		tb.Skipf("national roster not available: %v", err)
	}
	return rosterRows(tb, nationalRoster)
}

// rosterRows reads a roster file of the national format.
func rosterRows(tb testing.TB, path string) ([]store.Province, []store.District, []store.Commune) {
	tb.Helper()
	rows := mustReadCSV(tb, path)
	// province_code,province_name,district_code,district_name,commune_code,commune_name,commune_type
	var provinces []store.Province
	var districts []store.District
	var communes []store.Commune
	seen := make(map[string]bool)
	for _, r := range rows {
		if !seen["p"+r[0]] {
			seen["p"+r[0]] = true
			provinces = append(provinces, store.Province{Code: r[0], Name: r[1]})
		}
		if !seen[r[2]] {
			seen[r[2]] = true
			districts = append(districts, store.District{Code: r[2], Name: r[3], ProvinceCode: r[0]})
		}
		communes = append(communes, store.Commune{Code: r[4], Name: r[5], Type: store.CommuneType(r[6]), DistrictCode: r[2]})
	}
	return provinces, districts, communes
}

func mustReadCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open roster: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("read roster %s: %v", path, err)
	}
	if len(rows) < 2 {
		tb.Fatalf("roster %s has no rows", path)
	}
	return rows[1:]
}
