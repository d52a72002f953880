package letter

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/flow"
	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/token"
)

// Numbers keeps the letters' numbers; *store.Store is one.
type Numbers interface {
	IssueLetter(ctx context.Context, l store.Letter, nomor func(int) string) (store.Letter, error)
	PreviousLetter(ctx context.Context, uid string, sequence int) (store.Letter, bool, error)
}

// Issuer issues the letter that goes with a meeting mail.
type Issuer struct {
	Office  *sop.Office
	Numbers Numbers
	Loc     *time.Location // the office zone
}

// Letter is an issued letter, ready to attach.
type Letter struct {
	Nomor    string
	Kind     string
	Filename string // "Undangan_005-12-DINSOSPMD-2024.pdf"
	PDF      []byte
	Doc      Doc
}

// Meeting says what a mail knows of the meeting its letter announces.
type Meeting struct {
	UID       string
	Sequence  int
	Cancelled bool
	Title     string
	Start     time.Time
	End       time.Time
	Place     string
	Invitees  []flow.Recipient
	// Attachments is how many files go with the letter (the draft).
	Attachments int
	RunTitle    string
	SOPName     string
	// PrevStart and PrevPlace are the schedule before a reschedule, as the
	// flow kept it; without them the last letter's schedule is used.
	PrevStart time.Time
	PrevPlace string
	Agenda    string // what the meeting discusses; "" for the title alone
}

// MeetingOf reads the meeting from a mail: its iTIP part when it has one
// (the invitation), else its MailData.Meeting (a request about the
// invitation, such as the step-13 approval of the Kasubag Perencanaan).
// ok is false for a mail about no meeting.
func MeetingOf(m *flow.Mail, office *sop.Office) (Meeting, bool) {
	d := m.Data
	mt := Meeting{RunTitle: d.RunTitle, SOPName: d.SOPName, Agenda: Agenda(office, d)}
	switch {
	case m.Invite != nil:
		inv := m.Invite
		mt.UID, mt.Sequence, mt.Title, mt.Start, mt.End, mt.Place = inv.UID, inv.Sequence, inv.Summary, inv.Start, inv.End, inv.Place
		mt.Cancelled = strings.EqualFold(inv.Method, "CANCEL")
		mt.Invitees = inv.Attendees
	case d.Meeting != nil:
		mi := d.Meeting
		mt.UID, mt.Sequence, mt.Title, mt.Start, mt.End, mt.Place, mt.Cancelled = mi.UID, mi.Sequence, mi.Title, mi.Start, mi.End, mi.Place, mi.Cancelled
		if mi.Problem != "" && !mi.Proposed.IsZero() {
			// The planned time cannot be used; the invitation goes out at the
			// slot offered instead, so the letter shows that one.
			mt.Start, mt.End = mi.Proposed, mi.Proposed.Add(mi.End.Sub(mi.Start))
		}
		for _, a := range mi.Attendees {
			mt.Invitees = append(mt.Invitees, flow.Recipient{Email: a.Email, Name: a.Name})
		}
		if mt.UID == "" && office != nil {
			// The flow names a meeting <run token>@<office domain>.
			if ref, ok := token.FromMessageID(m.MessageID); ok && ref.Token != "" {
				mt.UID = ref.Token + "@" + office.Domain
			}
		}
	default:
		return Meeting{}, false
	}
	if d.Meeting != nil && d.Meeting.Previous != nil {
		mt.PrevStart, mt.PrevPlace = d.Meeting.Previous.Start, d.Meeting.Previous.Place
	}
	if !mt.Cancelled {
		mt.Attachments = len(m.Attachments)
	}
	return mt, mt.UID != "" && !mt.Start.IsZero()
}

// Agenda is what the meeting of d's SOP discusses: the SOP's own words for
// the meeting step's input ("Pembahasan Draft awal LAKIP").
func Agenda(office *sop.Office, d flow.MailData) string {
	if office == nil {
		return ""
	}
	for _, s := range office.SOPs {
		if s.Number != d.SOPNumber {
			continue
		}
		for _, st := range s.Steps {
			if st.Kind == sop.KindMeeting && st.Kelengkapan != "" {
				return "Pembahasan " + st.Kelengkapan + " (" + d.RunTitle + ")"
			}
		}
	}
	return ""
}

// ForMail issues (or finds again) the letter for m's meeting and renders
// it. issued is the letter's date when it is first issued: pass the outbox
// row's creation time. ok is false when m is about no meeting.
func (is *Issuer) ForMail(ctx context.Context, m *flow.Mail, issued time.Time) (*Letter, bool, error) {
	mt, ok := MeetingOf(m, is.Office)
	if !ok {
		return nil, false, nil
	}
	l, err := is.Issue(ctx, mt, issued)
	return l, err == nil, err
}

