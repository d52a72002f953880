package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/store"
)

// at sets the simulated clock to a WIB time "2006-01-02 15:04" and wakes
// the daemon's workers so that deadlines due by then are handled.
func (d *demo) at(v string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", v, d.loc)
	if err != nil {
		panic(err) // the script's own constants
	}
	d.clk.Set(t)
	d.app.Daemon.Kick()
	d.app.Outbox.Kick()
	return t
}

// who finds the official whose address starts with local (the CI moves
// addresses to another domain and adds a suffix).
func (d *demo) who(local string) *official {
	for addr, o := range d.offs {
		if strings.HasPrefix(addr, local+"@") || strings.HasPrefix(addr, local+"-") {
			return o
		}
	}
	return nil
}

// assignment waits for the mail that asks o to do step n.
func (d *demo) assignment(ctx context.Context, o *official, step int) (*received, error) {
	return o.waitFor(ctx, fmt.Sprintf("the assignment of step %d", step), func(m *received) bool {
		return m.Step == step && strings.HasPrefix(m.Template, "assign_")
	})
}

func (d *demo) kind(ctx context.Context, o *official, step int, kind string) (*received, error) {
	return o.waitFor(ctx, fmt.Sprintf("a %s mail for step %d", kind, step), func(m *received) bool {
		return m.Step == step && m.Template == kind
	})
}

// answer has o reply to m and starts a hand-off measurement.
func (d *demo) answer(ctx context.Context, o *official, m *received, body string, files ...file) error {
	d.told(m.MessageID)
	if d.opt.Client != nil && m.Step == 3 && len(files) == 0 {
		d.say("%s %s (%s, an outside mail tool): %q", d.stamp(), o.name, d.short(o.addr), firstLine(body))
		d.mu.Lock()
		d.pending = time.Now()
		d.mu.Unlock()
		return d.opt.Client(ClientReply{SMTPAddr: o.smtpAddr, From: o.addr, Password: o.pw, To: o.office,
			Subject: "Re: " + m.Subject, InReplyTo: m.MessageID, Body: body})
	}
	d.say("%s %s (%s, %s): %q%s", d.stamp(), o.name, d.short(o.addr), o.style, firstLine(body), names(files))
	accepted, err := o.reply(ctx, m, body, files, d.clk.Now())
	d.mu.Lock()
	d.pending = accepted
	d.mu.Unlock()
	return err
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	if strings.Contains(s, "\n") {
		l += " …"
	}
	return l
}

func names(fs []file) string {
	if len(fs) == 0 {
		return ""
	}
	var n []string
	for _, f := range fs {
		n = append(n, f.Name)
	}
	return " + " + strings.Join(n, ", ")
}

func (d *demo) run(ctx context.Context) (*flow.Run, error) {
	var r *flow.Run
	err := d.app.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		r, err = tx.LoadRun(d.runID)
		return err
	})
	return r, err
}

// waitRun polls the store until cond holds.
func (d *demo) waitRun(ctx context.Context, what string, cond func(*flow.Run) bool) error {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if d.runID == "" {
			var runs []store.RunInfo
			d.app.Store.View(ctx, func(tx *store.Tx) error { runs, _ = tx.Runs(""); return nil })
			if len(runs) > 0 {
				d.runID = runs[0].ID
			}
		}
		if d.runID != "" {
			if r, err := d.run(ctx); err == nil && cond(r) {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("timed out waiting until %s", what)
}

// script is the story: the whole SOP from the disposition to the Rapat Tim.
func (d *demo) script(ctx context.Context) error {
	s := d.cfg.Office.SOPs[0]
	d.say("mailflow demo: %s %s", s.Number, s.Name)
	d.say("%s. Simulated clock: WIB, working days Mon–Fri 07.30–16.00; 9 and 10 May 2024 are holidays.", d.cfg.Office.Name)
	d.say("Officials read their mailboxes over IMAP and answer over SMTP; mailflow watches %s.\n", d.cfg.Office.Mailbox)
	kepala, sekr, renc := d.who("kepala"), d.who("sekretaris"), d.who("perencanaan")
	if kepala == nil || sekr == nil || renc == nil {
		return fmt.Errorf("the demo needs kepala@, sekretaris@ and perencanaan@ at the office's domain in %s", d.opt.ConfigPath)
	}
	sekr.style, renc.style = "outlook", "gmail"

	// Step 1: the Kepala Dinas's disposition arrives in the office mailbox.
	d.at("2024-05-06 08:00")
	d.say("== Langkah 1  %s", s.Steps[0].Kegiatan)
	if err := d.disposition(kepala); err != nil {
		return err
	}
	steps := []struct {
		o    *official
		step int
		at   string
		body string
	}{
		{sekr, 2, "2024-05-06 08:06", "SELESAI\nSudah saya tugaskan Kasubag Perencanaan untuk mengumpulkan bahan."},
		{renc, 3, "2024-05-06 08:14", "Siap, SELESAI. Permintaan bahan mohon dikirim ke seluruh unit."},
	}
	for _, st := range steps {
		m, err := d.assignment(ctx, st.o, st.step)
		if err != nil {
			return err
		}
		d.at(st.at)
		d.say("\n== Langkah %d  %s", st.step, d.kegiatan(st.step))
		if err := d.answer(ctx, st.o, m, st.body); err != nil {
			return err
		}
	}
	if err := d.collect(ctx); err != nil {
		return err
	}
	return d.draftToMeeting(ctx)
}

func (d *demo) kegiatan(n int) string {
	st, _, _ := d.cfg.Office.SOPs[0].Step(n)
	if st == nil {
		return ""
	}
	return st.Kegiatan
}

// disposition is the mail that starts the run, sent from the Kepala's own
// client to the office mailbox.
func (d *demo) disposition(k *official) error {
	body := "Yth. Sekretaris Dinas,\n\nMohon segera diagendakan penyusunan LAKIP Tahun 2023 sesuai SOP.017.SEKRE.\n" +
		"Disposisi: untuk ditindaklanjuti.\n\nKepala Dinas"
	m := &received{MessageID: "", Subject: "Disposisi: Penyusunan LAKIP Tahun 2023"}
	d.say("%s %s (%s): %q + disposisi_lakip_2023.pdf", d.stamp(), k.name, d.short(k.addr), m.Subject)
	// He wrote it at 07.52 on his phone; it reaches the office mailbox at
	// 08.00: step 1 is measured from its Date to its arrival.
	written := d.clk.Now().Add(-8 * time.Minute)
	accepted, err := k.compose(m.Subject, body, []file{pdf("disposisi_lakip_2023.pdf", "Disposisi Kepala Dinas: Penyusunan LAKIP Tahun 2023")}, written)
	d.mu.Lock()
	d.pending = accepted
	d.mu.Unlock()
	return err
}
