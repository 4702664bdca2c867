package bot

import (
	"context"
	"fmt"
	"slices"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
)

// menu is the commands shown in Telegram's menu, in this order; each
// description is the catalog key "bot.command.<name>".
var menu = []string{"thieu", "tiendo", "xa", "moc", "lichsu", "baocao", "xacnhan", "botri", "baocaotuan", "soket", "tongket", "dexuat", "thongbao", "nopbaocao", "huy", "moi", "ngonngu", "trogiup", "gannhom", "gonhom"}

// commandTable maps every command to its handler. Commands added later
// (an on-demand digest, say) go here.
func (b *Bot) commandTable() map[string]commandFunc {
	return map[string]commandFunc{
		"start":   b.start,
		"trogiup": b.help,
		"help":    b.help,
		"thieu":   b.askAs("thieu"),
		"tiendo":  b.withWebApp(b.askAs("tiendo")),
		"xa":      b.askAs("xa"),
		"moc":     b.askAs("moc"),
		"lichsu":  b.askAs("lichsu"),
		"ngonngu": b.language,
		"baocao":  b.report,
		"huy":     b.cancel,
		"moi":     b.invite,
		// The weekly digest on demand.
		"baocaotuan": b.weeklyDigest,
		// The posting proposal from the register, for province users.
		"dexuat": b.postingProposal,
		// Group chats bound to a district's or the province's scope.
		"gannhom": b.bindGroup,
		"gonhom":  b.unbindGroup,
		// The people replaced, and the periodic reviews.
		"botri": b.arrangements,
		// Reports waiting for the district's check, or sent back.
		"xacnhan": b.checks,
		"soket":   b.reviewAs(review.SoKet),
		"tongket": b.reviewAs(review.TongKet),
		// A district's or a reporting unit's filing of what a milestone asks.
		"nopbaocao": b.fileReport,
		// Announcements to everyone in a scope, and who has read them
		// (/thongbao_N, routed by route).
		"thongbao": b.announce,
	}
}

// withWebApp has the command's answer carry the Mini App's button.
func (b *Bot) withWebApp(f commandFunc) commandFunc {
	return func(ctx context.Context, r *request, args string) error {
		r.offerApp = true
		return f(ctx, r, args)
	}
}

// commandRoles are the roles that may use a command of the menu; a
// command not here is everyone's. It decides each user's menu (menuOf),
// so that nobody is offered a command that refuses them
// (TestMenusOfferOnlyWhatTheRoleMayUse holds it to the handlers).
var commandRoles = map[string][]store.Role{
	"thieu":      rosterRoles,
	"tiendo":     rosterRoles,
	"xa":         rosterRoles,
	"moc":        rosterRoles,
	"lichsu":     rosterRoles,
	"baocao":     rosterRoles,
	"xacnhan":    rosterRoles,
	"botri":      rosterRoles,
	"baocaotuan": {store.RoleDistrict, store.RoleProvince, store.RoleNational},
	"soket":      {store.RoleProvince},
	"tongket":    {store.RoleProvince},
	"dexuat":     {store.RoleProvince},
	"thongbao":   {store.RoleDistrict, store.RoleProvince, store.RoleNational},
	"nopbaocao":  {store.RoleDistrict, store.RoleUnit},
	"moi":        {store.RoleDistrict, store.RoleProvince},
	// Bound in groups only: the groups' menu has them (groupMenu).
	"gannhom": {},
	"gonhom":  {},
}

// rosterRoles see and report the commune police roster: everyone but a
// reporting unit.
var rosterRoles = []store.Role{store.RoleCommune, store.RoleDistrict, store.RoleProvince, store.RoleNational}

// groupMenu is the menu of group chats, whoever is in them: the
// questions, reporting, and binding the group.
var groupMenu = []string{"thieu", "tiendo", "xa", "moc", "lichsu", "baocao", "huy", "ngonngu", "trogiup", "gannhom", "gonhom"}

// menuOf is the menu of a private chat with a user of role: the commands
// of menu the role may use. The empty role is nobody's: what every role
// may use, the menu of the chats no user's menu was set for.
func menuOf(role store.Role) []string {
	var out []string
	for _, c := range menu {
		roles, limited := commandRoles[c]
		switch {
		case !limited:
			out = append(out, c)
		case role != "" && slices.Contains(roles, role):
			out = append(out, c)
		}
	}
	return out
}

// botCommands describes commands in p's language.
func botCommands(p *locales.Printer, names []string) []models.BotCommand {
	cmds := make([]models.BotCommand, 0, len(names))
	for _, c := range names {
		cmds = append(cmds, models.BotCommand{Command: c, Description: p.T("bot.command." + c)})
	}
	return cmds
}

