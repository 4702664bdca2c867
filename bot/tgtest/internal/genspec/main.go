// Command genspec trims the machine-readable Bot API specification down to
// what tgtest's request validator needs (method and type names, field names,
// field types, whether a field is required, and the subtypes of union types),
// so that the server can embed it without reading files at run time.
//
// The source is PaulSonOfLars/telegram-bot-api-spec, api.json at commit
// 160fd99507e1c7c77e92dc90f5993d724735b51c (MIT licence).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
)

const attribution = "Trimmed from PaulSonOfLars/telegram-bot-api-spec api.json at commit 160fd99507e1c7c77e92dc90f5993d724735b51c (MIT licence) by bot/tgtest/internal/genspec; do not edit."

type sourceField struct {
	Name     string   `json:"name"`
	Types    []string `json:"types"`
	Required bool     `json:"required"`
}

type sourceEntry struct {
	Fields   []sourceField `json:"fields"`
	Subtypes []string      `json:"subtypes,omitempty"`
}

type sourceSpec struct {
	Version string                 `json:"version"`
	Methods map[string]sourceEntry `json:"methods"`
	Types   map[string]sourceEntry `json:"types"`
}

func main() {
	in := flag.String("in", "", "path of the full api.json")
	out := flag.String("out", "spec.json", "path of the trimmed spec to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genspec:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	var src sourceSpec
	if err := json.Unmarshal(raw, &src); err != nil {
		return fmt.Errorf("decode %s: %w", in, err)
	}
	if len(src.Methods) == 0 || len(src.Types) == 0 {
		return fmt.Errorf("decode %s: no methods or types", in)
	}

	// One entry per line keeps diffs readable when the spec is regenerated.
	var buf bytes.Buffer
	buf.WriteString("{\n")
	if err := writeLine(&buf, "source", attribution, ","); err != nil {
		return err
	}
	if err := writeLine(&buf, "version", src.Version, ","); err != nil {
		return err
	}
	if err := writeSection(&buf, "methods", src.Methods, ","); err != nil {
		return err
	}
	if err := writeSection(&buf, "types", src.Types, ""); err != nil {
		return err
	}
	buf.WriteString("}\n")

	var check map[string]any
	if err := json.Unmarshal(buf.Bytes(), &check); err != nil {
		return fmt.Errorf("generated spec is not valid JSON: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}

func writeLine(buf *bytes.Buffer, key string, value any, sep string) error {
	k, err := json.Marshal(key)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	v, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	fmt.Fprintf(buf, "%s: %s%s\n", k, v, sep)
	return nil
}

func writeSection(buf *bytes.Buffer, key string, entries map[string]sourceEntry, sep string) error {
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintf(buf, "%q: {\n", key)
	for i, name := range names {
		e := entries[name]
		if e.Fields == nil {
			e.Fields = []sourceField{}
		}
		entrySep := ","
		if i == len(names)-1 {
			entrySep = ""
		}
		if err := writeLine(buf, name, e, entrySep); err != nil {
			return err
		}
	}
	fmt.Fprintf(buf, "}%s\n", sep)
	return nil
}
