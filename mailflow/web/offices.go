package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/metrics"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// NewDeployment builds the one console of a deployment (mailflow run
// -config-dir): the offices list at /, each office's pages under
// /kantor/{office}/, each account seeing only the offices con grants it.
func NewDeployment(d *app.Deployment, con *config.Console, opt Options) (*Server, error) {
	if len(d.Offices) == 0 {
		return nil, errors.New("console: a deployment without offices")
	}
	s, err := newServer(d.Offices[0].App, con.Web, opt)
	if err != nil {
		return nil, err
	}
	s.offices = map[string]*office{}
	s.con.Store(con)
	for _, o := range d.Offices {
		of := &office{id: o.ID}
		of.cur.Store(o.App)
		s.offices[o.ID] = of
		s.ids = append(s.ids, o.ID)
	}
	sort.Strings(s.ids)
	return s, nil
}

// UseOffice makes a deployment's console serve an office's reloaded
// daemon.
func (s *Server) UseOffice(id string, a *app.App) {
	if o := s.offices[id]; o != nil {
		o.cur.Store(a)
	}
}

// UseConsole applies a reloaded _console.toml: accounts and grants at
// once (a session whose account is gone or lost the office finds it
// gone); a changed listen address or TLS files at the next start.
func (s *Server) UseConsole(con *config.Console) {
	if s.single != nil {
		return
	}
	s.con.Store(con)
	w := con.Web
	if w.Listen != s.web.Listen || w.TLSCert != s.web.TLSCert || w.TLSKey != s.web.TLSKey {
		s.log.Warn("[web] listen/tls changes in "+config.ConsoleFile+" take effect at the next start", "listening", s.web.Listen)
	}
}

// storeLeases: who holds the office's mailbox; a SQLite office has no
// lease (its one process watches).
func storeLeases(ctx context.Context, a *app.App) ([]store.LeaseInfo, error) {
	if !a.Store.Postgres() {
		return nil, nil
	}
	ls, err := a.Store.Leases(ctx)
	if ls == nil && err == nil {
		ls = []store.LeaseInfo{} // none held yet: not "no leases here"
	}
	return ls, err
}

// officeRow is one line of the offices list.
type officeRow struct {
	ID, Name, ShortName, Mailbox, URL string
	Open, Overdue                     int
	Lease                             string // "" on SQLite
	Err                               string
}

// officesPage is "Daftar Kantor": the offices the account is granted,
// each with its open runs and overdue steps.
func (s *req) officesPage(w http.ResponseWriter, r *http.Request, se *session) {
	now := s.now()
	var rows []officeRow
	for _, id := range s.ids {
		if !s.granted(se.Account, id) {
			continue
		}
		o := s.offices[id]
		a := o.cur.Load()
		c := a.Cfg
		row := officeRow{ID: id, Name: c.Office.Name, ShortName: c.ShortName, Mailbox: c.Office.Mailbox, URL: OfficePrefix + url.PathEscape(id) + "/"}
		err := a.Store.View(r.Context(), func(tx *store.Tx) error {
			g, err := metrics.ReadGauges(tx, now, &o.due)
			row.Open, row.Overdue = g.Runs["active"], g.Overdue
			return err
		})
		if err != nil {
			s.log.Error("console: office list", "office", id, "err", err)
			row.Err = "tidak terbaca"
		}
		row.Lease = s.leaseText(r.Context(), a)
		rows = append(rows, row)
	}
	s.render(w, http.StatusOK, "offices", page{Title: "Daftar Kantor", Nav: "offices", Account: se.Account, CSRF: se.CSRF, Data: rows})
}

// leaseText says who watches the office's mailbox, in the console's
// words; "" when it has no lease (SQLite: this process watches).
func (s *Server) leaseText(ctx context.Context, a *app.App) string {
	ls, err := s.leases(ctx, a)
	switch {
	case err != nil:
		s.log.Error("console: leases", "err", err)
		return "tidak terbaca"
	case ls == nil:
		return ""
	}
	var out []string
	for _, l := range ls {
		if l.Live {
			out = append(out, l.Holder)
		}
	}
	if len(out) == 0 {
		return "tidak ada (menunggu pengambilalihan)"
	}
	return strings.Join(out, ", ")
}

// metrics serves the office's registry, or in a deployment every
// office's, each series labelled with its office (the Go and process
// series once: they are the one process's).
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	var g prometheus.Gatherer
	if s.single != nil {
		// The registry of the daemon running now (a reload builds a new
		// one: Prometheus reads its counters' reset as such).
		g = s.single.cur.Load().Metrics.Registry
	} else {
		gs := prometheus.Gatherers{}
		for i, id := range s.ids {
			gs = append(gs, officeGatherer{id: id, g: s.offices[id].cur.Load().Metrics.Registry, process: i == 0})
		}
		g = gs
	}
	promhttp.HandlerFor(g, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

type officeGatherer struct {
	id      string
	g       prometheus.Gatherer
	process bool // keep go_* and process_* (from one office only)
}

func (o officeGatherer) Gather() ([]*dto.MetricFamily, error) {
	mfs, err := o.g.Gather()
	out := mfs[:0]
	for _, mf := range mfs {
		if n := mf.GetName(); strings.HasPrefix(n, "go_") || strings.HasPrefix(n, "process_") {
			if o.process {
				out = append(out, mf)
			}
			continue
		}
		for _, m := range mf.Metric {
			name, val := "office", o.id
			m.Label = append(m.Label, &dto.LabelPair{Name: &name, Value: &val})
		}
		out = append(out, mf)
	}
	return out, err
}

// readyz: the store takes a write and the IMAP session was up recently;
// in a deployment, for every office, with who holds which mailbox.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	now := s.now()
	if s.single != nil {
		if err := (&req{Server: s, off: s.single}).ready(r.Context(), now); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready:", err)
			return
		}
		fmt.Fprintln(w, "ready")
		return
	}
	var b strings.Builder
	bad := 0
	for _, id := range s.ids {
		q := &req{Server: s, off: s.offices[id]}
		held, lerr := s.leases(r.Context(), q.app())
		if lerr != nil {
			fmt.Fprintf(&b, "office %s: leases: %v\n", id, lerr)
		}
		if err := q.ready(r.Context(), now); err != nil {
			bad++
			fmt.Fprintf(&b, "office %s: not ready: %v\n", id, err)
		} else {
			fmt.Fprintf(&b, "office %s: ready\n", id)
		}
		for _, l := range held {
			state := "lapsed"
			if l.Live {
				state = "live"
			}
			// The lease's name holds the mailbox's address: /readyz is
			// open, so it says which office, not which address.
			fmt.Fprintf(&b, "office %s: mailbox held by %s (generation %d, %s)\n", id, l.Holder, l.Gen, state)
		}
	}
	fmt.Fprintf(&b, "instance %s\n", daemon.Instance())
	if bad > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "not ready: %d of %d offices\n%s", bad, len(s.ids), b.String())
		return
	}
	fmt.Fprintf(w, "ready: %d offices\n%s", len(s.ids), b.String())
}

// standby tells whether another live instance holds this office's
// mailbox: this one then need not watch it to be ready.
func (s *req) standby(ctx context.Context) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ls, err := s.leases(ctx, s.app())
	if err != nil {
		return "", false
	}
	for _, l := range ls {
		if l.Live && l.Holder != daemon.Instance() {
			return l.Holder, true // a SQLite office has no leases (storeLeases)
		}
	}
	return "", false
}
