package main

import (
	"io"
	"log/slog"
	"time"
)

// loggerIn is c.logger with every time (the record's own and any time
// attribute, such as when held mail goes) in the office's zone: the admin
// reads "08:00+07:00", not UTC.
func (c *common) loggerIn(w io.Writer, loc *time.Location) *slog.Logger {
	opt := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Value.Kind() == slog.KindTime {
			return slog.Time(a.Key, a.Value.Time().In(loc))
		}
		return a
	}}
	if c.json {
		return slog.New(slog.NewJSONHandler(w, opt))
	}
	return slog.New(slog.NewTextHandler(w, opt))
}