// Issue numbers and renders the letter for mt.
func (is *Issuer) Issue(ctx context.Context, mt Meeting, issued time.Time) (*Letter, error) {
	if is.Office == nil || is.Numbers == nil {
		return nil, fmt.Errorf("letter for %s: no office or number store", mt.UID)
	}
	loc := is.Loc
	if loc == nil {
		loc = mt.Start.Location()
	}
	kind := KindUndangan
	switch {
	case mt.Cancelled:
		kind = KindPembatalan
	case mt.Sequence > 0:
		kind = KindPerubahan
	}
	style := is.Office.Naskah.Letter
	issued = issued.In(loc)
	rec, err := is.Numbers.IssueLetter(ctx, store.Letter{UID: mt.UID, Sequence: mt.Sequence, Series: fmt.Sprint(issued.Year()),
		Issued: issued, Kind: kind, Start: mt.Start, Place: mt.Place},
		func(n int) string { return style.FormatNomor(n, issued) })
	if err != nil {
		return nil, fmt.Errorf("number letter for %s: %w", mt.UID, err)
	}
	date := rec.Issued.In(loc)
	signer, _ := is.Office.SignerFor(sop.KindLetter, date)
	d := Doc{Kind: kind, Kop: is.Office.Naskah.Kop, Nomor: rec.Nomor, Date: date, Sifat: style.Sifat,
		Hal: hal(kind, mt.Title), MaxYth: style.MaxYth, Start: mt.Start.In(loc), Place: mt.Place,
		Acara: mt.Title, Signer: signer, Tembusan: style.Tembusan}
	if mt.Agenda != "" {
		d.Acara = mt.Agenda // Hal already names the meeting
	}
	d.Yth = is.yth(mt.Invitees, signer, date)
	lampiran := mt.Attachments
	if len(d.Yth) > style.MaxYth && style.MaxYth > 0 {
		lampiran++
	}
	d.Lampiran = "-"
	if lampiran > 0 {
		d.Lampiran = fmt.Sprintf("%d (%s) berkas", lampiran, terbilang(lampiran))
	}
	switch kind {
	case KindUndangan:
		d.Opening = fmt.Sprintf("Dalam rangka pelaksanaan %s untuk %s, dengan ini kami mengundang Bapak/Ibu untuk hadir pada:", mt.SOPName, mt.RunTitle)
	case KindPerubahan:
		if prev, ok, err := is.Numbers.PreviousLetter(ctx, mt.UID, mt.Sequence); err != nil {
			return nil, fmt.Errorf("letter %s: %w", rec.Nomor, err)
		} else if ok {
			d.PrevStart, d.PrevPlace = prev.Start.In(loc), prev.Place
			if !mt.PrevStart.IsZero() {
				d.PrevStart, d.PrevPlace = mt.PrevStart.In(loc), mt.PrevPlace
			}
			d.Opening = fmt.Sprintf("Menindaklanjuti surat kami Nomor %s tanggal %s perihal %s, dengan ini kami sampaikan perubahan jadwal %s sebagai berikut:",
				prev.Nomor, dateOnly(prev.Issued.In(loc)), hal(prev.Kind, mt.Title), mt.Title)
		} else {
			if !mt.PrevStart.IsZero() {
				d.PrevStart, d.PrevPlace = mt.PrevStart.In(loc), mt.PrevPlace
			}
			d.Opening = fmt.Sprintf("Dengan ini kami sampaikan perubahan jadwal %s sebagai berikut:", mt.Title)
		}
	case KindPembatalan:
		d.Opening = fmt.Sprintf("Dengan ini kami sampaikan bahwa %s yang dijadwalkan pada:", mt.Title)
	}
	pdf, err := PDF(d)
	if err != nil {
		return nil, err
	}
	return &Letter{Nomor: rec.Nomor, Kind: kind, Filename: Filename(kind, rec.Nomor), PDF: pdf, Doc: d}, nil
}

func hal(kind, title string) string {
	switch kind {
	case KindPerubahan:
		return "Perubahan Jadwal " + title
	case KindPembatalan:
		return "Pembatalan " + title
	}
	return "Undangan " + title
}

// Filename is the attachment's name: ASCII, the nomor's slashes as dashes.
func Filename(kind, nomor string) string {
	name := map[string]string{KindUndangan: "Undangan", KindPerubahan: "Perubahan_Jadwal", KindPembatalan: "Pembatalan"}[kind]
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.' || r == '-':
			return r
		}
		return '-'
	}, nomor)
	return name + "_" + safe + ".pdf"
}

// yth lists the invitees by jabatan (the salutation of formal letters names
// the office, not the person), without the signer and those the signer
// signs for (they get the Tembusan), unit heads in the order of the config.
func (is *Issuer) yth(inv []flow.Recipient, s sop.Signer, at time.Time) []string {
	o := is.Office
	var skip map[string]bool
	if s.OnBehalf != "" {
		skip = map[string]bool{}
		for _, r := range o.Roles {
			if r.Name == s.OnBehalf {
				for _, h := range o.Holders(r.ID, at) {
					skip[h.Person.Email] = true
				}
			}
		}
	}
	type row struct {
		rank int
		text string
	}
	var rows []row
	seen := map[string]bool{}
	for _, r := range inv {
		email := strings.ToLower(r.Email)
		if email == s.Email || skip[email] {
			continue
		}
		text, rank := r.Name, len(o.People)
		for i := range o.People {
			if p := &o.People[i]; p.Email == email {
				rank = i
				if p.Jabatan != "" {
					text = p.Jabatan
				}
			}
		}
		if seen[text] {
			continue
		}
		seen[text] = true
		rows = append(rows, row{rank, text})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].rank < rows[j].rank })
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.text
	}
	return out
}

func dateOnly(t time.Time) string {
	_, s, _ := strings.Cut(tanggal(t), ", ")
	return s
}

func terbilang(n int) string {
	w := []string{"nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"}
	if n < len(w) {
		return w[n]
	}
	return fmt.Sprint(n)
}
