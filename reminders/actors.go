package reminders

import (
	"context"
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
	names := make(map[string]string, len(actors))
	var ids []int64
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
			ids = append(ids, a.UserID)
		default:
			names[actor] = actor
		}
	}
	users, err := db.UsersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, u := range users {
		names["user:"+strconv.FormatInt(id, 10)] = p.T("digest.actor.user", u.Name, position(u))
	}
	return names, nil
}
