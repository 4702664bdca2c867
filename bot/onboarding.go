package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// redeem binds the sender to the invitation whose code they sent.
func (b *Bot) redeem(ctx context.Context, r *request, code string) error {
	name := strings.TrimSpace(r.from.FirstName + " " + r.from.LastName)
	u, err := b.db.RedeemInvitation(ctx, code, r.from.ID, name, b.now())
	b.users.forget(r.from.ID)
	switch {
	case errors.Is(err, store.ErrInvitationUnknown):
		b.send(ctx, r, r.p.T("bot.invite.unknown"), nil)
		return nil
	case errors.Is(err, store.ErrInvitationExpired):
		b.send(ctx, r, r.p.T("bot.invite.expired"), nil)
		return nil
	case errors.Is(err, store.ErrInvitationUsed):
		b.send(ctx, r, r.p.T("bot.invite.used"), nil)
		return nil
	case errors.Is(err, store.ErrInvitationRevoked):
		b.send(ctx, r, r.p.T("bot.invite.revoked"), nil)
		return nil
	case err != nil:
		return fmt.Errorf("bot: redeem invitation: %w", err)
	}
	b.log.Info("invitation redeemed", "user_id", r.from.ID, "update_id", r.upd.ID, "role", u.Role)
	if u.Lang == "" {
		// Telegram's language is the first guess; /ngonngu changes it.
		lang := b.cat.Match(r.from.LanguageCode)
		if err := b.db.SetUserLang(ctx, r.from.ID, lang); err != nil {
			return fmt.Errorf("bot: set language: %w", err)
		}
		b.users.forget(r.from.ID)
		u.Lang = lang
	}
	r.user, r.p = &u, b.cat.Printer(u.Lang, b.loc)
	// The menu of the role just given (a new user, or a new role), queued
	// before the welcome that points to it.
	b.syncMenuOf(ctx, u, true)
	b.send(ctx, r, r.p.T("bot.welcome", esc(u.Name), b.position(r.p, r.scope()))+"\n\n"+b.helpText(r), b.webAppRow(r))
	return nil
}

// scopeName names a scope as a user reads it: "Huyện Lạc Sơn", "xã Tân Lập".
func (b *Bot) scopeName(p *locales.Printer, s store.Scope) string {
	ro := b.roster.Load()
	switch s.Role {
	case store.RoleProvince:
		if pr, ok := ro.provinces[s.Code]; ok && pr.Name != "" {
			return esc(pr.Name)
		}
		return p.T("bot.place.province")
	case store.RoleDistrict:
		return esc(ro.districts[s.Code].Name)
	case store.RoleCommune:
		return communeName(p, ro.communes[s.Code])
	case store.RoleUnit:
		return esc(ro.units[s.Code].Name)
	}
	return p.T("bot.place.everything")
}

// scopeInSentence names a scope inside a sentence: "huyện Lạc Sơn", "xã
// Tân Lập", "tỉnh Hòa Bình".
func (b *Bot) scopeInSentence(p *locales.Printer, s store.Scope) string {
	if s.Role == store.RoleProvince {
		if pr, ok := b.roster.Load().provinces[s.Code]; ok && pr.Name != "" {
			return esc(p.Province(pr.Name))
		}
	}
	return p.InSentence(b.scopeName(p, s))
}

// position names the role of a user of scope s, as greetings, invitations
// and the history show it: "Công an thị trấn Vụ Bản", "Lãnh đạo huyện Lạc
// Sơn", "Công an tỉnh Hòa Bình".
func (b *Bot) position(p *locales.Printer, s store.Scope) string {
	return esc(b.positionText(p, s))
}

// positionText is position as plain text, for what escapes it later.
func (b *Bot) positionText(p *locales.Printer, s store.Scope) string {
	ro := b.roster.Load()
	var unitType, name string
	switch s.Role {
	case store.RoleCommune:
		c := ro.communes[s.Code]
		unitType, name = string(c.Type), c.Name
	case store.RoleDistrict:
		name = ro.districts[s.Code].Name
	case store.RoleProvince:
		name = ro.provinces[s.Code].Name
	case store.RoleUnit:
		name = ro.units[s.Code].Name
	}
	if name == "" {
		return p.T("role." + string(s.Role))
	}
	return p.Position(string(s.Role), unitType, name)
}

// communeName writes "xã Tân Lập", "thị trấn Mai Châu".
func communeName(p *locales.Printer, c store.Commune) string {
	return p.T("bot.place.commune", p.T("commune_type."+string(c.Type)), esc(c.Name))
}
