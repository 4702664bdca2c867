package store

import (
	"strconv"
	"strings"
)

// Actor is who made a report or an audited change, read from its Actor
// text: "user:<telegram id>" for a person, "import:<file name>" for an
// import. Neither is set for any other actor (the command line's "cli").
type Actor struct {
	UserID int64
	File   string
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
	return Actor{}
}
