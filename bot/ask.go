package bot

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// ask answers a free question.
func (b *Bot) ask(ctx context.Context, r *request, text string) error {
	if r.user.Role == store.RoleUnit {
		b.reply(ctx, r, r.p.T("units.no_questions"))
		return nil
	}
	msg := understand.Read(text, b.roster.Load().gaz, b.now().In(b.loc))
	return b.answerMessage(ctx, r, msg, text, "", 0, 0)
}

// askAs makes a command that asks a question: "/thieu huyện Lạc Sơn" is
// "còn thiếu ... huyện Lạc Sơn", "/xa Tân Lập" the commune's posts.
func (b *Bot) askAs(name string) commandFunc {
	return func(ctx context.Context, r *request, args string) error {
		if r.user.Role == store.RoleUnit {
			b.reply(ctx, r, r.p.T("units.no_questions"))
			return nil
		}
		msg, _ := understand.Command(name, args, b.roster.Load().gaz, b.now().In(b.loc))
		return b.answerMessage(ctx, r, msg, args, name, 0, 0)
	}
}

// reply is the answer to one question: a text, with places offered
// beside it (alternatives), or, when pick is set, a question back about
// which place was meant, the places as buttons.
type reply struct {
	text    string
	places  []understand.Place
	pick    bool
	mention int // the mention the places stand for
}

// answerMessage answers a message's questions in order from part first,
// in one message, and stops at the first whose place must be asked about:
// the answers so far go first, then the question with buttons. command is
// the command that asked ("" for free text); msgID the message to edit
// (0: new).
func (b *Bot) answerMessage(ctx context.Context, r *request, msg understand.Message, text, command string, msgID, first int) error {
	if len(msg.Parts) == 0 {
		key := "ask.not_understood"
		switch {
		case msg.Greeting:
			key = "ask.greeting"
		case msg.Thanks:
			key = "ask.thanks"
		}
		b.show(ctx, r, msgID, r.p.T(key, esc(r.user.Name)))
		return nil
	}
	msg = placeByPlace(msg)
	var texts []string
	for i := first; i < len(msg.Parts); i++ {
		rep, err := b.answerQuery(ctx, r, msg.Parts[i])
		if err != nil {
			return err
		}
		if rep.pick || len(rep.places) > 0 {
			if len(texts) > 0 {
				b.show(ctx, r, msgID, strings.Join(texts, "\n\n"))
				msgID = 0
			}
			return b.offerPlaces(ctx, r, rep, text, command, i, msgID)
		}
		texts = append(texts, rep.text)
	}
	out := strings.Join(texts, "\n\n")
	if len(out) > maxMessage {
		for _, t := range texts {
			b.show(ctx, r, msgID, t)
			msgID = 0
		}
		return nil
	}
	b.show(ctx, r, msgID, out)
	return nil
}

// placeByPlace answers several questions about the same places ("Tân
// Lạc và Lạc Sơn mỗi nơi còn mấy xã ..., mấy CAV ...?") place by place,
// in the order named: each question about one place at a time.
func placeByPlace(msg understand.Message) understand.Message {
	if len(msg.Parts) < 2 {
		return msg
	}
	places := msg.Parts[0].Places
	if len(places) < 2 {
		return msg
	}
	for _, q := range msg.Parts {
		if len(q.Places) != len(places) || q.Measure != store.MeasureCompare && q.Measure != store.MeasureCount || q.Order != "" {
			return msg
		}
	}
	var out understand.Message
	for i := range places {
		for _, q := range msg.Parts {
			one := q
			one.Places = []understand.Mention{q.Places[i]}
			one.Measure = store.MeasureCount
			if q.ByShare || q.Progress {
				one.Measure = store.MeasureShare
			}
			out.Parts = append(out.Parts, one)
		}
	}
	return out
}

// maxMessage is the length above which the answers to a message's parts
// go as one message each: Telegram takes 4096 characters.
const maxMessage = 3800

