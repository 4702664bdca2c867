package store

import (
	"strconv"
	"strings"
)

// CommandLineActor is the actor of the changes made through the command
// line (caxbot propose accept, plan, users, invite ...).
const CommandLineActor = "cli"

// Actor is who made a report or an audited change, read from its Actor
// text: "user:<telegram id>" for a person, "import:<file name>" for an
// import, CommandLineActor for the command line. None is set for any
// other actor.
type Actor struct {
	UserID      int64
	File        string
	CommandLine bool
}

// ParseActor reads an actor text.
func ParseActor(s string) Actor {
	if id, ok := strings.CutPrefix(s, "user:"); ok {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			return Actor{UserID: n}
		}
		return Actor{}
	}
	if file, ok := strings.CutPrefix(s, "import:"); ok {
		return Actor{File: file}
	}
	return Actor{CommandLine: s == CommandLineActor}
}
