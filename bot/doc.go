// Package bot is caxbot's Telegram adapter on go-telegram/bot: routing,
// access control, the report conversation, answers to questions typed in
// Vietnamese, onboarding by invitation and the webhook.
//
// # Wiring (what cmd/caxbot does)
//
//	b, err := bot.New(bot.Deps{DB: db, State: st, Catalog: cat, Loc: loc,
//		Now: clock, Logger: logger, BotUsername: "caxbot"})
//	tg, err := b.NewClient(token, serverURL, nil) // nil: bot.NewHTTPClient()
//	b.RegisterCommands(ctx, tg)                    // the common menus, vi and en
//	b.SyncMenus(ctx)                               // each user's, by role, into the outbox
//
// Long polling:
//
//	err = b.Run(ctx, tg) // returns when ctx ends
//
// Webhook (several replicas may serve the same bot):
//
//	go b.RunWebhook(ctx) // the workers that handle what the handler receives
//	tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: u, SecretToken: secret})
//	http.Handle("/telegram", b.WebhookHandler(tg, secret))
//
// NewClient sets the options the bot relies on: WithServerURL (a local
// tgtest server or Telegram), WithDefaultHandler (every update goes through
// the bot's own routing), WithNotAsyncHandlers (the client must not reorder
// a chat's updates; the bot's dispatcher does the parallel work) and
// WithHTTPClient with many idle connections per host. A client made
// otherwise works for sending but not for Run.
//
// `caxbot chat` runs Chat: the real handlers over a local tgtest server,
// one line of standard input per message, the replies printed with their
// buttons numbered; a line "#2" presses button 2 of the newest message
// that has buttons.
//
// # Ordering and failures
//
// Updates of one chat are handled one after the other, different chats in
// parallel: a dispatcher of Options.Workers goroutines, any of which takes
// the next update of any chat that has none in hand, so that a slow chat
// holds one worker and delays nobody else. Work that takes long (the
// weekly digest on demand) leaves the update path: the user is told it is
// being prepared, and it is sent when ready. Polling submits without waiting; the
// webhook handler waits until the update is handled and answers 200 only
// then. Every update runs under Options.UpdateDeadline from its arrival,
// which every store, State and Bot API call it makes honours. When the
// store or the shared state fails, or the deadline passes, the webhook
// answers 500 (Telegram retries) and gives the update's claim back;
// polling apologises to the user instead, as nothing would retry.
//
// An update starts with one State.Begin call: it claims the update id
// (webhook only), counts the message against the flood limit and reads
// the chat's conversation, atomically and in one Redis round trip. The
// claim is pending while the update is handled (a repeat delivery is
// answered 503, so that Telegram asks again; a claim whose replica died
// lapses after the deadline), and settled for Options.DedupTTL once it
// was handled (a repeat is answered 200 and dropped).
//
// Registered users are kept in a bounded in-process cache for as long as
// no user changes anywhere: the store counts every change to users, and
// the bot reads that count at most once per Options.UserCheck (1 s). The
// bot's own writes (language, redeemed invitation) forget the entry at
// once. A change made elsewhere (caxbot users remove, a new role, another
// replica's write) takes effect on a replica within UserCheck: a removed
// user may get answers for up to a second more. Unregistered senders are
// not cached.
//
// # Buttons
//
// Callback data is never trusted: a button carries "c:<nonce>:<index>",
// where the nonce is drawn anew for each step of the chat's conversation
// and the index is looked up in the conversation stored in State. A step
// advances with SwapConversation, so a double tap advances once and a
// stale or forged press changes nothing. Other callback prefixes and
// commands can be added to the routing tables (Bot.commands, Bot.callbacks).
//
// # Scope
//
// A commune user sees their commune, a district head their district, a
// province user their province. Province users invite anyone of their
// province with /moi; district heads invite commune users of their
// district; commune users invite nobody.
//
// In a group chat, whose members are not all users, the bot answers about
// the roster only once a district head or a province user has bound the
// group to their own scope (/gannhom, /gonhom); a user there then sees
// what their scope and the group's share, and the scope's reminders (or
// the province's digest) go there too. Anywhere else it points whoever
// addresses it to its private chat, once an hour. Conversations are kept
// per chat and user. See groups.go.
package bot
