package bot

import (
	"strings"
	"testing"
)

// TestDroppedPlaceAsksBack: a commune's name typed without diacritics
// nor "xã", whose words are also words of the questions ("quyết thắng",
// "chỉ đạo"), is not answered silently about the asker's own district:
// the bot asks which place was meant, the commune and the district as
// buttons, and answers about the one pressed.
func TestDroppedPlaceAsksBack(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 10000})
		ask := func(question, press string, buttons []string, want ...string) {
			t.Helper()
			m := e.say(districtUser, question)
			var labels []string
			for _, row := range m.Keyboard {
				for _, b := range row {
					labels = append(labels, b.Text)
				}
			}
			for _, b := range buttons {
				if !strings.Contains(strings.Join(labels, "|"), b) {
					t.Fatalf("%q: %q, buttons %q lack %q", question, m.PlainText, labels, b)
				}
			}
			e.press(districtUser, m, press)
			got := e.message(districtUser.ID, m.ID).PlainText
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("%q, pressed %q: %q lacks %q", question, press, got, w)
				}
			}
		}
		qt := "xã Quyết Thắng (huyện Lạc Sơn)"
		ask("quyet thang co tcax cq chua", qt, []string{qt, "Huyện Lạc Sơn"}, "Xã Quyết Thắng")
		ask("quyet thang co tcax cq chua", "Huyện Lạc Sơn", []string{qt}, "Huyện Lạc Sơn")
		cd := "xã Chí Đạo (huyện Lạc Sơn)"
		ask("chi dao co tcax cq chua", cd, []string{cd, "Huyện Lạc Sơn"}, "Xã Chí Đạo")
		ask("so sanh tan lap va quyet thang", qt, []string{qt}, "Tân Lập", "Quyết Thắng")
		// Named with its type word, or not named at all: answered as before.
		for _, q := range []string{"xa quyet thang co tcax cq chua", "huyen minh con bao nhieu xa chua co tcax cq"} {
			if m := e.say(districtUser, q); len(m.Keyboard) != 0 {
				t.Errorf("%q: asked back: %q %v", q, m.PlainText, m.Keyboard)
			}
		}
	})
}
