package daemon_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/engine"
	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

func newEngine(t *testing.T) *engine.Engine {
	cfg, err := config.Load("../../config.toml", config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "d.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return engine.New(st, flow.Env{Office: &cfg.Office, Cal: &cfg.Calendar}, nil)
}

type compFunc func(ctx context.Context) error

func (f compFunc) Run(ctx context.Context) error { return f(ctx) }

// The tick loop handles a deadline that is due, and Run returns cleanly
// when its context ends.
func TestTicksDueRunsAndStops(t *testing.T) {
	eng := newEngine(t)
	start := time.Date(2024, 6, 3, 8, 0, 0, 0, eng.Env.Cal.Loc)
	now := start
	eng.Now = func() time.Time { return now }
	res, err := eng.Start(context.Background(), "lakip", "LAKIP Tahun 2023", "admin", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	now = start.Add(30 * time.Minute) // step 2 was due at 08.10
	d := daemon.New(eng, slog.New(slog.DiscardHandler))
	d.MaxSleep = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	deadline := time.After(10 * time.Second)
	for {
		var r *flow.Run
		eng.Store.View(ctx, func(tx *store.Tx) error { r, _ = tx.LoadRun(res.Run.ID); return nil })
		if r != nil && r.Steps[1].Reminders == 1 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("the daemon never sent the reminder of the late step")
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
}

// A component that fails stops the daemon with its error.
func TestComponentErrorStops(t *testing.T) {
	eng := newEngine(t)
	d := daemon.New(eng, slog.New(slog.DiscardHandler))
	boom := errors.New("imap: bad config")
	d.Components["mailin"] = compFunc(func(ctx context.Context) error { return boom })
	stopped := make(chan struct{})
	d.Components["mailout"] = compFunc(func(ctx context.Context) error { <-ctx.Done(); close(stopped); return nil })
	if err := d.Run(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want the component's error", err)
	}
	select {
	case <-stopped:
	default:
		t.Fatal("the other component was not stopped")
	}
}