// target is a place an answer is about, resolved against the user's
// scope.
type target struct {
	scope store.Scope
	label string            // as an answer's line starts: "Huyện Lạc Sơn", "Xã Tân Lập", "Toàn tỉnh"
	ctype store.CommuneType // a commune's type, which its posts are named with
	// note says, before the answer, that the name asked about was
	// another unit's that this one took over (formerNote).
	note string
}

// answerQuery answers one question.
func (b *Bot) answerQuery(ctx context.Context, r *request, q understand.Query) (reply, error) {
	switch q.Topic {
	case understand.TopicHelp:
		return reply{text: b.helpText(r)}, nil
	case understand.TopicDeadline:
		return reply{text: b.milestones(r.p, r.scope())}, nil
	case understand.TopicUnknown:
		return reply{text: r.p.T("ask.not_understood", esc(r.user.Name))}, nil
	}
	targets, alts, stop := b.resolve(r, q)
	if stop != nil {
		return *stop, nil
	}
	text, err := b.evaluate(ctx, r, q, targets)
	if err != nil {
		return reply{}, err
	}
	var notes []string
	for _, t := range targets {
		if t.note != "" && !slices.Contains(notes, t.note) {
			notes = append(notes, t.note)
		}
	}
	if len(notes) > 0 {
		text = strings.Join(notes, "\n") + "\n" + text
	}
	return reply{text: text, places: alts}, nil
}

