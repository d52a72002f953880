package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

// The register of a mail follows its direction (../shared/NASKAH.md): to a
// superior mailflow asks ("Mohon paraf"), to a subordinate it assigns
// ("Penugasan"). The direction is read from the superior chain between the
// mail's signer and its recipient, never from role names.

// Arah values, as templates test them.
const (
	arahAtas  = "atas"  // to a superior of the signer
	arahBawah = "bawah" // to a subordinate or a peer
	arahTim   = "tim"   // to the team, or to the signer's own desk
)

// naskahFuncs are the template functions of the office's register.
func (r *Renderer) naskahFuncs(loc *time.Location) map[string]any {
	return map[string]any{
		// "WIB", "WITA" or "WIT": the office zone's abbreviation.
		"zona":       func(v View) string { return zona(v, loc) },
		"arah":       func(v View) string { return r.arah(v) },
		"ttd":        func(v View) []string { return r.ttd(v) },
		"kop":        func() sop.Kop { return r.office().Naskah.Kop },
		"singkatan":  func() string { return r.shortName() },
		"perbaikan":  perbaikan,
		"tindakan":   tindakan,
		"prefiks":    func(v View) string { return r.prefiks(v) },
		"disposisi":  func(v View) string { return r.disposisi(v, loc) },
		"peringatan": func(v View) string { return r.sopOf(v).Meta.Peringatan },
		"bawaan":     func(v View) string { return r.bawaan(v, loc) },
		"bisaTutup":  func(v View) bool { return r.bisaTutup(v) },
		// contohTanggal: an example meeting date a week after the step's
		// deadline, on a weekday, for "Tanggal: ..." in the instructions.
		"contohTanggal": func(v View) string {
			t := at(v)
			if loc != nil {
				t = t.In(loc)
			}
			t = t.AddDate(0, 0, 7)
			for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
				t = t.AddDate(0, 0, 1)
			}
			return workcal.Tanggal(t)
		},
		"langkahSOP": func(v View) *sop.Step { return r.step(v, 0) },
		"berikutnya": func(v View) *sop.Step { return r.step(v, 1) },
		"judul":      func(v View) string { return judul(v.SOPName, v.RunTitle) },
		"pelaksana": func(who string) string {
			if who == "mailflow" {
				return "dikirim otomatis oleh Sekretariat"
			}
			return who
		},
	}
}

func (r *Renderer) office() *sop.Office {
	if r.opt.Office == nil {
		return &sop.Office{}
	}
	return r.opt.Office
}

func (r *Renderer) shortName() string {
	o := r.office()
	if o.Naskah.ShortName != "" {
		return o.Naskah.ShortName
	}
	return o.Name
}

