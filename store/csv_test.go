package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const communeHeader = "district_code,district_name,commune_code,commune_name,commune_type\n"
const postHeader = "commune_code,post,slot,status,holder,since\n"

// importErrorsOf returns the ImportErrors inside err, failing the test
// when there are none.
func importErrorsOf(t *testing.T, err error) ImportErrors {
	t.Helper()
	var ie ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T) is not ImportErrors", err, err)
	}
	return ie
}

func TestParseCommunesRealFiles(t *testing.T) {
	t.Run("Hòa Bình", func(t *testing.T) {
		f, err := os.Open("testdata/hoabinh_communes_2020.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := ParseCommunes(f)
		if err != nil {
			t.Fatalf("ParseCommunes: %v", err)
		}
		if len(rows) != 151 {
			t.Fatalf("got %d rows, want 151", len(rows))
		}
		want := CommuneRow{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Phuong}
		if rows[0] != want {
			t.Errorf("first row %+v, want %+v", rows[0], want)
		}
		types := map[CommuneType]int{}
		districts := map[string]bool{}
		for _, r := range rows {
			types[r.Type]++
			districts[r.DistrictCode] = true
		}
		if types[Xa] != 131 || types[ThiTran] != 10 || types[Phuong] != 10 {
			t.Errorf("types %v, want 131 xã, 10 thị trấn, 10 phường", types)
		}
		if len(districts) != 10 {
			t.Errorf("%d districts, want 10", len(districts))
		}
		if last := rows[len(rows)-1]; last.Line != 152 {
			t.Errorf("last row on line %d, want 152", last.Line)
		}
	})
	t.Run("national file with province columns", func(t *testing.T) {
		f, err := os.Open("testdata/csv/vietnam_communes_head.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := ParseCommunes(f)
		if err != nil {
			t.Fatalf("ParseCommunes: %v", err)
		}
		if len(rows) != 30 {
			t.Fatalf("got %d rows, want 30", len(rows))
		}
		want := CommuneRow{Line: 2, ProvinceCode: "01", ProvinceName: "Thành phố Hà Nội", DistrictCode: "001", DistrictName: "Quận Ba Đình", Code: "00001", Name: "Phúc Xá", Type: Phuong}
		if rows[0] != want {
			t.Errorf("first row %+v, want %+v", rows[0], want)
		}
	})
}

func TestParseCommunesLenient(t *testing.T) {
	nfd := norm.NFD.String("Thái Bình")
	tests := []struct {
		name  string
		input string
		want  []CommuneRow
	}{
		{
			name:  "BOM",
			input: "\uFEFF" + communeHeader + "148,Thành phố Hòa Bình,04789,Thái Bình,phường\n",
			want:  []CommuneRow{{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Phuong}},
		},
		{
			name:  "CRLF line ends and trailing blank lines",
			input: strings.ReplaceAll(communeHeader, "\n", "\r\n") + "148,Thành phố Hòa Bình,04789,Thái Bình,phường\r\n149,Huyện Đà Bắc,04831,Đà Bắc,thị trấn\r\n\r\n\r\n",
			want: []CommuneRow{
				{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Phuong},
				{Line: 3, DistrictCode: "149", DistrictName: "Huyện Đà Bắc", Code: "04831", Name: "Đà Bắc", Type: ThiTran},
			},
		},
		{
			name:  "spaces around cells, header in capitals, type in capitals, spreadsheet blank row",
			input: "District_Code, district_name ,commune_code,commune_name,COMMUNE_TYPE\n 148 , Thành phố Hòa Bình ,04789,  Thái Bình ,Phường\n,,,,\n",
			want:  []CommuneRow{{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Phuong}},
		},
		{
			name:  "decomposed names become NFC",
			input: communeHeader + "148,Thành phố Hòa Bình,04789," + nfd + "," + norm.NFD.String("xã") + "\n",
			want:  []CommuneRow{{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Xa}},
		},
		{
			name:  "semicolons, as Excel saves CSV where the decimal mark is a comma",
			input: "district_code;district_name;commune_code;commune_name;commune_type\r\n148;Thành phố Hòa Bình;04789;Thái Bình;phường\r\n",
			want:  []CommuneRow{{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Phuong}},
		},
		{
			name:  "codes typed as numbers lost their leading zeros",
			input: communeHeader + "148,Thành phố Hòa Bình,4789,Thái Bình,phường\n",
			want:  []CommuneRow{{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Phuong}},
		},
		{
			name:  "blank columns after the header's, as Excel saves a sheet with notes further right",
			input: "district_code,district_name,commune_code,commune_name,commune_type,,\n148,Thành phố Hòa Bình,04789,Thái Bình,phường,,\n",
			want:  []CommuneRow{{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Phuong}},
		},
		{
			name:  "quoted name with a comma",
			input: communeHeader + `148,"Thành phố Hòa Bình, tỉnh Hòa Bình",04789,Thái Bình,phường` + "\n",
			want:  []CommuneRow{{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình, tỉnh Hòa Bình", Code: "04789", Name: "Thái Bình", Type: Phuong}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := ParseCommunes(strings.NewReader(tt.input))
			if err != nil {
				t.Fatalf("ParseCommunes: %v", err)
			}
			if !slices.Equal(rows, tt.want) {
				t.Errorf("rows\n%+v\nwant\n%+v", rows, tt.want)
			}
		})
	}
}

func TestParseCommunesProblems(t *testing.T) {
	const ok = "148,Thành phố Hòa Bình,04789,Thái Bình,phường\n"
	tests := []struct {
		name  string
		input string
		want  ImportErrors
	}{
		{"empty file", "", ImportErrors{{Problem: ProblemEmptyFile}}},
		{"only a BOM and blank lines", "\uFEFF\r\n\r\n", ImportErrors{{Problem: ProblemEmptyFile}}},
		{"header only", communeHeader, ImportErrors{{Problem: ProblemNoRows}}},
		{
			"wrong header names the expected column",
			"district_code,district_name,code,commune_name,commune_type\n" + ok,
			ImportErrors{{Line: 1, Column: "commune_code", Problem: ProblemBadHeader, Value: "code"}},
		},
		{
			"header missing its last column",
			"district_code,district_name,commune_code,commune_name\n" + ok,
			ImportErrors{{Line: 1, Column: "commune_type", Problem: ProblemBadHeader}},
		},
		{
			"header with an extra column",
			"district_code,district_name,commune_code,commune_name,commune_type,note\n" + ok,
			ImportErrors{{Line: 1, Problem: ProblemBadHeader, Value: "note"}},
		},
		{
			"province header compared with the province variant",
			"province_code,province_name,district_code,district_name,commune_code,commune_name\n" + ok,
			ImportErrors{{Line: 1, Column: "commune_type", Problem: ProblemBadHeader}},
		},
		{
			"posts file given as communes",
			postHeader + "04789,chief,1,regular,,\n",
			ImportErrors{{Line: 1, Column: "district_code", Problem: ProblemBadHeader, Value: "commune_code"}},
		},
		{
			"row with too many columns",
			communeHeader + ok + "148,Thành phố Hòa Bình,04792,Tân Hòa,phường,thừa\n",
			ImportErrors{{Line: 3, Problem: ProblemTooManyColumns, Value: "6"}},
		},
		{
			"row with too few columns",
			communeHeader + "148,Thành phố Hòa Bình,04792,Tân Hòa\n",
			ImportErrors{{Line: 2, Problem: ProblemTooFewColumns, Value: "4"}},
		},
		{
			"bad codes",
			communeHeader + "1480,Thành phố Hòa Bình,047890,Thái Bình,phường\n148,Thành phố Hòa Bình,0479A,Tân Hòa,phường\n",
			ImportErrors{
				{Line: 2, Column: "district_code", Problem: ProblemBadCode, Value: "1480"},
				{Line: 2, Column: "commune_code", Problem: ProblemBadCode, Value: "047890"},
				{Line: 3, Column: "commune_code", Problem: ProblemBadCode, Value: "0479A"},
			},
		},
		{
			"empty values",
			communeHeader + "148,,04789,,\n",
			ImportErrors{
				{Line: 2, Column: "district_name", Problem: ProblemEmptyValue},
				{Line: 2, Column: "commune_name", Problem: ProblemEmptyValue},
				{Line: 2, Column: "commune_type", Problem: ProblemEmptyValue},
			},
		},
		{
			"unknown commune type",
			communeHeader + "148,Thành phố Hòa Bình,04789,Thái Bình,huyện\n",
			ImportErrors{{Line: 2, Column: "commune_type", Problem: ProblemUnknownType, Value: "huyện"}},
		},
		{
			"duplicate commune names both lines",
			communeHeader + ok + "148,Thành phố Hòa Bình,04792,Tân Hòa,phường\n148,Thành phố Hòa Bình,04789,Thái Bình,phường\n",
			ImportErrors{{Line: 4, Column: "commune_code", Problem: ProblemDuplicateCommune, Value: "04789", FirstLine: 2}},
		},
		{
			"district with two names",
			communeHeader + ok + "148,TP Hòa Bình,04792,Tân Hòa,phường\n",
			ImportErrors{{Line: 3, Column: "district_name", Problem: ProblemConflictingNames, Value: "TP Hòa Bình", FirstLine: 2}},
		},
		{
			"province with two names",
			"province_code,province_name," + communeHeader + "17,Tỉnh Hòa Bình," + ok + "17,Hòa Bình,149,Huyện Đà Bắc,04831,Đà Bắc,thị trấn\n",
			ImportErrors{{Line: 3, Column: "province_name", Problem: ProblemConflictingNames, Value: "Hòa Bình", FirstLine: 2}},
		},
		{
			"district under two provinces",
			"province_code,province_name," + communeHeader + "17,Tỉnh Hòa Bình," + ok + "01,Thành phố Hà Nội,148,Thành phố Hòa Bình,04792,Tân Hòa,phường\n",
			ImportErrors{{Line: 3, Column: "province_code", Problem: ProblemConflictingProvince, Value: "01", FirstLine: 2}},
		},
		{
			"Windows-1258 text, as Excel's plain CSV on Vietnamese Windows",
			communeHeader + "148,Thành phố Hòa Bình,04789,Th\xe1i B\xecnh,phường\n",
			ImportErrors{{Line: 2, Problem: ProblemNotUTF8}},
		},
		{
			"UTF-16 file",
			"\xff\xfed\x00i\x00s\x00",
			ImportErrors{{Problem: ProblemBadUTF8}},
		},
		{
			"control character in a name",
			communeHeader + "148,Thành phố Hòa Bình,04789,\"Thái\nBình\",phường\n",
			ImportErrors{{Line: 2, Column: "commune_name", Problem: ProblemBadText, Value: "Thái\nBình"}},
		},
		{
			"stray quote, later lines still read",
			communeHeader + "148,Thành phố \"Hòa\" Bình,04789,Thái Bình,phường\n148,Thành phố Hòa Bình,04792,Tân Hòa,huyện\n",
			ImportErrors{
				{Line: 2, Problem: ProblemBadQuotes},
				{Line: 3, Column: "commune_type", Problem: ProblemUnknownType, Value: "huyện"},
			},
		},
		{
			"line too long",
			communeHeader + "148,Thành phố Hòa Bình,04789," + strings.Repeat("a", MaxRowBytes) + ",xã\n",
			ImportErrors{{Line: 2, Problem: ProblemLineTooLong, Value: fmt.Sprint(MaxRowBytes + len("148Thành phố Hòa Bình04789xã"))}},
		},
		{
			"every problem of the file, by line",
			communeHeader + "148,Thành phố Hòa Bình,04789,Thái Bình,phuong\n\n148,Thành phố Hòa Bình,04792,Tân Hòa\n148,Thành phố Hòa Bình,4795A,Thịnh Lang,phường\n",
			ImportErrors{
				{Line: 2, Column: "commune_type", Problem: ProblemUnknownType, Value: "phuong"},
				{Line: 4, Problem: ProblemTooFewColumns, Value: "4"},
				{Line: 5, Column: "commune_code", Problem: ProblemBadCode, Value: "4795A"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := ParseCommunes(strings.NewReader(tt.input))
			if rows != nil {
				t.Errorf("got %d rows along with the error", len(rows))
			}
			got := importErrorsOf(t, err)
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestParsePostsValid(t *testing.T) {
	f, err := os.Open("testdata/csv/posts_valid.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := ParsePosts(f)
	if err != nil {
		t.Fatalf("ParsePosts: %v", err)
	}
	since := time.Date(2019, 7, 1, 0, 0, 0, 0, time.UTC)
	want := []PostRow{
		{Line: 2, Post: Post{CommuneCode: "04789", Kind: Chief, Slot: 1, Status: Regular, Holder: "Bùi Văn Thắng", Since: &since}},
		{Line: 6, Post: Post{CommuneCode: "04789", Kind: Officer, Slot: 2, Status: Vacant}},
		{Line: 7, Post: Post{CommuneCode: "04792", Kind: Chief, Slot: 1, Status: Semi}},
	}
	if len(rows) != 7 {
		t.Fatalf("got %d rows, want 7", len(rows))
	}
	for _, w := range want {
		got := rows[w.Line-2]
		if got.Line != w.Line || got.Post.Ref() != w.Post.Ref() || got.Post.Status != w.Post.Status || got.Post.Holder != w.Post.Holder {
			t.Errorf("line %d: got %+v, want %+v", w.Line, got, w)
		}
		if (got.Post.Since == nil) != (w.Post.Since == nil) || (got.Post.Since != nil && !got.Post.Since.Equal(*w.Post.Since)) {
			t.Errorf("line %d: since %v, want %v", w.Line, got.Post.Since, w.Post.Since)
		}
	}
}

func TestParsePostsLenient(t *testing.T) {
	input := "\uFEFF" + strings.ReplaceAll(postHeader, "\n", "\r\n") + " 04789 , Chief ,1, Regular , " + norm.NFD.String("Bùi Văn Thắng") + " ,2019-07-01\r\n\r\n"
	rows, err := ParsePosts(strings.NewReader(input))
	if err != nil {
		t.Fatalf("ParsePosts: %v", err)
	}
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(rows))
	}
	p := rows[0].Post
	if p.Ref() != (PostRef{"04789", Chief, 1}) || p.Status != Regular || p.Holder != "Bùi Văn Thắng" {
		t.Errorf("got %+v", p)
	}
}

func TestParsePostsProblems(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  ImportErrors
	}{
		{"empty file", "", ImportErrors{{Problem: ProblemEmptyFile}}},
		{
			"wrong header",
			"commune,post,slot,status,holder,since\n04789,chief,1,regular,,\n",
			ImportErrors{{Line: 1, Column: "commune_code", Problem: ProblemBadHeader, Value: "commune"}},
		},
		{
			"bad status",
			postHeader + "04789,chief,1,chinh quy,Bùi Văn Thắng,\n",
			ImportErrors{{Line: 2, Column: "status", Problem: ProblemUnknownStatus, Value: "chinh quy"}},
		},
		{
			"bad dates",
			postHeader + "04789,chief,1,regular,,31/13/2020\n04789,deputy,1,regular,,2020-02-30\n04789,deputy,2,regular,,1900-01-01\n",
			ImportErrors{
				{Line: 2, Column: "since", Problem: ProblemNoSuchDay, Value: "31/13/2020"},
				{Line: 3, Column: "since", Problem: ProblemNoSuchDay, Value: "2020-02-30"},
				{Line: 4, Column: "since", Problem: ProblemDateOutOfRange, Value: "1900-01-01"},
			},
		},
		{
			"duplicate slot names both lines",
			postHeader + "04789,deputy,1,regular,,\n04789,deputy,2,semi,,\n04789,Deputy,1,vacant,,\n",
			ImportErrors{{Line: 4, Column: "slot", Problem: ProblemDuplicateSlot, Value: "04789/deputy/1", FirstLine: 2}},
		},
		{
			"row with too many columns",
			postHeader + "04789,chief,1,regular,Bùi Văn Thắng,2019-07-01,thừa\n",
			ImportErrors{{Line: 2, Problem: ProblemTooManyColumns, Value: "7"}},
		},
		{
			"bad slots",
			postHeader + "04789,deputy,0,regular,,\n04789,deputy,x,regular,,\n04789,deputy,-1,regular,,\n04789,deputy,100,regular,,\n04789,chief,2,regular,,\n04789,officer,,regular,,\n",
			ImportErrors{
				{Line: 2, Column: "slot", Problem: ProblemBadSlot, Value: "0"},
				{Line: 3, Column: "slot", Problem: ProblemBadSlot, Value: "x"},
				{Line: 4, Column: "slot", Problem: ProblemBadSlot, Value: "-1"},
				{Line: 5, Column: "slot", Problem: ProblemBadSlot, Value: "100"},
				{Line: 6, Column: "slot", Problem: ProblemBadSlot, Value: "2"},
				{Line: 7, Column: "slot", Problem: ProblemEmptyValue},
			},
		},
		{
			"unknown post and bad commune code",
			postHeader + "047890,trưởng,1,regular,,\n",
			ImportErrors{
				{Line: 2, Column: "commune_code", Problem: ProblemBadCode, Value: "047890"},
				{Line: 2, Column: "post", Problem: ProblemUnknownKind, Value: "trưởng"},
			},
		},
		{
			"vacant post with a holder and a date",
			postHeader + "04789,officer,1,vacant,Quách Văn Lâm,2015-03-15\n",
			ImportErrors{
				{Line: 2, Column: "holder", Problem: ProblemHolderForVacant, Value: "Quách Văn Lâm"},
				{Line: 2, Column: "since", Problem: ProblemSinceForVacant, Value: "2015-03-15"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := ParsePosts(strings.NewReader(tt.input))
			if rows != nil {
				t.Errorf("got %d rows along with the error", len(rows))
			}
			got := importErrorsOf(t, err)
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestImportLimits(t *testing.T) {
	t.Run("too many errors", func(t *testing.T) {
		var b bytes.Buffer
		b.WriteString(postHeader)
		for i := range MaxImportErrors + 50 {
			fmt.Fprintf(&b, "%05d,chief,1,chinh quy,,\n", i)
		}
		_, err := ParsePosts(&b)
		got := importErrorsOf(t, err)
		if len(got) != MaxImportErrors+1 {
			t.Fatalf("got %d errors, want %d", len(got), MaxImportErrors+1)
		}
		if got[0].Problem != ProblemTooManyErrors || got[0].Line != 0 {
			t.Errorf("first error %+v, want too_many_errors on line 0", got[0])
		}
		if last := got[len(got)-1]; last.Line != MaxImportErrors+1 {
			t.Errorf("last error on line %d, want %d", last.Line, MaxImportErrors+1)
		}
	})
	t.Run("too large", func(t *testing.T) {
		r := io.LimitReader(repeatReader('a'), MaxImportBytes+10)
		_, err := ParsePosts(r)
		got := importErrorsOf(t, err)
		want := ImportErrors{{Problem: ProblemTooLarge, Value: fmt.Sprint(MaxImportBytes)}}
		if !slices.Equal(got, want) {
			t.Errorf("errors %v, want %v", got, want)
		}
	})
	t.Run("too many rows", func(t *testing.T) {
		if testing.Short() {
			t.Skip("writes and parses 200,000 rows")
		}
		var b bytes.Buffer
		b.WriteString(postHeader)
		for i := range MaxImportRows + 1 {
			fmt.Fprintf(&b, "%05d,deputy,%d,vacant,,\n", i%100000, i/100000+1)
		}
		_, err := ParsePosts(&b)
		got := importErrorsOf(t, err)
		last := got[len(got)-1]
		want := ImportError{Line: MaxImportRows + 2, Problem: ProblemTooManyRows, Value: fmt.Sprint(MaxImportRows)}
		if last != want {
			t.Errorf("last error %+v, want %+v", last, want)
		}
	})
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errDisk }

var errDisk = errors.New("disk on fire")

func TestImportReadError(t *testing.T) {
	_, err := ParseCommunes(failingReader{})
	if !errors.Is(err, errDisk) {
		t.Errorf("error %v does not wrap the reader's", err)
	}
	var ie ImportErrors
	if errors.As(err, &ie) {
		t.Errorf("a read failure reported as a file problem: %v", ie)
	}
}

func TestImportErrorText(t *testing.T) {
	// unknown_commune comes from the database import, wrapped on its way up.
	errs := ImportErrors{
		{Problem: ProblemTooManyErrors, Value: "1000"},
		{Line: 12, Column: "status", Problem: ProblemUnknownStatus, Value: "chinh quy"},
		{Line: 14, Column: "commune_code", Problem: ProblemUnknownCommune, Value: "04999"},
		{Line: 15, Column: "slot", Problem: ProblemDuplicateSlot, Value: "04789/chief/1", FirstLine: 3},
	}
	err := fmt.Errorf("import posts.csv: %w", errs)
	want := `import posts.csv: store: import: too_many_errors "1000"; ` +
		`store: import line 12, column status: unknown_status "chinh quy"; ` +
		`store: import line 14, column commune_code: unknown_commune "04999"; ` +
		`store: import line 15, column slot: duplicate_slot "04789/chief/1" (first on line 3)`
	if err.Error() != want {
		t.Errorf("text\n%s\nwant\n%s", err, want)
	}
	if got := importErrorsOf(t, err); got[2].Problem != ProblemUnknownCommune || got[2].Line != 14 {
		t.Errorf("unwrapped %+v", got[2])
	}
}

func TestQuoteBackShortens(t *testing.T) {
	long := strings.Repeat("Hòa Bình ", 20)
	got := quoteBack(long)
	if n := utf8.RuneCountInString(got); n != maxValueRunes {
		t.Errorf("quoted back %d runes, want %d", n, maxValueRunes)
	}
}

// checkImportResult holds for every input: rows or problems, never both
// nor neither; problems sorted by line, their values fit to show.
func checkImportResult(t *testing.T, n int, err error) {
	t.Helper()
	if err == nil {
		if n == 0 {
			t.Fatal("neither rows nor an error")
		}
		return
	}
	if n != 0 {
		t.Fatalf("%d rows and an error %v", n, err)
	}
	ie := importErrorsOf(t, err)
	if len(ie) == 0 || len(ie) > MaxImportErrors+1 {
		t.Fatalf("%d errors", len(ie))
	}
	for i, e := range ie {
		if i > 0 && e.Line < ie[i-1].Line {
			t.Fatalf("errors not sorted by line: %v", ie)
		}
		if !utf8.ValidString(e.Value) || utf8.RuneCountInString(e.Value) > maxValueRunes {
			t.Fatalf("value %q not fit to show", e.Value)
		}
		if e.Problem == "" {
			t.Fatalf("error without a problem: %+v", e)
		}
	}
}

func FuzzParseCommunes(f *testing.F) {
	// Seeds stay short: the fuzzer minimises every input that finds new
	// code, and minimising a long one takes minutes. Longer hostile cases
	// are in testdata/fuzz.
	f.Add([]byte(communeHeader + "148,Thành phố Hòa Bình,04789,Thái Bình,phường\n"))
	f.Add([]byte("\uFEFF" + communeHeader + "148,Thành phố Hòa Bình,04789,\"Thái\"\" Bình\",xã\r\n,,,,\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseCommunes(bytes.NewReader(data))
		checkImportResult(t, len(rows), err)
		for _, r := range rows {
			if len(r.Code) != 5 || !allDigits(r.Code) || len(r.DistrictCode) != 3 || !r.Type.Valid() || r.Name == "" || !norm.NFC.IsNormalString(r.Name) {
				t.Fatalf("invalid row accepted: %+v", r)
			}
		}
	})
}

func FuzzParsePosts(f *testing.F) {
	f.Add([]byte(postHeader + "04789,chief,1,regular,Bùi Văn Thắng,2019-07-01\n04789,chief,1,vacant,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParsePosts(bytes.NewReader(data))
		checkImportResult(t, len(rows), err)
		seen := map[PostRef]bool{}
		for _, r := range rows {
			p := r.Post
			if len(p.CommuneCode) != 5 || !p.Kind.Valid() || !p.Status.Valid() || p.Slot < 1 || p.Slot > MaxSlot || seen[p.Ref()] {
				t.Fatalf("invalid row accepted: %+v", r)
			}
			if p.Status == Vacant && (p.Holder != "" || p.Since != nil) {
				t.Fatalf("vacant post with a holder accepted: %+v", r)
			}
			seen[p.Ref()] = true
		}
	})
}

// TestDateProblems: every import names a refused date by what is wrong
// with it; a day the calendar does not have is not a date "không đúng
// dạng".
func TestDateProblems(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	for _, tt := range []struct {
		in   string
		want Problem // "" for a date read
	}{
		{"01/07/2025", ""},
		{"1/7/2025", ""},
		{"29/02/2024", ""},
		{"2025-07-01", ""},
		{"31/02/2025", ProblemNoSuchDay},
		{"29/02/2023", ProblemNoSuchDay},
		{"31/4/2020", ProblemNoSuchDay},
		{"15/13/2020", ProblemNoSuchDay},
		{"2025-02-30", ProblemNoSuchDay},
		{"31.06.2020", ProblemNoSuchDay},
		{"15/03/1900", ProblemDateOutOfRange},
		{"01/01/2200", ProblemDateOutOfRange},
		{"tháng 3/2020", ProblemBadDate},
		{"15/03-2020", ProblemBadDate},
		{"15/03/20", ProblemBadDate},
	} {
		_, ok := parseDate(tt.in, loc)
		switch {
		case tt.want == "" && !ok:
			t.Errorf("%q refused, want it read", tt.in)
		case tt.want != "" && ok:
			t.Errorf("%q read, want %s", tt.in, tt.want)
		case tt.want != "" && dateProblem(tt.in) != tt.want:
			t.Errorf("%q: %s, want %s", tt.in, dateProblem(tt.in), tt.want)
		}
	}
	// Through a change file, as through every import.
	sheet, err := ReadSheet(strings.NewReader("effective,kind,old_codes,new_code,new_name,district_code\n31/02/2025,rename,04879,,Xã Toàn Sơn Mới,\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	_, _, perr := ParseChangesSheet(sheet, loc)
	var ie ImportErrors
	if !errors.As(perr, &ie) || len(ie) != 1 || ie[0].Problem != ProblemNoSuchDay || ie[0].Column != "effective" {
		t.Errorf("a change dated 31/02/2025: %v", perr)
	}
}