// resolve finds the places a question is about inside the user's scope:
// the places it names, or the one it names by the user's position, or
// the user's own scope. A place it names that is ambiguous, unknown or
// outside the scope stops the answer with what to say instead.
func (b *Bot) resolve(r *request, q understand.Query) ([]target, []understand.Place, *reply) {
	ro := b.roster.Load()
	own := r.scope()
	p := r.p
	inScope := func(pl understand.Place) bool { return ro.covers(own, placeScope(ro, own, pl)) }
	if rep := b.askDropped(r, q, inScope); rep != nil {
		return nil, nil, rep
	}
	var targets []target
	var alts []understand.Place
	for i, m := range q.Places {
		if len(m.Candidates) > 0 {
			// A bare name's reading does not depend on who asks: "Cao
			// Phong" is the district, for its town's staff too, who may
			// not see it. Only names of unrelated places are narrowed to
			// the user's scope first.
			pl, alt, amb := ro.gaz.Resolve(m, nil)
			switch {
			case pl != nil && len(alt) > 0 && !inScope(*pl):
				var near []understand.Place
				for _, a := range alt {
					if inScope(a) {
						near = append(near, a)
					}
				}
				return nil, nil, &reply{text: p.T("ask.out_of_scope", esc(placeName(p, *pl))), places: near, mention: i}
			case pl == nil || !inScope(*pl):
				pl, alt, amb = ro.gaz.Resolve(m, inScope)
			}
			var keep []understand.Place
			for _, a := range alt {
				if inScope(a) {
					keep = append(keep, a)
				}
			}
			alt = keep
			switch {
			case pl != nil && pl.Level == understand.LevelProvince && slices.Contains(m.Levels, understand.LevelDistrict) &&
				!strings.HasPrefix(understand.Fold(pl.Name), "thanh pho ") && q.AsOf.IsZero():
				// "thành phố Hòa Bình" after the city ended: the province
				// of that name is a tỉnh, not what the words named; say
				// what became of the city rather than answer of another
				// place.
				former := m
				former.Unmatched, former.Levels = pl.Name, []string{understand.LevelDistrict}
				if rep := b.formerPlace(r, former, inScope); rep != nil {
					rep.mention = i
					return nil, nil, rep
				}
				t := b.target(r, *pl)
				targets = append(targets, t)
				alts = append(alts, alt...)
			case pl != nil:
				// About a moment before a change, a unit of today's map
				// that took over one of the same name ("thị trấn Vụ Bản",
				// merged into a new one of that name) stands for that one.
				if t, ok := b.formerTarget(r, q.AsOf, pl.Name, m, inScope, pl.Code); ok {
					targets = append(targets, t)
					continue
				}
				t := b.target(r, *pl)
				t.note = b.formerNote(p, m, *pl)
				targets = append(targets, t)
				alts = append(alts, alt...)
			case len(amb) > 0:
				if len(amb) > maxPlaceButtons {
					return nil, nil, &reply{text: p.T("ask.too_many_places", len(amb), esc(m.Candidates[0].Name))}
				}
				return nil, nil, &reply{text: p.T("ask.which_place"), places: amb, pick: true, mention: i}
			default:
				return nil, nil, &reply{text: p.T("ask.out_of_scope", esc(placeName(p, m.Candidates[0])))}
			}
			continue
		}
		// A name the map no longer has, asked about a moment it was on
		// it: the unit as it was then.
		if t, ok := b.formerTarget(r, q.AsOf, m.Unmatched, m, inScope, ""); ok {
			targets = append(targets, t)
			continue
		}
		// A name the map no longer has: what it became.
		if rep := b.formerPlace(r, m, inScope); rep != nil {
			rep.mention = i
			return nil, nil, rep
		}
		// A name the roster does not know, or not where the words said:
		// the nearest names in scope, never an answer about another place.
		what := typeWord(p, m)
		quoted := esc(m.Unmatched)
		if m.Within != nil {
			if !inScope(*m.Within) {
				return nil, nil, &reply{text: p.T("ask.out_of_scope", esc(placeName(p, *m.Within)))}
			}
			head := p.T("ask.not_in", what, quoted, esc(placeName(p, *m.Within)))
			var near []understand.Place
			for _, s := range m.Suggestions {
				if inScope(s) {
					near = append(near, s)
				}
			}
			if len(near) == 0 {
				return nil, nil, &reply{text: head}
			}
			return nil, nil, &reply{text: head + "\n" + p.T("ask.nearest"), places: near, pick: true, mention: i}
		}
		var near []understand.Place
		for _, s := range m.Suggestions {
			if inScope(s) && len(near) < maxPlaceButtons {
				near = append(near, s)
			}
		}
		if len(near) > 0 {
			return nil, nil, &reply{text: p.T("ask.did_you_mean", what, quoted), places: near, pick: true, mention: i}
		}
		level := ""
		if len(m.Levels) == 1 {
			level = m.Levels[0]
		}
		if level != understand.LevelProvince && m.Unmatched != "" {
			near = ro.gaz.Nearest(m.Unmatched, level, inScope, 3)
		}
		if len(near) == 0 {
			return nil, nil, &reply{text: p.T("ask.not_found", what, quoted)}
		}
		return nil, nil, &reply{text: p.T("ask.not_found", what, quoted) + "\n" + p.T("ask.nearest"), places: near, pick: true, mention: i}
	}
	if len(targets) > 0 {
		return targets, alts, nil
	}
	switch q.Own {
	case understand.OwnNational:
		if !own.All() {
			return nil, nil, &reply{text: p.T("ask.out_of_scope", p.T("ask.place.national"))}
		}
		return []target{{scope: store.Scope{Role: store.RoleNational}, label: p.T("ask.place.national")}}, nil, nil
	case understand.OwnProvince:
		if own.All() {
			return nil, nil, &reply{text: p.T("ask.name_province")}
		}
		s := store.Scope{Role: store.RoleProvince, Code: ro.provinceOfScope(own)}
		if !ro.covers(own, s) {
			return nil, nil, &reply{text: p.T("ask.out_of_scope", p.T("ask.place.province"))}
		}
		return []target{b.scopeTarget(r, s)}, nil, nil
	case understand.OwnDistrict:
		if own.Role == store.RoleCommune {
			d := ro.districtOf(own.Code)
			return nil, nil, &reply{text: p.T("ask.out_of_scope", esc(p.InSentence(ro.districts[d].Name)))}
		}
	}
	return []target{b.scopeTarget(r, own)}, nil, nil
}

