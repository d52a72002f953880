package config

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

var idRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func (v *validator) roles(f map[string]fileRole) []sop.Role {
	ids := make([]string, 0, len(f))
	for id := range f {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []sop.Role
	for _, id := range ids {
		r := f[id]
		key := "roles." + id
		if !idRe.MatchString(id) {
			v.errf(key, "", "bad role id", "use lower-case letters, digits and _, e.g. kasubag_perencanaan")
		}
		if r.Name == "" {
			v.errf(key+".name", "", "missing", "the role's name as officials read it, e.g. \"Sekretaris Dinas\"")
		}
		if r.Superior != "" {
			if _, ok := f[r.Superior]; !ok {
				v.errf(key+".superior", q(r.Superior), "no such role", "escalations go to the superior; name one of the [roles.*] tables")
			}
		}
		out = append(out, sop.Role{ID: id, Name: r.Name, Superior: r.Superior})
	}
	// A superior chain must end.
	for _, r := range out {
		seen := map[string]bool{}
		for cur := r.ID; cur != ""; cur = f[cur].Superior {
			if seen[cur] {
				v.errf("roles."+r.ID+".superior", q(r.Superior), "the superior chain loops", "the chain must end at the top role (usually kepala_dinas) with no superior")
				break
			}
			seen[cur] = true
		}
	}
	if len(out) == 0 {
		v.errf("roles", "", "no roles defined", "add [roles.kepala_dinas], [roles.sekretaris] ... as in the sample config.toml")
	}
	return out
}

func hasRole(o *sop.Office, id string) bool { _, ok := o.Role(id); return ok }

func (v *validator) people(f []filePerson, o *sop.Office) []sop.Person {
	seen := map[string]int{}
	var out []sop.Person
	for i, p := range f {
		key := fmt.Sprintf("people[%d]", i)
		email := v.address(key+".email", p.Email, true)
		if email != "" {
			if j, dup := seen[email]; dup {
				v.errf(key+".email", q(p.Email), fmt.Sprintf("duplicate email, also used by people[%d] (line %d)", j, v.li.line(fmt.Sprintf("people[%d].email", j))), "each person needs their own address: replies are matched to people by it")
			} else {
				seen[email] = i
			}
		}
		if p.Name == "" {
			v.errf(key+".name", "", "missing", "the official's name as it appears in letters")
		}
		if p.NIP != "" && !regexp.MustCompile(`^\d{18}$`).MatchString(strings.ReplaceAll(p.NIP, " ", "")) {
			v.warnf(key+".nip", q(p.NIP), "a NIP has 18 digits", "check the number; it is printed in mail and the audit trail")
		}
		for j, r := range p.Roles {
			if !hasRole(o, r) {
				v.errf(fmt.Sprintf("%s.roles[%d]", key, j), q(r), "no such role", "name one of the [roles.*] tables")
			}
		}
		sal := p.Salutation
		switch sal {
		case "", "Bapak", "Ibu":
		default:
			v.errf(key+".salutation", q(sal), "unknown salutation", "use \"Bapak\" or \"Ibu\" (or leave it out for \"Bapak/Ibu\")")
		}
		if sal == "" {
			sal = "Bapak/Ibu"
		}
		out = append(out, sop.Person{Email: email, Name: p.Name, NIP: strings.ReplaceAll(p.NIP, " ", ""), Jabatan: p.Jabatan, Roles: p.Roles, Unit: p.Unit, Salutation: sal})
	}
	return out
}

func (v *validator) units(f []fileUnit, o *sop.Office) []sop.UnitDef {
	seen := map[string]bool{}
	var out []sop.UnitDef
	for i, u := range f {
		key := fmt.Sprintf("units[%d]", i)
		if !idRe.MatchString(u.ID) {
			v.errf(key+".id", q(u.ID), "bad unit id", "use lower-case letters, digits and _, e.g. bidang_sosial")
		} else if seen[u.ID] {
			v.errf(key+".id", q(u.ID), "duplicate unit id", "each unit needs its own id")
		}
		seen[u.ID] = true
		if u.Name == "" {
			v.errf(key+".name", "", "missing", "the unit's name, e.g. \"Bidang Pemberdayaan Masyarakat Desa\"")
		}
		head := strings.ToLower(strings.TrimSpace(u.Head))
		if head == "" {
			v.errf(key+".head", "", "unit without a head", "name the Kasubag/Kasubid's email: the collect step goes to unit heads")
		} else if _, ok := o.Person(head); !ok {
			v.errf(key+".head", q(u.Head), "no person with this email", "add the head to [[people]] or fix the address")
		}
		out = append(out, sop.UnitDef{ID: u.ID, Name: u.Name, Head: head})
	}
	return out
}

func (v *validator) checkPeopleUnits(f []filePerson, o *sop.Office) {
	for i, p := range f {
		if p.Unit != "" {
			if _, ok := o.Unit(p.Unit); !ok {
				v.errf(fmt.Sprintf("people[%d].unit", i), q(p.Unit), "no such unit", "name the id of one of the [[units]]")
			}
		}
	}
}

func day(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func (v *validator) acting(f []fileActing, o *sop.Office, loc *time.Location) []sop.Acting {
	var out []sop.Acting
	for i, a := range f {
		key := fmt.Sprintf("acting[%d]", i)
		email := strings.ToLower(strings.TrimSpace(a.Person))
		if _, ok := o.Person(email); !ok {
			v.errf(key+".person", q(a.Person), "no person with this email", "the acting official must be in [[people]] too")
		}
		if !hasRole(o, a.Role) {
			v.errf(key+".role", q(a.Role), "no such role", "the role they act for; name one of the [roles.*] tables")
		}
		if a.Unit != "" {
			if _, ok := o.Unit(a.Unit); !ok {
				v.errf(key+".unit", q(a.Unit), "no such unit", "for an acting unit head, the id of the unit")
			}
		}
		switch a.Title {
		case "Plh.", "Plt.":
		default:
			v.errf(key+".title", q(a.Title), "unknown title", "\"Plh.\" (temporary absence) or \"Plt.\" (vacant post)")
		}
		okFrom := v.date(key+".from", a.From, "the first day, e.g. from = 2024-05-06")
		if !v.date(key+".to", a.To, "the last day, inclusive, e.g. to = 2024-05-10") || !okFrom {
			continue
		}
		if a.To.Before(a.From.Time) {
			v.errf(key+".to", a.To.Format("2006-01-02"), "ends before it starts", "to is the last day, inclusive")
		}
		out = append(out, sop.Acting{Person: email, Role: a.Role, Unit: a.Unit, Title: a.Title, From: day(a.From.Time, loc), To: day(a.To.Time, loc)})
	}
	return out
}

var kinds = map[string]sop.Kind{"task": sop.KindTask, "approval": sop.KindApproval, "collect": sop.KindCollect, "meeting": sop.KindMeeting}

func (v *validator) sops(f []fileSOP, o *sop.Office, loc *time.Location) []sop.SOP {
	if len(f) == 0 {
		v.errf("sop", "", "no SOP defined", "add an [[sop]] table with its [[sop.step]] rows, as in the sample config.toml")
	}
	seen := map[string]bool{}
	var out []sop.SOP
	for i, s := range f {
		key := fmt.Sprintf("sop[%d]", i)
		if !idRe.MatchString(s.ID) {
			v.errf(key+".id", q(s.ID), "bad SOP id", "a short key in lower case, e.g. \"lakip\"")
		} else if seen[s.ID] {
			v.errf(key+".id", q(s.ID), "duplicate SOP id", "each SOP needs its own id")
		}
		seen[s.ID] = true
		if s.Tag == "" {
			v.errf(key+".tag", "", "missing", "the word in every subject tag, e.g. \"LAKIP\" gives \"[LAKIP 2023 · Langkah 8]\"")
		}
		if s.Name == "" || s.Number == "" {
			v.errf(key+".name", "", "name and number are both needed", "as on the SOP document, e.g. number = \"SOP.017.SEKRE\"")
		}
		d := sop.SOP{ID: s.ID, Tag: s.Tag, Number: s.Number, Name: s.Name,
			Meta: sop.Meta{TanggalPembuatan: s.TanggalPembuatan, TanggalRevisi: s.TanggalRevisi, TanggalEfektif: s.TanggalEfektif,
				DisahkanOleh: s.DisahkanOleh, DasarHukum: s.DasarHukum, Kualifikasi: s.Kualifikasi, Keterkaitan: s.Keterkaitan,
				Peralatan: s.Peralatan, Peringatan: s.Peringatan, Pencatatan: s.Pencatatan}}
		d.Trigger = v.trigger(key+".trigger", &s.Trigger, o)
		v.receives = s.Receives
		d.Steps = v.steps(key, s.Step, o)
		v.receives = nil
		d.Meeting = v.meeting(key+".meeting", &s.Meeting, o, d.Steps)
		v.course(key, d.Steps)
		d.Next = sop.Next{SOP: s.Next.SOP, Name: s.Next.Name, Enabled: s.Next.Enabled, Docs: s.Next.Docs}
		out = append(out, d)
	}
	v.chains(f, out)
	return out
}

func (v *validator) trigger(key string, f *fileTrigger, o *sop.Office) sop.Trigger {
	t := sop.Trigger{FromRoles: f.FromRoles, SubjectAll: f.SubjectAll, SubjectAny: f.SubjectAny, ForwardedOK: f.Forwarded}
	for i, r := range f.FromRoles {
		if !hasRole(o, r) {
			v.errf(fmt.Sprintf("%s.from_roles[%d]", key, i), q(r), "no such role", "whose mail may start a run, e.g. \"kepala_dinas\"")
		}
	}
	for _, a := range f.FromAddrs {
		t.FromAddrs = append(t.FromAddrs, strings.ToLower(strings.TrimSpace(a)))
	}
	if len(f.SubjectAll) == 0 && len(f.SubjectAny) == 0 {
		v.errf(key+".subject_all", "", "the trigger has no words", "e.g. subject_all = [\"LAKIP\"] and subject_any = [\"disposisi\"]")
	}
	if len(f.FromRoles) == 0 && len(f.FromAddrs) == 0 {
		v.errf(key+".from_roles", "", "anyone could start a run", "name the roles (e.g. [\"kepala_dinas\"]) or addresses whose disposition starts one")
	}
	return t
}

func (v *validator) steps(key string, f []fileStep, o *sop.Office) []sop.Step {
	if len(f) == 0 {
		v.errf(key+".step", "", "the SOP has no steps", "add [[sop.step]] rows")
	}
	var out []sop.Step
	produced := map[string]bool{"disposisi": true}
	for _, r := range v.receives {
		produced[r] = true
	}
	prev := 0
	for i, s := range f {
		sk := fmt.Sprintf("%s.step[%d]", key, i)
		if s.Number <= prev {
			v.errf(sk+".number", fmt.Sprint(s.Number), fmt.Sprintf("step numbers must increase (the step before is %d)", prev), "keep the SOP's own numbers, in order")
		} else if prev > 0 && s.Number > prev+1 {
			gap := fmt.Sprint(prev + 1)
			if s.Number-1 > prev+1 {
				gap += "–" + fmt.Sprint(s.Number-1)
			}
			v.warnf(sk+".number", fmt.Sprint(s.Number), "steps "+gap+" are missing from the numbering", "kept as the SOP numbers them, so the audit trail matches the paper SOP; nothing to fix if the source skips them too")
		}
		if s.Number > prev {
			prev = s.Number
		}
		if s.Kegiatan == "" {
			v.errf(sk+".kegiatan", "", "missing", "the activity as the SOP words it")
		}
		kind, ok := kinds[s.Kind]
		if !ok {
			v.errf(sk+".kind", q(s.Kind), "unknown kind", "use task, approval, collect or meeting")
		}
		w, err := sop.ParseWaktu(s.Waktu)
		if err != nil {
			v.errf(sk+".waktu", q(s.Waktu), err.Error(), "the Mutu Baku time as the SOP writes it: \"10 menit\", \"2 hari\", \"1 minggu\"")
		}
		if !hasRole(o, s.Role) {
			v.errf(sk+".role", q(s.Role), "no such role", "name one of the [roles.*] tables")
		} else if kind == sop.KindCollect {
			if len(o.Units) == 0 {
				v.errf(sk+".role", q(s.Role), "a collect step needs units", "add [[units]] with their heads")
			}
		} else if !anyoneHolds(o, s.Role) {
			v.errf(sk+".role", q(s.Role), "nobody holds this role", "give the role to someone in [[people]] (roles = [\""+s.Role+"\"])")
		}
		if s.RejectTo != 0 {
			if kind != sop.KindApproval {
				v.errf(sk+".reject_to", fmt.Sprint(s.RejectTo), "only approval steps can send work back", "remove reject_to or make the step kind = \"approval\"")
			} else if !earlier(out, s.RejectTo) {
				v.errf(sk+".reject_to", fmt.Sprint(s.RejectTo), "not an earlier step", "a rejection goes back to an earlier step's number, e.g. 7")
			}
		}
		for j, in := range s.Inputs {
			if !produced[in] {
				v.errf(fmt.Sprintf("%s.inputs[%d]", sk, j), q(in), "no earlier step produces this document", "inputs name a document from an earlier step's produces (or \"bahan\" from a collect step, \"disposisi\" from the trigger, or one listed in the SOP's receives)")
			}
		}
		if kind == sop.KindCollect {
			produced["bahan"] = true
		}
		if s.Produces != "" {
			produced[s.Produces] = true
		}
		out = append(out, sop.Step{Number: s.Number, Kegiatan: s.Kegiatan, Role: s.Role, Kelengkapan: s.Kelengkapan,
			Waktu: w, Output: s.Output, Kind: kind, RejectTo: s.RejectTo, Inputs: s.Inputs, Produces: s.Produces,
			NeedsAttachment: s.NeedsAttachment, Report: s.Report, MeetingFields: s.MeetingFields, Template: s.Template,
			Auto: s.Auto, AfterMeeting: s.AfterMeeting})
	}
	return out
}

func anyoneHolds(o *sop.Office, role string) bool {
	for _, p := range o.People {
		if p.Has(role) {
			return true
		}
	}
	for _, a := range o.Acting {
		if a.Role == role {
			return true
		}
	}
	return false
}

func earlier(steps []sop.Step, n int) bool {
	for _, s := range steps {
		if s.Number == n {
			return true
		}
	}
	return false
}

func (v *validator) meeting(key string, f *fileMeeting, o *sop.Office, steps []sop.Step) sop.Meeting {
	m := sop.Meeting{Title: f.Title, Minutes: f.Minutes, Place: f.Place, AttendeeRoles: f.AttendeeRoles,
		DefaultAfter: sop.Waktu{N: 2, Unit: sop.Day}, DefaultTime: 9 * 60}
	has := false
	for _, s := range steps {
		has = has || s.Kind == sop.KindMeeting
	}
	if !has {
		return m
	}
	if m.Title == "" {
		v.errf(key+".title", "", "missing", "the meeting's title in the invitation, e.g. \"Rapat Tim Penyusunan LAKIP\"")
	}
	if m.Minutes == 0 {
		m.Minutes = 120
	}
	if m.Place == "" {
		v.errf(key+".place", "", "missing", "the default place when the disposition names none, e.g. \"Ruang Rapat Dinas\"")
	}
	if len(m.AttendeeRoles) == 0 {
		v.errf(key+".attendee_roles", "", "nobody is invited", "the roles of the whole team, e.g. [\"kepala_dinas\", \"sekretaris\", \"kasubag_perencanaan\", \"kasubag_kasubid\"]")
	}
	for i, r := range m.AttendeeRoles {
		if !hasRole(o, r) {
			v.errf(fmt.Sprintf("%s.attendee_roles[%d]", key, i), q(r), "no such role", "name one of the [roles.*] tables")
		}
	}
	if f.DefaultAfter != "" {
		if w, err := sop.ParseWaktu(f.DefaultAfter); err != nil {
			v.errf(key+".default_after", q(f.DefaultAfter), err.Error(), "how long after the disposition the meeting is held when it names no date, e.g. \"2 hari\"")
		} else {
			m.DefaultAfter = w
		}
	}
	if f.DefaultTime != "" {
		if t, err := parseClock(f.DefaultTime); err != nil {
			v.errf(key+".default_time", q(f.DefaultTime), err.Error(), "e.g. \"09.00\"")
		} else {
			m.DefaultTime = t
		}
	}
	return m
}
