package bot

import (
	"context"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// ask answers a free question.
func (b *Bot) ask(ctx context.Context, r *request, text string) error {
	q := understand.Parse(text, b.roster.Load().gaz)
	return b.answer(ctx, r, q, text, false, 0)
}

// askAs makes a command that asks one kind of question, its arguments
// naming the place: "/thieu huyện Lạc Sơn", "/xa Tân Lập".
func (b *Bot) askAs(intent understand.Intent) commandFunc {
	return func(ctx context.Context, r *request, args string) error {
		gaz := b.roster.Load().gaz
		var q understand.Query
		if intent == understand.IntentCommune || intent == understand.IntentHistory {
			q = communesOnly(understand.ParseName(args, gaz))
			if q.Unmatched != "" {
				// Quoted back as typed: the whole argument is the name.
				q.Unmatched = strings.TrimSpace(args)
			}
		} else {
			q = understand.Parse(args, gaz)
		}
		q.Intent = intent
		return b.answer(ctx, r, q, args, true, 0)
	}
}

// communesOnly keeps the commune readings of a name the commands /xa and
// /lichsu were given: "/xa Mai Châu" is the thị trấn, not the district.
func communesOnly(q understand.Query) understand.Query {
	var keep []understand.Place
	for _, p := range q.Ambiguous {
		if p.Level == understand.LevelCommune {
			keep = append(keep, p)
		}
	}
	if len(keep) == 1 {
		q.Place, q.Ambiguous = &keep[0], nil
	} else if len(keep) > 1 {
		q.Ambiguous = keep
	}
	return q
}

// answer resolves the question's place against the user's scope, asks
// which place was meant when that is unclear, and answers. forced says
// that a command, not the words, chose q.Intent; msgID is the message to
// edit (0: send a new one).
func (b *Bot) answer(ctx context.Context, r *request, q understand.Query, question string, forced bool, msgID int) error {
	ro := b.roster.Load()
	own := r.scope()
	if q.Intent == understand.IntentHelp {
		b.show(ctx, r, msgID, r.p.T("bot.help"))
		return nil
	}
	if q.Intent == understand.IntentUnknown && q.Place == nil && len(q.Ambiguous) == 0 {
		b.show(ctx, r, msgID, r.p.T("bot.ask.not_understood"))
		return nil
	}
	if q.Place == nil && len(q.Ambiguous) > 0 {
		var in []understand.Place
		for _, p := range q.Ambiguous {
			if ro.covers(own, placeScope(ro, own, p)) {
				in = append(in, p)
			}
		}
		switch len(in) {
		case 0:
			b.show(ctx, r, msgID, r.p.T("bot.scope.refused"))
			return nil
		case 1:
			q = q.WithPlace(in[0])
		default:
			return b.offerPlaces(ctx, r, in, q, question, forced, "bot.ask.which_place", msgID)
		}
	}
	// A name the roster does not know: the nearest names in scope, or
	// "not found", never an answer about some other place.
	if q.Place == nil && (len(q.Suggestions) > 0 || q.Unmatched != "") {
		var in []understand.Place
		for _, p := range q.Suggestions {
			if ro.covers(own, placeScope(ro, own, p)) && len(in) < 6 {
				in = append(in, p)
			}
		}
		if len(in) == 0 {
			b.show(ctx, r, msgID, r.p.T("bot.ask.unknown_place", esc(q.Unmatched)))
			return nil
		}
		return b.offerPlaces(ctx, r, in, q, question, forced, "bot.ask.did_you_mean", msgID)
	}
	target := own
	if q.Place != nil {
		target = placeScope(ro, own, *q.Place)
		if !ro.covers(own, target) {
			b.show(ctx, r, msgID, r.p.T("bot.scope.refused"))
			return nil
		}
	}
	var text string
	var err error
	switch q.Intent {
	case understand.IntentVacancies:
		text, err = b.vacancies(ctx, r.p, q, target)
	case understand.IntentProgress:
		text, err = b.progress(ctx, r.p, q, target)
	case understand.IntentCommune:
		if target.Role != store.RoleCommune {
			text, err = b.progress(ctx, r.p, q, target)
			break
		}
		text, err = b.commune(ctx, r.p, q, target)
	case understand.IntentHistory:
		if target.Role != store.RoleCommune {
			text = r.p.T("bot.ask.name_a_commune")
			break
		}
		text, err = b.history(ctx, r.p, target)
	case understand.IntentMilestones:
		text, err = b.milestones(ctx, r.p)
	default:
		// A place and nothing else: what it still lacks.
		text, err = b.vacancies(ctx, r.p, q, target)
	}
	if err != nil {
		return err
	}
	b.show(ctx, r, msgID, text)
	return nil
}

// placeScope is the scope a named place stands for; the province of a
// gazetteer of several provinces comes without a code and means the
// user's own.
func placeScope(ro *roster, own store.Scope, p understand.Place) store.Scope {
	switch p.Level {
	case understand.LevelCommune:
		return store.Scope{Role: store.RoleCommune, Code: p.Code}
	case understand.LevelDistrict:
		return store.Scope{Role: store.RoleDistrict, Code: p.Code}
	}
	code := p.Code
	if code == "" {
		code = ro.provinceOfScope(own)
	}
	return store.Scope{Role: store.RoleProvince, Code: code}
}

// placeValue and placeFromValue carry a place through a button.
func placeValue(p understand.Place) string { return p.Level + ":" + p.Code }

func placeFromValue(ro *roster, v string) (understand.Place, bool) {
	level, code, _ := strings.Cut(v, ":")
	switch level {
	case understand.LevelCommune:
		c, ok := ro.communes[code]
		if !ok {
			return understand.Place{}, false
		}
		d := ro.districts[c.DistrictCode]
		return understand.Place{Level: level, Code: code, Name: c.Name, Type: c.Type, DistrictCode: d.Code, DistrictName: d.Name}, true
	case understand.LevelDistrict:
		d, ok := ro.districts[code]
		return understand.Place{Level: level, Code: code, Name: d.Name}, ok
	case understand.LevelProvince:
		return understand.Place{Level: level, Code: code, Name: ro.provinces[code].Name}, true
	}
	return understand.Place{}, false
}

// placeLabel names a place on a button: "thị trấn Mai Châu (Huyện Mai Châu)".
func placeLabel(p *locales.Printer, pl understand.Place) string {
	switch pl.Level {
	case understand.LevelCommune:
		return p.T("bot.place.commune_in", p.T("commune_type."+string(pl.Type)), pl.Name, pl.DistrictName)
	case understand.LevelProvince:
		if pl.Name == "" {
			return p.T("bot.place.province")
		}
	}
	return pl.Name
}

// offerPlaces asks which place was meant, one button each.
func (b *Bot) offerPlaces(ctx context.Context, r *request, places []understand.Place, q understand.Query, question string, forced bool, key string, msgID int) error {
	c := &conversation{Flow: flowPick, User: r.from.ID, Question: question}
	if forced {
		c.Intent = string(q.Intent)
	}
	c.nextStep("place")
	var bs []models.InlineKeyboardButton
	for _, pl := range places {
		bs = append(bs, c.button(placeLabel(r.p, pl), placeValue(pl)))
	}
	kb := b.withCancel(r, c, rows(bs, 1))
	if msgID == 0 {
		msgID = b.send(ctx, r, r.p.T(key), kb)
	} else {
		b.edit(ctx, r, msgID, r.p.T(key), kb)
	}
	c.Message = msgID
	return b.startConv(ctx, r, c)
}

// pickButton answers the question with the place the user picked.
func (b *Bot) pickButton(ctx context.Context, r *request, c *conversation, raw []byte, value string) error {
	ro := b.roster.Load()
	pl, ok := placeFromValue(ro, value)
	if !ok {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	won, err := b.finish(ctx, r, raw)
	if err != nil || !won {
		return err
	}
	q := understand.Parse(c.Question, ro.gaz).WithPlace(pl)
	if c.Intent != "" {
		q.Intent = understand.Intent(c.Intent)
	}
	err = b.answer(ctx, r, q, c.Question, c.Intent != "", c.Message)
	b.answerCallback(ctx, r, "")
	return err
}
