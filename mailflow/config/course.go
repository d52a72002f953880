package config

import (
	"fmt"
	"slices"

	"github.com/bangkatengah/mailflow/mailflow/sop"
)

// fileNext is [sop.next]: the SOP a finished run starts (Keterkaitan).
type fileNext struct {
	SOP     string   `toml:"sop"`
	Name    string   `toml:"name"`
	Enabled bool     `toml:"enabled"`
	Docs    []string `toml:"docs"`
}

// course checks the switches that shape a run's course after the meeting
// step: auto (a meeting step that sends by itself) and after_meeting (a
// step that waits for the meeting's end).
func (v *validator) course(key string, steps []sop.Step) {
	meeting := -1
	for i, s := range steps {
		sk := fmt.Sprintf("%s.step[%d]", key, i)
		if s.Auto && s.Kind != sop.KindMeeting {
			v.errf(sk+".auto", "true", "only a meeting step can send by itself", "remove auto, or make the step kind = \"meeting\"")
		}
		if s.Kind == sop.KindMeeting {
			if meeting >= 0 {
				v.errf(sk+".kind", q("meeting"), "an SOP has one meeting step", "keep kind = \"meeting\" on the step that sends the invitation")
			}
			meeting = i
		}
		if s.AfterMeeting {
			switch {
			case meeting < 0:
				v.errf(sk+".after_meeting", "true", "no meeting step comes before this step", "after_meeting is for the step after the meeting (the notulen); put it after the kind = \"meeting\" step")
			case s.Kind != sop.KindTask:
				v.errf(sk+".after_meeting", "true", "only a task step can wait for the meeting's end", "use kind = \"task\" with needs_attachment = true for the notulen")
			}
		}
		if meeting >= 0 && i > meeting && !s.AfterMeeting {
			v.errf(sk+".after_meeting", "false", "a step after the meeting step must wait for the meeting's end", "set after_meeting = true on the notulen step")
		}
	}
}

// chains checks every [sop.next]: an enabled link names a configured SOP
// and documents the finished run has.
func (v *validator) chains(f []fileSOP, sops []sop.SOP) {
	ids := map[string]bool{}
	for _, s := range sops {
		ids[s.ID] = true
	}
	for i, s := range f {
		if i >= len(sops) {
			break
		}
		key := fmt.Sprintf("sop[%d].next", i)
		n := s.Next
		if n.SOP == "" {
			if n.Enabled {
				v.errf(key+".sop", "", "missing", "name the SOP a finished run starts (its id), or set enabled = false")
			}
			continue
		}
		if n.SOP == s.ID {
			v.errf(key+".sop", q(n.SOP), "an SOP cannot start itself", "name another SOP's id")
			continue
		}
		if n.Enabled && !ids[n.SOP] {
			v.errf(key+".sop", q(n.SOP), "no such SOP", "configure that SOP in another [[sop]] table first, or keep enabled = false")
		}
		var receives []string
		for _, t := range f {
			if t.ID == n.SOP {
				receives = t.Receives
			}
		}
		produced := map[string]bool{"disposisi": true}
		for _, st := range sops[i].Steps {
			if st.Kind == sop.KindCollect {
				produced["bahan"] = true
			}
			if st.Produces != "" {
				produced[st.Produces] = true
			}
		}
		for j, d := range n.Docs {
			if !produced[d] {
				v.errf(fmt.Sprintf("%s.docs[%d]", key, j), q(d), "no step of this SOP produces this document", "name a document from a step's produces, e.g. \"draft\" or \"notulen\"")
			} else if n.Enabled && ids[n.SOP] && !slices.Contains(receives, d) {
				v.errf(fmt.Sprintf("%s.docs[%d]", key, j), q(d), "the next SOP does not receive this document", "list it in that SOP's receives = [...] so that its steps may take it as an input")
			}
		}
	}
}
