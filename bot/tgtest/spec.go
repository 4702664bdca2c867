package tgtest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

//go:generate go run ./internal/genspec -in ../../../shared/data/telegram-bot-api.json -out spec.json

// specJSON is the Bot API specification trimmed by internal/genspec from
// PaulSonOfLars/telegram-bot-api-spec (commit 160fd99507e1c7c77e92dc90f5993d724735b51c, MIT).
//
//go:embed spec.json
var specJSON []byte

type specField struct {
	Name     string   `json:"name"`
	Types    []string `json:"types"`
	Required bool     `json:"required"`
}

type specEntry struct {
	Name     string
	Fields   []specField `json:"fields"`
	Subtypes []string    `json:"subtypes"`
	byName   map[string]specField
}

// apiSpec answers "is this request what the Bot API accepts?" for every
// method and type of the specification, so that the fake server cannot be
// more lenient than Telegram about names and types.
type apiSpec struct {
	Version string
	methods map[string]*specEntry // by lower-case name: Telegram matches method names case-insensitively
	types   map[string]*specEntry
}

func loadSpec(raw []byte) (*apiSpec, error) {
	var doc struct {
		Version string                `json:"version"`
		Methods map[string]*specEntry `json:"methods"`
		Types   map[string]*specEntry `json:"types"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("tgtest: decode embedded spec: %w", err)
	}
	sp := &apiSpec{Version: doc.Version, methods: map[string]*specEntry{}, types: doc.Types}
	for name, m := range doc.Methods {
		m.Name = name
		m.index()
		sp.methods[strings.ToLower(name)] = m
	}
	for name, t := range doc.Types {
		t.Name = name
		t.index()
	}
	return sp, nil
}

func (e *specEntry) index() {
	e.byName = make(map[string]specField, len(e.Fields))
	for _, f := range e.Fields {
		e.byName[f.Name] = f
	}
}

func (sp *apiSpec) method(name string) (*specEntry, bool) {
	m, ok := sp.methods[strings.ToLower(name)]
	return m, ok
}

// checkRequest validates form parameters and uploaded files against a
// method's fields. Every value arrives as a string: scalars as text, objects
// and arrays as JSON, files as multipart parts (possibly referenced by
// "attach://<name>" from another parameter).
func (sp *apiSpec) checkRequest(m *specEntry, params map[string]string, uploads map[string]*File) error {
	for name := range params {
		if _, ok := m.byName[name]; !ok {
			return fmt.Errorf("unknown parameter %q of method %s", name, m.Name)
		}
	}
	for name := range uploads {
		f, ok := m.byName[name]
		if !ok {
			if !attached(params, name) {
				return fmt.Errorf("unknown file parameter %q of method %s", name, m.Name)
			}
			continue
		}
		if !slices.Contains(f.Types, "InputFile") {
			return fmt.Errorf("parameter %q of method %s can't be a file", name, m.Name)
		}
		if _, dup := params[name]; dup {
			return fmt.Errorf("parameter %q of method %s is given twice", name, m.Name)
		}
	}
	for _, f := range m.Fields {
		v, ok := params[f.Name]
		_, isFile := uploads[f.Name]
		if !ok && !isFile {
			if f.Required {
				return fmt.Errorf("parameter %q is required", f.Name)
			}
			continue
		}
		if isFile {
			continue
		}
		if err := sp.checkFormValue(f, v, uploads); err != nil {
			return err
		}
	}
	return nil
}

func attached(params map[string]string, name string) bool {
	ref := "attach://" + name
	for _, v := range params {
		if strings.Contains(v, ref) {
			return true
		}
	}
	return false
}

func (sp *apiSpec) checkFormValue(f specField, v string, uploads map[string]*File) error {
	var objectTypes []string
	for _, t := range f.Types {
		switch t {
		case "String":
			return nil
		case "Integer":
			if _, err := strconv.ParseInt(v, 10, 64); err == nil {
				return nil
			}
		case "Float":
			if _, err := strconv.ParseFloat(v, 64); err == nil {
				return nil
			}
		case "Boolean":
			if isFormBool(v) {
				return nil
			}
		case "InputFile":
			if name, ok := strings.CutPrefix(v, "attach://"); ok && uploads[name] != nil {
				return nil
			}
		default:
			objectTypes = append(objectTypes, t)
		}
	}
	if len(objectTypes) == 0 {
		return fmt.Errorf("parameter %q must be %s", f.Name, article(strings.Join(f.Types, " or ")))
	}
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	var val any
	if err := dec.Decode(&val); err != nil {
		return fmt.Errorf("parameter %q must be JSON-serialized %s", f.Name, strings.Join(objectTypes, " or "))
	}
	if err := sp.checkOneOf(objectTypes, val, ""); err != nil {
		return fmt.Errorf("parameter %q: %w", f.Name, err)
	}
	return nil
}

func article(noun string) string {
	if strings.ContainsAny(noun[:1], "AEIOU") {
		return "an " + noun
	}
	return "a " + noun
}

func isFormBool(v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "1", "0":
		return true
	}
	return false
}

// checkJSON validates a decoded JSON value against a spec type name such as
// "Integer", "Array of MessageEntity" or "InlineKeyboardMarkup". path names
// the value inside the parameter for error messages.
func (sp *apiSpec) checkJSON(typ string, v any, path string) error {
	if elem, ok := strings.CutPrefix(typ, "Array of "); ok {
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s must be an array", describe(path))
		}
		for i, el := range arr {
			if err := sp.checkJSON(elem, el, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	switch typ {
	case "String":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s must be a String", describe(path))
		}
		return nil
	case "Integer":
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s must be an Integer", describe(path))
		}
		if _, err := n.Int64(); err != nil {
			return fmt.Errorf("%s must be an Integer", describe(path))
		}
		return nil
	case "Float":
		if _, ok := v.(json.Number); !ok {
			return fmt.Errorf("%s must be a Float", describe(path))
		}
		return nil
	case "Boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s must be a Boolean", describe(path))
		}
		return nil
	case "InputFile":
		// Inside JSON a file is referenced as "attach://<name>", a file_id or a URL.
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s must be a file reference", describe(path))
		}
		return nil
	}
	t, ok := sp.types[typ]
	if !ok {
		return fmt.Errorf("%s has type %s unknown to Bot API %s", describe(path), typ, sp.Version)
	}
	if len(t.Subtypes) > 0 {
		return sp.checkOneOf(t.Subtypes, v, path)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s must be an object %s", describe(path), typ)
	}
	for key := range obj {
		if _, ok := t.byName[key]; !ok {
			return fmt.Errorf("unknown field %q of %s", join(path, key), typ)
		}
	}
	for _, f := range t.Fields {
		val, ok := obj[f.Name]
		if !ok || val == nil {
			if f.Required {
				return fmt.Errorf("field %q of %s is required", join(path, f.Name), typ)
			}
			continue
		}
		if err := sp.checkOneOf(f.Types, val, join(path, f.Name)); err != nil {
			return err
		}
	}
	return nil
}

// checkOneOf accepts v when it matches any of types. When none matches it
// reports the error of the candidate that knows most of v's keys, which for
// reply_markup is the keyboard kind the caller evidently meant.
func (sp *apiSpec) checkOneOf(types []string, v any, path string) error {
	if len(types) == 1 {
		return sp.checkJSON(types[0], v, path)
	}
	var best error
	bestScore := -1
	for _, t := range types {
		err := sp.checkJSON(t, v, path)
		if err == nil {
			return nil
		}
		if s := sp.score(t, v); s > bestScore {
			best, bestScore = err, s
		}
	}
	return best
}

func (sp *apiSpec) score(typ string, v any) int {
	obj, ok := v.(map[string]any)
	if !ok {
		return 0
	}
	t, ok := sp.types[typ]
	if !ok {
		return 0
	}
	best := 0
	for _, sub := range t.Subtypes {
		best = max(best, sp.score(sub, v))
	}
	n := 0
	for key := range obj {
		if _, ok := t.byName[key]; ok {
			n++
		}
	}
	return max(best, n)
}

func describe(path string) string {
	if path == "" {
		return "value"
	}
	return fmt.Sprintf("field %q", path)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
