package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLogTimesInOfficeZone(t *testing.T) {
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	for _, js := range []bool{false, true} {
		var buf bytes.Buffer
		c := common{json: js}
		c.loggerIn(&buf, wib).Info("quiet hours", "until", time.Date(2024, 5, 8, 0, 30, 0, 0, time.UTC))
		if out := buf.String(); !strings.Contains(out, "2024-05-08T07:30:00") || strings.Contains(out, "Z ") || strings.Count(out, "+07:00") != 2 {
			t.Errorf("json=%v: %s", js, out)
		}
	}
}