// askDropped asks which place was meant when the words hold a place's
// whole name that they read as words of the question (q.Dropped) and
// would otherwise answer about a place the user did not name: the user's
// own scope, for a question naming no place, or one place alone in a
// comparison. The user's own scope is offered beside the names; a press
// answers the question again with the place pressed. Nil when nothing
// is to be asked.
func (b *Bot) askDropped(r *request, q understand.Query, inScope func(understand.Place) bool) *reply {
	if len(q.Dropped) == 0 || len(q.Places) > 1 {
		return nil
	}
	mention := len(q.Places)
	own := r.scope()
	ro := b.roster.Load()
	var places []understand.Place
	for _, pl := range q.Dropped {
		if mention == 0 && placeScope(ro, own, pl) == own {
			// The words name the user's own place ("tiến độ Kim Bôi" of
			// Kim Bôi's head): the answer about it is what they ask.
			return nil
		}
		if inScope(pl) && len(places) < maxPlaceButtons-1 {
			places = append(places, pl)
		}
	}
	switch {
	case len(places) == 0 && mention > 0:
		// A comparison with a place the user may not see: say so rather
		// than answer about the one place left.
		return &reply{text: r.p.T("ask.out_of_scope", esc(placeName(r.p, q.Dropped[0])))}
	case len(places) == 0:
		return nil
	}
	if mention == 0 && !own.All() {
		if pl, ok := scopePlace(ro, own); ok && !slices.Contains(places, pl) {
			places = append(places, pl)
		}
	}
	return &reply{text: r.p.T("ask.which_place"), places: places, pick: true, mention: mention}
}

// formerPlace answers a name that a change took off the map (a merged,
// split or renamed commune, an ended district) with what it became, and
// offers the unit that took it over as a button that asks the question
// again about it; nil when the name is no such unit the user may see.
func (b *Bot) formerPlace(r *request, m understand.Mention, inScope func(understand.Place) bool) *reply {
	ro := b.roster.Load()
	p := r.p
	for _, f := range ro.former[understand.NameKey(m.Unmatched)] {
		level := scopeLevels[f.Role]
		if len(m.Levels) > 0 && !slices.Contains(m.Levels, level) || m.Type != "" && level == understand.LevelCommune && m.Type != f.Type {
			continue
		}
		key, was := "mapchanges.became_commune", p.T("commune_type."+string(f.Type))+" "+f.Name
		succ, ok := scopePlace(ro, store.Scope{Role: f.Role, Code: f.Successor})
		switch {
		case !ok:
			continue
		case level == understand.LevelDistrict && ro.districts[f.Successor].Direct():
			key, was = "mapchanges.became_province", p.InSentence(f.Name)
			if succ, ok = scopePlace(ro, store.Scope{Role: store.RoleProvince, Code: ro.districts[f.Successor].ProvinceCode}); !ok {
				continue
			}
		case level == understand.LevelDistrict:
			key, was = "mapchanges.became_district", p.InSentence(f.Name)
		case f.Code == f.Successor:
			key = "mapchanges.renamed"
		}
		if !inScope(succ) {
			continue
		}
		text := p.T(key, esc(upperFirst(was)), p.Date(f.Ended), esc(placeName(p, succ)))
		return &reply{text: text, places: []understand.Place{succ}, pick: true}
	}
	return nil
}

// formerNote is the line that says a name asked about was a unit's
// before a change: "thị trấn Đà Bắc", answered about xã Đà Bắc, which
// took it over, or a thị trấn made a xã under its name. Empty when the
// name, with the type typed, is the place's own, or when no type was
// typed (the name alone is the place's today).
func (b *Bot) formerNote(p *locales.Printer, m understand.Mention, pl understand.Place) string {
	if pl.Level != understand.LevelCommune || m.Type == "" || m.Type == pl.Type {
		return ""
	}
	for _, f := range b.roster.Load().former[understand.NameKey(pl.Name)] {
		if f.Role != store.RoleCommune || f.Type != m.Type || f.Successor != pl.Code {
			continue
		}
		key := "mapchanges.was_merged"
		if f.Code == f.Successor {
			key = "mapchanges.was_renamed"
		}
		return p.T(key, esc(upperFirst(p.T("commune_type."+string(f.Type))+" "+f.Name)), esc(placeName(p, pl)), p.Date(f.Ended))
	}
	return ""
}