// at is the moment a mail is about, for who holds a role then (an acting
// official signs as Plh. only within the appointment). Render reads no
// clock: a mail without any time is about no particular day.
func at(v View) time.Time {
	for _, t := range []time.Time{v.ReplyDate, v.Due, v.Started} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// signer of v, and whether it is someone other than the recipient.
func (r *Renderer) signer(v View) (sop.Signer, bool) {
	s, ok := r.office().SignerFor(v.Template, at(v))
	if !ok || len(v.To) == 1 && strings.EqualFold(v.To[0].Email, s.Email) {
		return sop.Signer{}, false
	}
	return s, true
}

// recipientRoles are the roles the single recipient of v holds or acts in.
func (r *Renderer) recipientRoles(v View) []string {
	o := r.office()
	if len(v.To) != 1 {
		return nil
	}
	var roles []string
	if p, ok := o.Person(v.To[0].Email); ok {
		roles = append(roles, p.Roles...)
	}
	if v.Acting != "" {
		for _, ro := range o.Roles {
			if ro.Name == v.Step.Role {
				roles = append(roles, ro.ID)
			}
		}
	}
	return roles
}

func (r *Renderer) arah(v View) string {
	s, ok := r.signer(v)
	roles := r.recipientRoles(v)
	if !ok || len(roles) == 0 {
		return arahTim
	}
	if r.office().DirectionOf(s.Role, roles) == sop.Upward {
		return arahAtas
	}
	return arahBawah
}

// ttd is the signature block: "a.n. Kepala Dinas", the jabatan, the name
// and the NIP; the office itself when the signer would sign to themselves.
func (r *Renderer) ttd(v View) []string {
	s, ok := r.signer(v)
	if !ok {
		return []string{"Sekretariat " + r.office().Name}
	}
	var out []string
	if s.OnBehalf != "" {
		out = append(out, "a.n. "+s.OnBehalf)
	}
	jab := s.Jabatan
	if s.Acting != "" {
		jab = s.Acting + " " + jab
	}
	out = append(out, jab+",", "", s.Name)
	if s.NIP != "" {
		out = append(out, "NIP. "+s.NIP)
	}
	return out
}

// zona is "WIB", "WITA" or "WIT": the zone times are shown in (loc), or
// the zone the mail's own times carry.
func zona(v View, loc *time.Location) string {
	if loc == nil {
		loc = at(v).Location()
	}
	return workcal.ZoneName(time.Date(2024, 1, 1, 12, 0, 0, 0, loc))
}

// perbaikan is the revision round a mail is about: "perbaikan ke-N".
func perbaikan(v View) int {
	if v.Revision > 0 {
		return v.Revision
	}
	return max(v.Round-1, 0)
}

// tindakan names the act a step asks for, from the SOP's own words.
func tindakan(kegiatan string) string {
	k := strings.ToLower(kegiatan)
	switch {
	case strings.Contains(k, "paraf"), strings.Contains(k, "maraf"): // "memarafnya"
		return "paraf"
	case strings.Contains(k, "tanda"), strings.Contains(k, "andatangan"): // "menandatangani"
		return "tandatangan"
	case strings.Contains(k, "disposisi"):
		return "disposisi"
	case strings.Contains(k, "petunjuk"):
		return "petunjuk"
	}
	return ""
}

// prefiks is an assignment's subject prefix.
func (r *Renderer) prefiks(v View) string {
	up := r.arah(v) == arahAtas
	switch act := tindakan(v.Step.Kegiatan); {
	case act == "paraf":
		return "Mohon paraf"
	case act == "tandatangan":
		return "Mohon persetujuan dan tanda tangan"
	case string(v.Step.Kind) == string(sop.KindApproval):
		return "Mohon persetujuan"
	case string(v.Step.Kind) == string(sop.KindCollect):
		return "Permintaan bahan"
	case up && act == "disposisi":
		return "Mohon disposisi"
	case up && act == "petunjuk":
		return "Mohon petunjuk"
	case up:
		return "Mohon arahan"
	}
	return "Penugasan"
}

func (r *Renderer) sopOf(v View) *sop.SOP {
	o := r.office()
	for i := range o.SOPs {
		if o.SOPs[i].Number == v.SOPNumber {
			return &o.SOPs[i]
		}
	}
	return &sop.SOP{}
}

// disposisi is the opening that ties a mail to the disposition that
// started the run: "Menindaklanjuti disposisi Kepala Dinas tanggal 3 Juni
// 2024" ("disposisi Bapak" to the one who gave it).
func (r *Renderer) disposisi(v View, loc *time.Location) string {
	o, s := r.office(), r.sopOf(v)
	who := "pimpinan"
	if len(s.FromRoles) > 0 {
		if ro, ok := o.Role(s.FromRoles[0]); ok {
			who = ro.Name
		}
		for _, rr := range r.recipientRoles(v) {
			if rr == s.FromRoles[0] {
				who = v.Salutation
			}
		}
	}
	out := "Menindaklanjuti disposisi " + who
	if !v.Started.IsZero() {
		t := v.Started
		if loc != nil {
			t = t.In(loc)
		}
		_, d, _ := strings.Cut(workcal.Tanggal(t), ", ")
		out += " tanggal " + d
	}
	return out
}

// bawaan says when the meeting is held if the disposition names no date.
func (r *Renderer) bawaan(v View, loc *time.Location) string {
	m := r.sopOf(v).Meeting
	if m.DefaultAfter.N == 0 {
		return ""
	}
	unit := map[sop.Unit]string{sop.Day: "hari kerja", sop.Week: "minggu kerja", sop.Minute: "menit kerja"}[m.DefaultAfter.Unit]
	s := fmt.Sprintf("%d %s", m.DefaultAfter.N, unit) + " setelah disposisi " + v.Salutation
	s += fmt.Sprintf(", pukul %02d.%02d %s", m.DefaultTime/60, m.DefaultTime%60, zona(v, loc))
	if m.Place != "" {
		s += ", di " + m.Place
	}
	return s
}

// bisaTutup: the recipient may close a collect step early (SELESAI), as
// the flow allows the step role's direct superior.
func (r *Renderer) bisaTutup(v View) bool {
	o := r.office()
	if string(v.Step.Kind) != string(sop.KindCollect) || len(v.To) != 1 {
		return false
	}
	for _, ro := range o.Roles {
		if ro.Name == v.Step.Role && ro.Superior != "" {
			_, ok := o.MayAct(v.To[0].Email, ro.Superior, at(v))
			return ok
		}
	}
	return false
}

// step is the SOP step of v (off 0) or the one after it (off 1); a
// zero Step when there is none.
func (r *Renderer) step(v View, off int) *sop.Step {
	s := r.sopOf(v)
	if _, i, ok := s.Step(v.Step.Number); ok && i+off < len(s.Steps) {
		st := s.Steps[i+off]
		if ro, ok := r.office().Role(st.Role); ok {
			st.Role = ro.Name
		}
		return &st
	}
	return &sop.Step{}
}

// judul names what a run does in short: the SOP name with its spelled-out
// abbreviation folded ("Persiapan Penyusunan Laporan Akuntabilitas dan
// Kinerja Instansi Pemerintah (LAKIP)" and "LAKIP Tahun 2023" give
// "Persiapan Penyusunan LAKIP Tahun 2023").
func judul(name, run string) string {
	open := strings.LastIndex(name, "(")
	if open < 0 || !strings.HasSuffix(strings.TrimSpace(name), ")") {
		return name + " untuk " + run
	}
	abbr := strings.TrimSuffix(strings.TrimSpace(name[open+1:]), ")")
	words := strings.Fields(name[:open])
	for i := len(words) - 1; i >= 0; i-- {
		initials := ""
		for _, w := range words[i:] {
			if w != strings.ToLower(w) {
				initials += w[:1]
			}
		}
		if initials == abbr {
			head := strings.Join(append(words[:i:i], abbr), " ")
			if rest, ok := strings.CutPrefix(run, abbr); ok {
				return head + rest
			}
			return head + " (" + run + ")"
		}
	}
	return name + " untuk " + run
}
