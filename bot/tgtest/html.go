package tgtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entity is a formatting entity of a message text, as Telegram reports it:
// offsets and lengths count UTF-16 code units.
type Entity struct {
	Type     string `json:"type"`
	Offset   int    `json:"offset"`
	Length   int    `json:"length"`
	URL      string `json:"url,omitempty"`
	Language string `json:"language,omitempty"`
	EmojiID  string `json:"custom_emoji_id,omitempty"`
}

// htmlTags maps each tag Telegram accepts with parse_mode HTML to the entity it makes.
var htmlTags = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"span": "spoiler", "tg-spoiler": "spoiler",
	"a":          "text_link",
	"code":       "code",
	"pre":        "pre",
	"blockquote": "blockquote",
	"tg-emoji":   "custom_emoji",
}

type openTag struct {
	name   string
	offset int
	entity Entity
}

// parseHTML follows tdlib's parse_html: it returns the text a user sees and
// its entities, or the error Telegram reports after "can't parse entities: ".
// Like Telegram, an '&' that does not start a known entity stays literal.
func parseHTML(s string) (string, []Entity, error) {
	var out strings.Builder
	var entities []Entity
	var stack []openTag
	offset := 0
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '&' {
			if r, n, ok := decodeHTMLEntity(s[i:]); ok {
				out.WriteRune(r)
				offset += utf16Len(r)
				i += n
				continue
			}
		}
		if c != '<' {
			r, size := utf8.DecodeRuneInString(s[i:])
			out.WriteString(s[i : i+size])
			offset += utf16Len(r)
			i += size
			continue
		}
		begin := i
		i++
		if i < len(s) && s[i] == '/' {
			if len(stack) == 0 {
				return "", nil, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
			}
			i++
			start := i
			for i < len(s) && s[i] != '>' {
				i++
			}
			if i >= len(s) {
				return "", nil, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
			}
			name := strings.ToLower(strings.TrimSpace(s[start:i]))
			i++
			top := stack[len(stack)-1]
			if name != top.name {
				return "", nil, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.name, name)
			}
			stack = stack[:len(stack)-1]
			if e, ok := closeTag(top, offset, stack); ok {
				entities = append(entities, e)
			}
			continue
		}
		start := i
		for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' {
			i++
		}
		if i >= len(s) {
			return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		name := strings.ToLower(s[start:i])
		kind, ok := htmlTags[name]
		if !ok {
			return "", nil, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, begin)
		}
		attrs, next, err := parseAttributes(s, i, name, begin)
		if err != nil {
			return "", nil, err
		}
		i = next
		e := Entity{Type: kind, Offset: offset}
		switch name {
		case "span":
			if attrs["class"] != "tg-spoiler" {
				return "", nil, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
			}
		case "a":
			e.URL = attrs["href"]
		case "code":
			e.Language = strings.TrimPrefix(attrs["class"], "language-")
		case "blockquote":
			if _, ok := attrs["expandable"]; ok {
				e.Type = "expandable_blockquote"
			}
		case "tg-emoji":
			e.EmojiID = attrs["emoji-id"]
			if e.EmojiID == "" {
				return "", nil, fmt.Errorf("Custom emoji entity must have an emoji-id at byte offset %d", begin)
			}
		}
		stack = append(stack, openTag{name: name, offset: offset, entity: e})
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	return out.String(), entities, nil
}

// closeTag turns a closed tag into an entity. Empty entities and links
// without href vanish, and a <code class="language-x"> directly inside <pre>
// only sets the language of the pre entity, as in Telegram.
func closeTag(t openTag, offset int, stack []openTag) (Entity, bool) {
	e := t.entity
	e.Length = offset - t.offset
	if e.Length == 0 || (t.name == "a" && e.URL == "") {
		return Entity{}, false
	}
	if t.name == "code" && e.Language != "" && len(stack) > 0 && stack[len(stack)-1].name == "pre" {
		stack[len(stack)-1].entity.Language = e.Language
		return Entity{}, false
	}
	if t.name == "code" {
		e.Language = ""
	}
	return e, true
}

func parseAttributes(s string, i int, tag string, begin int) (map[string]string, int, error) {
	attrs := map[string]string{}
	for {
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		if s[i] == '>' {
			return attrs, i + 1, nil
		}
		start := i
		for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '=' && s[i] != '>' {
			i++
		}
		name := strings.ToLower(s[start:i])
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		if s[i] != '=' {
			if tag == "blockquote" && name == "expandable" {
				attrs[name] = ""
				continue
			}
			return nil, 0, fmt.Errorf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", tag, begin)
		}
		i++
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
		}
		var raw string
		if q := s[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[i+1:], q)
			if end < 0 {
				return nil, 0, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			raw = s[i+1 : i+1+end]
			i += end + 2
		} else {
			start := i
			for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' {
				i++
			}
			raw = s[start:i]
		}
		attrs[name] = unescapeHTML(raw)
	}
}

func unescapeHTML(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '&' {
			if r, n, ok := decodeHTMLEntity(s[i:]); ok {
				b.WriteRune(r)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// decodeHTMLEntity decodes the entity at the start of s: the four named
// entities Telegram knows and numeric ones.
func decodeHTMLEntity(s string) (rune, int, bool) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return 0, 0, false
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "amp":
		return '&', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	num, ok := strings.CutPrefix(name, "#")
	if !ok {
		return 0, 0, false
	}
	base := 10
	if hex, ok := strings.CutPrefix(num, "x"); ok {
		num, base = hex, 16
	} else if hex, ok := strings.CutPrefix(num, "X"); ok {
		num, base = hex, 16
	}
	n, err := strconv.ParseUint(num, base, 32)
	if err != nil || n == 0 || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
		return 0, 0, false
	}
	return rune(n), end + 1, true
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// utf16Count counts the UTF-16 code units of s, the unit of entity offsets.
func utf16Count(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}
