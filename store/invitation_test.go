package store

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestInvitationCodeNeverLooksLikeAnOption: random bytes whose code would
// start with "-" (0xF8 encodes as "-" first) are drawn again, so that
// `caxbot invite revoke CODE` never reads a code as an option.
func TestInvitationCodeNeverLooksLikeAnOption(t *testing.T) {
	dash := append([]byte{0xF8}, bytes.Repeat([]byte{0x11}, 14)...)
	next := bytes.Repeat([]byte{0x22}, 15)
	inv, err := NewInvitation(bytes.NewReader(append(dash, next...)), Scope{Role: RoleCommune, Code: "04849"}, "", "user:1", at(0), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(inv.Code, "-") || len(inv.Code) != 20 || inv.Code != "IiIiIiIiIiIiIiIiIiIi" {
		t.Errorf("code %q, want the second draw's IiIiIiIiIiIiIiIiIiIi", inv.Code)
	}
	if _, err := NewInvitation(bytes.NewReader(dash), Scope{Role: RoleCommune, Code: "04849"}, "", "user:1", at(0), time.Hour); err == nil {
		t.Error("a source that runs out while every draw starts with \"-\" gave a code")
	}
}
