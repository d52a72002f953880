package report_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/internal/evidencetest"
	"github.com/bangkatengah/mailflow/mailflow/report"
)

func TestDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	r := evidencetest.Demo(t)
	var buf bytes.Buffer
	if err := report.Form(context.Background(), &buf, report.Source{Store: r.Store, Env: r.Env(), Place: "Koba"}, r.RunID); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(os.Getenv("DUMP"), buf.Bytes(), 0o644)
}