// RegisterCommands publishes the menus every chat starts with, in
// Vietnamese (the default) and English (for users whose Telegram speaks
// English): in private chats what every role may use, in groups
// groupMenu. A user's own menu, by role, is their chat's (syncMenus).
func (b *Bot) RegisterCommands(ctx context.Context, tg *tgbot.Bot) error {
	for _, lang := range b.cat.Langs() {
		p := b.cat.Printer(lang, b.loc)
		for _, set := range []struct {
			scope models.BotCommandScope
			names []string
		}{
			{&models.BotCommandScopeDefault{}, menuOf("")},
			{&models.BotCommandScopeAllGroupChats{}, groupMenu},
		} {
			params := &tgbot.SetMyCommandsParams{Commands: botCommands(p, set.names), Scope: set.scope}
			if lang != b.cat.Langs()[0] {
				params.LanguageCode = lang
			}
			if _, err := tg.SetMyCommands(ctx, params); err != nil {
				return fmt.Errorf("bot: set commands (%s): %w", lang, err)
			}
		}
	}
	return nil
}

// start greets a registered user; /start with a code from someone already
// registered still redeems it, so a user can change role by a new link.
func (b *Bot) start(ctx context.Context, r *request, args string) error {
	if args != "" {
		return b.redeem(ctx, r, args)
	}
	// A user added (caxbot users) before they ever wrote to the bot had no
	// chat for their menu to be set in: now there is one.
	b.syncMenuOf(ctx, *r.user, true)
	b.send(ctx, r, r.p.T("bot.welcome_back", esc(r.user.Name), b.position(r.p, r.scope()))+"\n\n"+b.helpText(r), b.webAppRow(r))
	return nil
}

// SetMenuButton makes the Mini App the menu button of every private chat
// with the bot, when Options.WebAppURL is set.
func (b *Bot) SetMenuButton(ctx context.Context, tg *tgbot.Bot) error {
	if b.opt.WebAppURL == "" {
		return nil
	}
	p := b.cat.Printer(b.cat.Langs()[0], b.loc)
	_, err := tg.SetChatMenuButton(ctx, &tgbot.SetChatMenuButtonParams{MenuButton: models.MenuButtonWebApp{
		Type: models.MenuButtonTypeWebApp, Text: p.T("bot.webapp.menu"), WebApp: models.WebAppInfo{URL: b.opt.WebAppURL}}})
	if err != nil {
		return fmt.Errorf("bot: set menu button: %w", err)
	}
	return nil
}

// webAppRow is the "Mở bảng điều khiển" button, in a private chat with a
// registered user when the Mini App is set (Telegram allows web_app
// buttons in private chats only); nil otherwise.
func (b *Bot) webAppRow(r *request) [][]models.InlineKeyboardButton {
	if b.opt.WebAppURL == "" || r.inGroup || r.user == nil || r.user.Role == store.RoleUnit {
		return nil
	}
	return [][]models.InlineKeyboardButton{{{Text: r.p.T("bot.webapp.open"), WebApp: &models.WebAppInfo{URL: b.opt.WebAppURL}}}}
}

func (b *Bot) help(ctx context.Context, r *request, _ string) error {
	b.reply(ctx, r, b.helpText(r))
	return nil
}

// language offers the languages as buttons.
// langWords are what people type after /ngonngu to name a language,
// folded (understand.Fold): the codes and the names in either language.
var langWords = map[string]string{
	"vi": "vi", "vn": "vi", "viet": "vi", "tieng viet": "vi", "viet nam": "vi", "vietnamese": "vi",
	"en": "en", "eng": "en", "english": "en", "anh": "en", "tieng anh": "en",
}

// language sets the language named after the command ("/ngonngu en",
// "/ngonngu tieng viet") at once, or offers a button per language.
func (b *Bot) language(ctx context.Context, r *request, args string) error {
	if lang, ok := langWords[understand.Fold(args)]; ok && b.cat.Supported(lang) {
		if err := b.setLang(ctx, r, lang); err != nil {
			return err
		}
		b.send(ctx, r, r.p.T("bot.lang.set"), nil)
		return nil
	}
	c := &conversation{Flow: flowLang, User: r.from.ID}
	c.nextStep("lang")
	var bs []models.InlineKeyboardButton
	for _, l := range b.cat.Langs() {
		bs = append(bs, c.button(r.p.T("bot.lang.name."+l), l))
	}
	kb := b.withCancel(r, c, rows(bs, 2))
	c.Message = b.send(ctx, r, r.p.T("bot.lang.choose"), kb)
	return b.startConv(ctx, r, c)
}

func (b *Bot) langButton(ctx context.Context, r *request, c *conversation, raw []byte, lang string) error {
	if !b.cat.Supported(lang) {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	ok, err := b.finish(ctx, r, raw)
	if err != nil || !ok {
		return err
	}
	if err := b.setLang(ctx, r, lang); err != nil {
		return err
	}
	b.edit(ctx, r, c.Message, r.p.T("bot.lang.set"), nil)
	b.answerCallback(ctx, r, "")
	return nil
}

// setLang records the user's language and speaks it from now on.
func (b *Bot) setLang(ctx context.Context, r *request, lang string) error {
	if err := b.db.SetUserLang(ctx, r.from.ID, lang); err != nil {
		return fmt.Errorf("bot: set language: %w", err)
	}
	b.users.forget(r.from.ID)
	r.p = b.cat.Printer(lang, b.loc)
	return nil
}
