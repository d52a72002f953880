package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/web"
)

// deployment runs the offices of a config directory, each under its own
// supervisor (the one "mailflow run -config" uses), so that SIGHUP reloads
// them as it reloads one office: the whole directory is checked first (a
// bad edit, or a conflict between offices, is logged and everything keeps
// running as it was), then only the offices whose file changed are
// rebuilt and swapped in; the others go on untouched. _console.toml's
// accounts and grants apply at once. An office added or removed, and a
// changed listen address, take effect at the next start.
type deployment struct {
	dir  string
	log  *slog.Logger
	d    *app.Deployment
	con  *web.Server // nil: no console
	sups []*supervisor
	hups []chan struct{}
	mu   sync.Mutex
	src  [][]byte // each office file as last applied; guarded by mu
	// reloaded is told of every reload (tests): how many offices were
	// told to reload, or -1 when the directory was refused; and
	// officeReloaded of each office's outcome.
	reloaded       func(n int)
	officeReloaded func(id string, applied bool)
}

// now is the test clock (nil: the real one); a reload keeps it.
func newDeployment(dir string, d *app.Deployment, con *web.Server, log *slog.Logger, now func() time.Time) *deployment {
	dp := &deployment{dir: dir, log: log, d: d, con: con}
	for _, o := range d.Offices {
		id := o.ID
		olog := log.With("office", id)
		s := &supervisor{path: o.Cfg.Path, log: olog, cur: o.App, build: func(cfg *config.Config, opt app.Options) (*app.App, error) {
			opt.Now = now
			return app.Build(cfg, olog, opt)
		}}
		if con != nil {
			s.swapped = func(a *app.App) { con.UseOffice(id, a) }
		}
		i := len(dp.sups)
		s.reloaded = func(applied bool) {
			if applied { // a failed build is tried again at the next SIGHUP
				src, _ := os.ReadFile(s.path)
				dp.mu.Lock()
				dp.src[i] = src
				dp.mu.Unlock()
			}
			if dp.officeReloaded != nil {
				dp.officeReloaded(id, applied)
			}
		}
		src, _ := os.ReadFile(o.Cfg.Path)
		dp.sups = append(dp.sups, s)
		dp.hups = append(dp.hups, make(chan struct{}, 1))
		dp.src = append(dp.src, src)
	}
	return dp
}

// run runs every office until ctx ends or one fails (which stops them
// all, as app.Deployment.Run does), reloading on hup.
func (dp *deployment) run(ctx context.Context, hup <-chan struct{}) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(dp.sups))
	for i, s := range dp.sups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.run(ctx, dp.hups[i])
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				errs[i] = fmt.Errorf("office %s: %w", dp.d.Offices[i].ID, err)
				cancel()
			}
		}()
	}
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			for i, s := range dp.sups {
				dp.d.Offices[i].App = s.cur // closed by the Deployment's Close
			}
			return errors.Join(errs...)
		case <-hup:
			dp.reload()
		}
	}
}

// reload checks the directory and tells the changed offices to reload.
func (dp *deployment) reload() {
	dp.log.Info("SIGHUP: reloading the config directory", "dir", dp.dir)
	offs, con, err := config.LoadDeployment(dp.dir, config.Options{})
	if err != nil {
		var de *config.DirError
		if errors.As(err, &de) {
			for name, ferr := range de.Files {
				dp.log.Error("config reload refused: "+ferr.Error(), "file", name)
			}
			for _, c := range de.Conflicts {
				dp.log.Error("config reload refused: " + c)
			}
		}
		dp.log.Error("config reload refused; every office keeps its running config", "dir", dp.dir, "err", err,
			"hint", "fix the files (mailflow check -config-dir "+dp.dir+") and send SIGHUP again")
		dp.done(-1)
		return
	}
	var now []string
	for _, o := range offs {
		now = append(now, o.ID)
	}
	n := 0
	for i, o := range dp.d.Offices {
		if !slices.Contains(now, o.ID) {
			dp.log.Warn("office file removed: the office keeps running until the next restart", "office", o.ID)
			continue
		}
		src, err := os.ReadFile(dp.sups[i].path)
		dp.mu.Lock()
		same := bytes.Equal(src, dp.src[i])
		dp.mu.Unlock()
		if err != nil || same {
			continue
		}
		n++
		select {
		case dp.hups[i] <- struct{}{}:
		default: // a reload of this office is already pending
		}
	}
	for _, id := range now {
		if _, ok := dp.d.Office(id); !ok {
			dp.log.Warn("new office file: the office starts at the next restart", "office", id, "file", filepath.Join(dp.dir, id+".toml"))
		}
	}
	if dp.con != nil {
		dp.con.UseConsole(con)
	}
	dp.log.Info("config directory checked; reloading the changed offices", "changed", n, "offices", len(dp.d.Offices))
	dp.done(n)
}

func (dp *deployment) done(n int) {
	if dp.reloaded != nil {
		dp.reloaded(n)
	}
}