// formerTarget is the unit a name the map no longer has stood for, when
// the question is about a moment (asOf) the unit, or its name, was still
// on the map: the store's view of that moment has it as it was, so the
// answer is about it, named as it was then, not about what it became.
// The user must see what it became (inScope), as for formerPlace; with
// successor, it must have become that unit.
func (b *Bot) formerTarget(r *request, asOf time.Time, name string, m understand.Mention, inScope func(understand.Place) bool, successor string) (target, bool) {
	if asOf.IsZero() {
		return target{}, false
	}
	ro := b.roster.Load()
	p := r.p
	for _, f := range ro.former[understand.NameKey(name)] {
		if successor != "" && (f.Successor != successor || f.Code == successor) {
			continue
		}
		level := scopeLevels[f.Role]
		if len(m.Levels) > 0 && !slices.Contains(m.Levels, level) || m.Type != "" && level == understand.LevelCommune && m.Type != f.Type {
			continue
		}
		// A view shows the state just before its moment (store.DB.AsOf):
		// a unit that ended at that very moment is still on its map.
		if asOf.After(f.Ended) {
			continue
		}
		succ, ok := scopePlace(ro, store.Scope{Role: f.Role, Code: f.Successor})
		if !ok || !inScope(succ) {
			continue
		}
		t := target{scope: store.Scope{Role: f.Role, Code: f.Code}, label: esc(f.Name)}
		if f.Role == store.RoleCommune {
			t.ctype = f.Type
			t.label = upperFirst(communeName(p, store.Commune{Name: f.Name, Type: f.Type}))
			if own := r.scope(); (own.Role == store.RoleProvince || own.All()) && f.District != "" {
				t.label = p.T("ask.place.commune_in", t.label, esc(p.InSentence(f.District)))
			}
		}
		return t, true
	}
	return target{}, false
}

// maxPlaceButtons bounds the places offered as buttons.
const maxPlaceButtons = 8

// target names a place of the roster for an answer.
func (b *Bot) target(r *request, pl understand.Place) target {
	return b.scopeTarget(r, placeScope(b.roster.Load(), r.scope(), pl))
}

// scopeTarget names a scope as an answer's line starts with it: the
// user's own province is "Toàn tỉnh", a commune is named with its
// district for those who see several districts.
func (b *Bot) scopeTarget(r *request, s store.Scope) target {
	ro := b.roster.Load()
	p := r.p
	own := r.scope()
	t := target{scope: s}
	switch s.Role {
	case store.RoleNational, "":
		t.label = p.T("ask.place.national")
	case store.RoleProvince:
		if own.Role == store.RoleProvince && own.Code == s.Code || len(ro.provinces) == 1 {
			t.label = p.T("ask.place.province")
		} else {
			t.label = esc(ro.provinces[s.Code].Name)
		}
	case store.RoleDistrict:
		t.label = esc(ro.districts[s.Code].Name)
	case store.RoleCommune:
		c := ro.communes[s.Code]
		t.ctype = c.Type
		t.label = upperFirst(communeName(p, c))
		if d := ro.districts[c.DistrictCode]; own.Role == store.RoleProvince && !d.Direct() || own.All() {
			t.label = p.T("ask.place.commune_in", t.label, esc(p.InSentence(d.Name)))
		}
	}
	return t
}

// placeName names a place of the gazetteer inside a sentence.
func placeName(p *locales.Printer, pl understand.Place) string {
	if pl.Level == understand.LevelCommune {
		return p.T("commune_type."+string(pl.Type)) + " " + pl.Name
	}
	if pl.Level == understand.LevelProvince {
		return p.Province(pl.Name)
	}
	return p.InSentence(pl.Name)
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
	return rosterPlace(ro, level, code)
}

