package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// chatScale relaxes the local server's sending limits: a script types far
// faster than a person, and the bot's direct answers are not queued.
const chatScale = 1000

// runChat passes each line of standard input through the real handlers as
// a message from one Telegram user, over a local Bot API server, and
// prints the bot's answers with their buttons numbered. A line "#2"
// presses button 2 of the newest message that has buttons.
//
//	caxbot chat --as TELEGRAM_ID
func runChat(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("chat")
	as := fs.Int64("as", 0, m.Printer.T("flag.as"))
	date := m.dateFlag(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if err := m.need(fs, "as"); err != nil {
		return err
	}
	if err := m.useDate(*date); err != nil {
		return err
	}
	// The transcript is what a person reads: the bot's warnings (on
	// standard error) would break it up, so only errors are logged unless
	// CAXBOT_LOG_LEVEL says otherwise.
	if !m.Settings.LogLevelSet {
		m.Logger = m.newLogger(slog.LevelError)
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	user := tgtest.User{ID: *as, FirstName: m.Printer.T("chat.guest"), LanguageCode: m.Settings.Lang}
	switch u, err := m.DB.User(ctx, *as); {
	case err == nil:
		user.FirstName = u.Name
		if u.Lang != "" {
			user.LanguageCode = u.Lang
		}
	case errors.Is(err, store.ErrNotFound):
		fmt.Fprintln(m.Stderr, m.Printer.T("chat.unregistered", *as))
	default:
		return err
	}
	// With --date the bot answers as the store stood at the end of that
	// day; what the user reports is recorded as usual, at the bot's time.
	m.DB = m.DB.AsOf(m.dayEnd)
	l, err := m.startLocalBot(ctx, chatScale)
	if err != nil {
		return err
	}
	defer l.Close()

	in := bufio.NewScanner(m.Stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		fmt.Fprintln(m.Stdout, "> "+line)
		var out []outgoing
		if n, ok := buttonNumber(line); ok {
			msg, data, found := l.button(user.ID, n)
			if !found {
				fmt.Fprintln(m.Stdout, m.Printer.T("chat.no_button", n))
				continue
			}
			out, err = l.press(ctx, user, msg, data)
		} else {
			out, err = l.say(ctx, user, line)
		}
		if err != nil {
			return err
		}
		// What the bot sends after its answer (a digest on demand) belongs
		// to this line, before the next one marks the chat as shown.
		l.bot.WaitBackground()
		out = append(out, l.changes(user.ID)...)
		for _, o := range out {
			m.printOutgoing(m.Stdout, o, "")
		}
	}
	return in.Err()
}

// buttonNumber reads a line "#n".
func buttonNumber(line string) (int, bool) {
	rest, ok := strings.CutPrefix(line, "#")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(rest))
	return n, err == nil && n > 0
}

// button finds button n (counting from 1, row by row) of the chat's newest
// message with buttons.
func (l *localBot) button(chat int64, n int) (tgtest.Message, string, bool) {
	msg, ok := l.lastWithButtons(chat)
	if !ok {
		return msg, "", false
	}
	i := 0
	for _, row := range msg.Keyboard {
		for _, b := range row {
			if i++; i == n {
				return msg, b.CallbackData, b.CallbackData != ""
			}
		}
	}
	return msg, "", false
}

// printOutgoing shows one thing the bot did, each line after the first
// indented by indent plus a little, with buttons numbered.
func (m *Main) printOutgoing(w io.Writer, o outgoing, indent string) {
	p := m.Printer
	if o.Notice != "" {
		fmt.Fprintln(w, indent+"  "+p.T("chat.notice", o.Notice))
		return
	}
	msg := o.Message
	text := msg.PlainText
	if msg.Photo != nil || msg.Document != nil {
		text = msg.PlainCaption
	}
	head := "🤖 "
	if o.Edited {
		head += p.T("chat.edited") + " "
	}
	lines := strings.Split(text, "\n")
	if text == "" {
		lines = nil
	}
	switch {
	case msg.Photo != nil:
		lines = append([]string{p.T("chat.photo", msg.Photo.Name)}, lines...)
	case msg.Document != nil:
		lines = append([]string{p.T("chat.document", msg.Document.Name)}, lines...)
	}
	for i, line := range lines {
		if i == 0 {
			fmt.Fprintln(w, indent+head+line)
			continue
		}
		fmt.Fprintln(w, indent+"   "+line)
	}
	n := 0
	for _, row := range msg.Keyboard {
		var cells []string
		for _, b := range row {
			n++
			cells = append(cells, fmt.Sprintf("[%d %s]", n, b.Text))
		}
		fmt.Fprintln(w, indent+"   "+strings.Join(cells, " "))
	}
}
