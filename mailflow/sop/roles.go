package sop

import "time"

// Holder is who answers for a role at a moment: the person, and the acting
// title (Plh./Plt.) when they act for someone else.
type Holder struct {
	Person *Person
	Acting string // "" for the holder in their own right
	For    *Person
}

// Holders returns who answers for role at t. An acting appointment in force
// replaces the holder it covers (for a unit role, the head of that unit).
func (o *Office) Holders(role string, t time.Time) []Holder {
	var out []Holder
	for i := range o.People {
		p := &o.People[i]
		if !p.Has(role) {
			continue
		}
		if a, ok := o.actingFor(role, p.Unit, t); ok {
			if ap, ok := o.Person(a.Person); ok {
				out = append(out, Holder{Person: ap, Acting: a.Title, For: p})
				continue
			}
		}
		out = append(out, Holder{Person: p})
	}
	// An acting appointment for a role nobody holds still counts.
	for _, a := range o.Acting {
		if a.Role != role || !a.Covers(t) {
			continue
		}
		found := false
		for _, h := range out {
			if h.Person.Email == a.Person {
				found = true
			}
		}
		if !found && !o.anyHolder(role, a.Unit) {
			if ap, ok := o.Person(a.Person); ok {
				out = append(out, Holder{Person: ap, Acting: a.Title})
			}
		}
	}
	return out
}

func (o *Office) anyHolder(role, unit string) bool {
	for i := range o.People {
		if o.People[i].Has(role) && (unit == "" || o.People[i].Unit == unit) {
			return true
		}
	}
	return false
}

func (o *Office) actingFor(role, unit string, t time.Time) (Acting, bool) {
	for _, a := range o.Acting {
		if a.Role == role && (a.Unit == "" || a.Unit == unit) && a.Covers(t) {
			return a, true
		}
	}
	return Acting{}, false
}

// UnitHead returns who answers for a unit at t: its head, or the acting
// official appointed for that unit's head.
func (o *Office) UnitHead(unit string, t time.Time) (Holder, bool) {
	u, ok := o.Unit(unit)
	if !ok {
		return Holder{}, false
	}
	head, ok := o.Person(u.Head)
	if !ok {
		return Holder{}, false
	}
	for _, a := range o.Acting {
		if a.Unit == unit && a.Covers(t) {
			if ap, ok := o.Person(a.Person); ok {
				return Holder{Person: ap, Acting: a.Title, For: head}, true
			}
		}
	}
	return Holder{Person: head}, true
}

// MayAct reports whether the person with email may act for role at t, and
// with which title ("" in their own right).
func (o *Office) MayAct(email, role string, t time.Time) (string, bool) {
	for _, h := range o.Holders(role, t) {
		if h.Person.Email == email {
			return h.Acting, true
		}
	}
	return "", false
}

// HeadOf returns the unit that email answers for at t (as head or acting
// head).
func (o *Office) HeadOf(email string, t time.Time) (string, bool) {
	for _, u := range o.Units {
		if h, ok := o.UnitHead(u.ID, t); ok && h.Person.Email == email {
			return u.ID, true
		}
	}
	return "", false
}