// scopeLevels are the gazetteer's levels of the scopes that are places.
var scopeLevels = map[store.Role]string{
	store.RoleCommune:  understand.LevelCommune,
	store.RoleDistrict: understand.LevelDistrict,
	store.RoleProvince: understand.LevelProvince,
}

// scopePlace is the place a scope stands for, placeScope's inverse;
// false for the whole store, a unit, or a code the roster lacks.
func scopePlace(ro *roster, s store.Scope) (understand.Place, bool) {
	level, ok := scopeLevels[s.Role]
	if !ok {
		return understand.Place{}, false
	}
	return rosterPlace(ro, level, s.Code)
}

// rosterPlace is the roster's place of a level and code.
func rosterPlace(ro *roster, level, code string) (understand.Place, bool) {
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
		pr, ok := ro.provinces[code]
		return understand.Place{Level: level, Code: code, Name: pr.Name}, ok
	}
	return understand.Place{}, false
}

// placeLabel names a place on a button: "thị trấn Mai Châu (huyện Mai
// Châu)", "Tỉnh Hòa Bình": a province with its kind, which its name in
// the settings may lack, so that it reads apart from the city of the same
// name.
func placeLabel(p *locales.Printer, pl understand.Place) string {
	switch pl.Level {
	case understand.LevelCommune:
		return p.T("ask.place.commune_in", p.T("commune_type."+string(pl.Type))+" "+pl.Name, p.InSentence(pl.DistrictName))
	case understand.LevelProvince:
		return upperFirst(p.Province(pl.Name))
	}
	return pl.Name
}

// offerPlaces sends rep with a button per place: the places to pick from,
// or those offered beside an answer. A press answers part of the message
// again with the place pressed.
func (b *Bot) offerPlaces(ctx context.Context, r *request, rep reply, question, command string, part, msgID int) error {
	c := &conversation{Flow: flowPick, User: r.from.ID, Question: question, Intent: command, Part: part, Mention: rep.mention}
	c.nextStep("place")
	var bs []models.InlineKeyboardButton
	for _, pl := range rep.places {
		label := placeLabel(r.p, pl)
		if !rep.pick {
			label = r.p.T("ask.also", label)
		}
		bs = append(bs, c.button(label, placeValue(pl)))
	}
	kb := rows(bs, 1)
	if rep.pick {
		kb = b.withCancel(r, c, kb)
	}
	if msgID == 0 {
		msgID = b.send(ctx, r, rep.text, kb)
	} else {
		b.edit(ctx, r, msgID, rep.text, kb)
	}
	c.Message = msgID
	return b.startConv(ctx, r, c)
}

// pickButton answers the question again with the place the user pressed.
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
	now := b.now().In(b.loc)
	msg := understand.Read(c.Question, ro.gaz, now)
	if c.Intent != "" {
		msg, _ = understand.Command(c.Intent, c.Question, ro.gaz, now)
	}
	if c.Part >= len(msg.Parts) {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	msg = placeByPlace(msg)
	if c.Part >= len(msg.Parts) {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	q := &msg.Parts[c.Part]
	picked := understand.Mention{Candidates: []understand.Place{pl}}
	switch {
	case c.Mention < len(q.Places):
		q.Places[c.Mention] = picked
	case c.Mention == len(q.Places) && c.Mention > 0:
		// A place the words held but did not read as one (askDropped),
		// beside the one a comparison named: the two compared.
		q.Places = append(q.Places, picked)
	default:
		q.Places = []understand.Mention{picked}
	}
	// The place pressed is the answer to askDropped's question too.
	q.Dropped = nil
	msg.Parts = msg.Parts[:c.Part+1]
	err = b.answerMessage(ctx, r, msg, c.Question, c.Intent, c.Message, c.Part)
	b.answerCallback(ctx, r, "")
	return err
}
