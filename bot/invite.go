package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/store"
)

// Steps of the invitation conversation.
const (
	stepRole = "role"
	stepUnit = "unit" // which reporting unit, for role unit
)

// inviteDraft is the invitation being made: for whom, with what role and
// scope.
type inviteDraft struct {
	Name     string     `json:"n,omitempty"`
	Role     store.Role `json:"r,omitempty"`
	District string     `json:"d,omitempty"`
}

// invite is /moi [name]: a province user invites anyone of the province, a
// district head the commune users of the district. The code and its link
// come back in the chat, to be passed on to the person invited.
func (b *Bot) invite(ctx context.Context, r *request, args string) error {
	own := r.scope()
	name, err := store.CleanHolder(args)
	if refused := holderRefusal(r, err); refused != "" {
		b.send(ctx, r, refused, nil)
		return nil
	}
	c := &conversation{Flow: flowInvite, User: r.from.ID, Invite: &inviteDraft{Name: name}}
	switch own.Role {
	case store.RoleProvince:
		c.nextStep(stepRole)
	case store.RoleDistrict:
		c.Invite.Role, c.Invite.District = store.RoleCommune, own.Code
		c.nextStep(stepCommune)
	default:
		b.send(ctx, r, r.p.T("bot.invite.not_allowed"), nil)
		return nil
	}
	text, kb := b.renderInvite(r, c)
	c.Message = b.send(ctx, r, text, kb)
	return b.startConv(ctx, r, c)
}

func (b *Bot) renderInvite(r *request, c *conversation) (string, [][]models.InlineKeyboardButton) {
	p, ro, d := r.p, b.roster.Load(), c.Invite
	var bs []models.InlineKeyboardButton
	perRow := 2
	var prompt string
	switch c.Step {
	case stepRole:
		prompt = p.T("bot.invite.pick_role")
		perRow = 1
		for _, role := range []store.Role{store.RoleCommune, store.RoleDistrict, store.RoleProvince} {
			bs = append(bs, c.button(p.T("role."+string(role)), string(role)))
		}
		if len(b.unitsOf(r.scope())) > 0 {
			bs = append(bs, c.button(p.T("role.unit"), string(store.RoleUnit)))
		}
	case stepUnit:
		prompt = p.T("units.invite.pick_unit")
		perRow = 1
		for _, u := range b.unitsOf(r.scope()) {
			bs = append(bs, c.button(u.Name, u.Code))
		}
	case stepDistrict, stepCommune:
		prompt, bs, perRow = placeChoices(r, c, ro, d.District)
	}
	head := p.T("bot.invite.title")
	if d.Name != "" {
		head += "\n" + p.T("bot.invite.for", esc(d.Name))
	}
	return head + "\n\n" + prompt, b.withCancel(r, c, rows(bs, perRow))
}

func (b *Bot) inviteButton(ctx context.Context, r *request, c *conversation, raw []byte, v string) error {
	d, ro, own := c.Invite, b.roster.Load(), r.scope()
	var target store.Scope
	switch c.Step {
	case stepRole:
		d.Role = store.Role(v)
		if d.Role == store.RoleProvince {
			target = own
			break
		}
		if d.Role == store.RoleUnit {
			c.nextStep(stepUnit)
			break
		}
		c.nextStep(stepDistrict)
	case stepUnit:
		target = store.Scope{Role: store.RoleUnit, Code: v}
	case stepDistrict:
		if !ro.covers(own, store.Scope{Role: store.RoleDistrict, Code: v}) {
			b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
			return nil
		}
		d.District = v
		if d.Role == store.RoleDistrict {
			target = store.Scope{Role: store.RoleDistrict, Code: v}
			break
		}
		c.nextStep(stepCommune)
	case stepCommune:
		target = store.Scope{Role: store.RoleCommune, Code: v}
	}
	if target.Role == "" {
		text, kb := b.renderInvite(r, c)
		return b.advance(ctx, r, raw, c, text, kb)
	}
	if !ro.covers(own, target) || own.Role == store.RoleDistrict && target.Role != store.RoleCommune {
		b.answerCallback(ctx, r, r.p.T("bot.scope.refused"))
		return nil
	}
	won, err := b.finish(ctx, r, raw)
	if err != nil || !won {
		return err
	}
	inv, err := store.NewInvitation(b.random, target, d.Name, r.actor(), b.now(), b.opt.InvitationTTL)
	if err != nil {
		return fmt.Errorf("bot: new invitation: %w", err)
	}
	// CreateInvitation writes the audit entry in the same transaction.
	if err := b.db.CreateInvitation(ctx, inv); err != nil {
		return fmt.Errorf("bot: create invitation: %w", err)
	}
	b.log.Info("invitation created", "user_id", r.from.ID, "update_id", r.upd.ID, "role", target.Role)
	created := r.p.T("bot.invite.created", b.position(r.p, target))
	if d.Name != "" {
		created = r.p.T("bot.invite.created_for", b.position(r.p, target), esc(d.Name))
	}
	b.edit(ctx, r, c.Message, created+"\n"+r.p.T("bot.invite.code",
		esc(inv.Code), esc(store.InviteLink(b.username, inv.Code)), r.p.At(inv.ExpiresAt)), nil)
	b.answerCallback(ctx, r, "")
	return nil
}

// unitsOf returns the reporting units of a province user's province, by
// code; none for another scope.
func (b *Bot) unitsOf(s store.Scope) []store.ReportingUnit {
	if s.Role != store.RoleProvince {
		return nil
	}
	var out []store.ReportingUnit
	for _, u := range b.roster.Load().units {
		if u.ProvinceCode == s.Code {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b store.ReportingUnit) int { return strings.Compare(a.Code, b.Code) })
	return out
}
