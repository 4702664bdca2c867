package bot

import (
	"testing"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
)

// TestPlaceLabelKind: a button names a province with its kind, which the
// settings' name ("Hòa Bình", CAXBOT_PROVINCE_NAME) may lack, so that it
// reads apart from the city of the same name; names that carry their kind
// keep it once.
func TestPlaceLabelKind(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang string
		pl   understand.Place
		want string
	}{
		{"vi", understand.Place{Level: understand.LevelProvince, Code: "17", Name: "Hòa Bình"}, "Tỉnh Hòa Bình"},
		{"vi", understand.Place{Level: understand.LevelProvince, Code: "17", Name: "Tỉnh Hòa Bình"}, "Tỉnh Hòa Bình"},
		{"vi", understand.Place{Level: understand.LevelProvince, Code: "79", Name: "Thành phố Hồ Chí Minh"}, "Thành phố Hồ Chí Minh"},
		{"en", understand.Place{Level: understand.LevelProvince, Code: "17", Name: "Hòa Bình"}, "Hòa Bình province"},
		{"vi", understand.Place{Level: understand.LevelDistrict, Code: "148", Name: "Thành phố Hòa Bình"}, "Thành phố Hòa Bình"},
	} {
		if got := placeLabel(cat.Printer(tt.lang, nil), tt.pl); got != tt.want {
			t.Errorf("%s %+v: %q, want %q", tt.lang, tt.pl, got, tt.want)
		}
	}
}
