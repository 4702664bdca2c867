package reminders

import (
	"context"
	"errors"
	"fmt"
)

// FileOutbox is an Outbox that keeps the files its items send apart from
// them (File.Ref): a digest's chart and workbook are stored once for all
// their recipients. The Drainer reads a file just before sending it.
type FileOutbox interface {
	OutboxFile(ctx context.Context, ref string) ([]byte, error)
}

// errNoFile marks a message whose stored file is gone: it can never be
// sent.
var errNoFile = errors.New("reminders: the message's file is not stored")

// loadFiles fills in the content of the files m names by reference.
func (d *Drainer) loadFiles(ctx context.Context, m *Message) error {
	for _, f := range []*File{m.Photo, m.Document} {
		if f == nil || f.Ref == "" || len(f.Data) > 0 {
			continue
		}
		fo, ok := d.Outbox.(FileOutbox)
		if !ok {
			return fmt.Errorf("%w: %.12s (the outbox keeps no files)", errNoFile, f.Ref)
		}
		data, err := fo.OutboxFile(ctx, f.Ref)
		if err != nil {
			return fmt.Errorf("reminders: read file %s: %w", f.Name, err)
		}
		f.Data = data
	}
	return nil
}
