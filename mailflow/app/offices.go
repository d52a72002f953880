package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// Deployment is many offices in one process (mailflow run -config-dir):
// one App per office, each with its own store (its SQLite file, or its
// PostgreSQL database or schema), mailbox, outbox and reports. Nothing is
// shared between offices but the process.
type Deployment struct {
	Offices []*Office
}

// Office is one office of a deployment.
type Office struct {
	ID string // the config file's name without .toml
	*App
}

// OfficeInfo is what the console lists.
type OfficeInfo struct {
	ID, Name, ShortName, Mailbox string
	Store                        string // the SQLite path or the URL without its password
}

// BuildOffices builds every office; opt applies to each (its DataDir is
// ignored: each office has its own data_dir).
func BuildOffices(offs []config.Office, log *slog.Logger, opt Options) (*Deployment, error) {
	d := &Deployment{}
	opt.DataDir = ""
	for _, o := range offs {
		a, err := Build(o.Config, log.With("office", o.ID), opt)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("office %s: %w", o.ID, err)
		}
		d.Offices = append(d.Offices, &Office{ID: o.ID, App: a})
	}
	return d, nil
}

// Office returns the office with this ID.
func (d *Deployment) Office(id string) (*Office, bool) {
	for _, o := range d.Offices {
		if o.ID == id {
			return o, true
		}
	}
	return nil, false
}

// List describes the offices, in ID order.
func (d *Deployment) List() []OfficeInfo {
	var out []OfficeInfo
	for _, o := range d.Offices {
		out = append(out, OfficeInfo{ID: o.ID, Name: o.Cfg.Office.Name, ShortName: o.Cfg.ShortName, Mailbox: o.Cfg.Office.Mailbox, Store: o.Store.Path})
	}
	return out
}

// Leases lists, per office, who holds its mailbox (PostgreSQL offices;
// a SQLite office has no lease: its one process watches).
func (d *Deployment) Leases(ctx context.Context) (map[string][]store.LeaseInfo, error) {
	out := map[string][]store.LeaseInfo{}
	for _, o := range d.Offices {
		if !o.Store.Postgres() {
			continue
		}
		ls, err := o.Store.Leases(ctx)
		if err != nil {
			return nil, fmt.Errorf("office %s: %w", o.ID, err)
		}
		out[o.ID] = ls
	}
	return out, nil
}

// Run runs every office until ctx ends; an office that fails stops them
// all (a half-running deployment would look healthy while an office is
// not served), and its error is returned.
func (d *Deployment) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(d.Offices))
	for i, o := range d.Offices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := o.Run(ctx)
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				errs[i] = fmt.Errorf("office %s: %w", o.ID, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Close closes every office.
func (d *Deployment) Close() {
	for _, o := range d.Offices {
		o.Close()
	}
}
