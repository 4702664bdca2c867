package tgtest

import (
	"encoding/json"
	"net/url"
	"strconv"
)

// Mini Apps (web_app buttons and the menu button), as the specification
// says: a Web App's address is an HTTPS URL, and an inline web_app button
// is "available only in private chats between a user and the bot".

// MenuButton is the bot's menu button in a private chat, or the default
// one.
type MenuButton struct {
	Type      string // "commands", "web_app" or "default"
	Text      string // of a web_app button
	WebAppURL string
}

// checkWebAppURL refuses a Web App address that is not HTTPS.
func checkWebAppURL(raw string) *apiError {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return badRequest("inline keyboard button Web App URL %q is invalid: Only HTTPS links are allowed", raw)
	}
	return nil
}

// checkChat refuses web_app buttons outside a private chat.
func (mk markup) checkChat(c *chat) *apiError {
	if c.json.Type == "private" {
		return nil
	}
	for _, row := range mk.keyboard {
		for _, b := range row {
			if b.WebAppURL != "" {
				return badRequest("BUTTON_TYPE_INVALID")
			}
		}
	}
	return nil
}

// setChatMenuButton serves setChatMenuButton: the default menu button
// without chat_id, or one private chat's.
func (s *Server) setChatMenuButton(req *request) (any, *apiError) {
	mb := MenuButton{Type: "default"}
	if raw := req.params["menu_button"]; raw != "" {
		var v struct {
			Type   string `json:"type"`
			Text   string `json:"text"`
			WebApp *struct {
				URL string `json:"url"`
			} `json:"web_app"`
		}
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return nil, badRequest("can't parse menu button JSON object")
		}
		switch v.Type {
		case "commands", "default":
			if v.Text != "" || v.WebApp != nil {
				return nil, badRequest("can't parse menu button: unexpected fields for type %s", v.Type)
			}
		case "web_app":
			if v.Text == "" || v.WebApp == nil {
				return nil, badRequest("can't parse menu button: text and web_app are required")
			}
			if apiErr := checkWebAppURL(v.WebApp.URL); apiErr != nil {
				return nil, apiErr
			}
			mb.Text, mb.WebAppURL = v.Text, v.WebApp.URL
		default:
			return nil, badRequest("can't parse menu button: unsupported type %q", v.Type)
		}
		mb.Type = v.Type
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, apiErr := s.menuChatLocked(req.params["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	s.menuButtons[id] = mb
	s.notifyLocked()
	return true, nil
}

func (s *Server) getChatMenuButton(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, apiErr := s.menuChatLocked(req.params["chat_id"])
	if apiErr != nil {
		return nil, apiErr
	}
	mb := s.menuButtonLocked(id)
	out := map[string]any{"type": mb.Type}
	if mb.Type == "web_app" {
		out["text"], out["web_app"] = mb.Text, map[string]string{"url": mb.WebAppURL}
	}
	return out, nil
}

// menuChatLocked is the chat a menu button call is about: 0 for the
// default, else a private chat that exists.
func (s *Server) menuChatLocked(raw string) (int64, *apiError) {
	if raw == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, badRequest("chat not found")
	}
	c, ok := s.chats[id]
	if !ok {
		return 0, badRequest("chat not found")
	}
	if c.json.Type != "private" {
		return 0, badRequest("method is available only for private chats")
	}
	return id, nil
}

func (s *Server) menuButtonLocked(chatID int64) MenuButton {
	if mb, ok := s.menuButtons[chatID]; ok {
		return mb
	}
	if mb, ok := s.menuButtons[0]; ok {
		return mb
	}
	return MenuButton{Type: "default"}
}

// MenuButtonOf returns the menu button a private chat shows: its own, or
// the bot's default (chatID 0 asks for the default).
func (s *Server) MenuButtonOf(chatID int64) MenuButton {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.menuButtonLocked(chatID)
}
