package reminders

import (
	"context"
	"slices"
	"strconv"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// ActorNames names the actors of reports wherever people read them (the
// bot's /lichsu, the Mini App, the digest's workbook, the reviews): a
// person with their position ("Bùi Văn An (Công an xã Tân Lập)"), a file
// by its name ("nhập từ tệp danh-sach.xlsx"), the command line as the
// system's administrator, a user removed since by their Telegram id.
// position names a user's role and unit. The users are read in one
// query. The names are plain text, for the caller to escape.
func ActorNames(ctx context.Context, db *store.DB, p *locales.Printer, actors []string, position func(store.User) string) (map[string]string, error) {
	users, err := db.UsersByID(ctx, actorUserIDs(actors))
	if err != nil {
		return nil, err
	}
	return nameActors(p, actors, users, position), nil
}

// actorUserIDs are the users among actors, each once.
func actorUserIDs(actors []string) []int64 {
	var ids []int64
	for _, actor := range actors {
		if id := store.ParseActor(actor).UserID; id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// nameActors is ActorNames with the users already read: users may hold
// others than the actors' (a weekly job reads the week's once for every
// digest).
func nameActors(p *locales.Printer, actors []string, users map[int64]store.User, position func(store.User) string) map[string]string {
	names := make(map[string]string, len(actors))
	for _, actor := range actors {
		if _, done := names[actor]; done {
			continue
		}
		a := store.ParseActor(actor)
		switch {
		case a.File != "":
			names[actor] = p.T("digest.actor.file", a.File)
		case a.CommandLine:
			names[actor] = p.T("digest.actor.cli")
		case a.UserID != 0:
			names[actor] = p.T("digest.actor.gone", strconv.FormatInt(a.UserID, 10))
		default:
			names[actor] = actor
		}
	}
	for _, id := range actorUserIDs(actors) {
		if u, ok := users[id]; ok {
			names["user:"+strconv.FormatInt(id, 10)] = p.T("digest.actor.user", u.Name, position(u))
		}
	}
	return names
}
