package sop

import (
	"testing"
	"time"
)

var wib = time.FixedZone("WIB", 7*3600)

func office() *Office {
	d := func(day int) time.Time { return time.Date(2024, 7, day, 0, 0, 0, 0, wib) }
	return &Office{
		People: []Person{
			{Email: "kepala@x", Roles: []string{"kepala"}},
			{Email: "sek@x", Roles: []string{"sekretaris"}},
			{Email: "ren@x", Roles: []string{"perencanaan", "unit"}, Unit: "renc"},
			{Email: "umum@x", Roles: []string{"unit"}, Unit: "umum"},
			{Email: "staf@x", Unit: "umum"},
		},
		Units: []UnitDef{{ID: "renc", Head: "ren@x"}, {ID: "umum", Head: "umum@x"}},
		Acting: []Acting{
			{Person: "ren@x", Role: "sekretaris", Title: "Plh.", From: d(15), To: d(19)},
			{Person: "staf@x", Role: "unit", Unit: "umum", Title: "Plt.", From: d(1), To: d(31)},
		},
	}
}

func TestActingReplacesTheHolderForItsDates(t *testing.T) {
	o := office()
	at := func(day int) time.Time { return time.Date(2024, 7, day, 23, 59, 0, 0, wib) }
	if h := o.Holders("sekretaris", at(14)); len(h) != 1 || h[0].Person.Email != "sek@x" || h[0].Acting != "" {
		t.Errorf("14 July: %+v", h)
	}
	h := o.Holders("sekretaris", at(19)) // the last day is inclusive
	if len(h) != 1 || h[0].Person.Email != "ren@x" || h[0].Acting != "Plh." || h[0].For.Email != "sek@x" {
		t.Errorf("19 July: %+v", h)
	}
	if _, ok := o.MayAct("sek@x", "sekretaris", at(16)); ok {
		t.Error("the absent holder may still act during the Plh. appointment")
	}
	if title, ok := o.MayAct("ren@x", "sekretaris", at(16)); !ok || title != "Plh." {
		t.Error("the Plh. may not act")
	}
	if h := o.Holders("sekretaris", time.Date(2024, 7, 20, 0, 0, 1, 0, wib)); h[0].Person.Email != "sek@x" {
		t.Error("the appointment did not end")
	}
}

func TestUnitHeadActing(t *testing.T) {
	o := office()
	at := time.Date(2024, 7, 10, 9, 0, 0, 0, wib)
	h, ok := o.UnitHead("umum", at)
	if !ok || h.Person.Email != "staf@x" || h.Acting != "Plt." {
		t.Fatalf("umum head: %+v", h)
	}
	if u, ok := o.HeadOf("staf@x", at); !ok || u != "umum" {
		t.Errorf("HeadOf(staf) = %q %v", u, ok)
	}
	if _, ok := o.HeadOf("umum@x", at); ok {
		t.Error("the replaced head still heads the unit")
	}
	if h, _ := o.UnitHead("renc", at); h.Person.Email != "ren@x" {
		t.Errorf("renc head: %+v", h)
	}
}

func TestParseWaktu(t *testing.T) {
	for in, want := range map[string]Waktu{"10 menit": {10, Minute}, "2 hari": {2, Day}, "1 minggu": {1, Week}, " 30  Menit ": {30, Minute}} {
		if got, err := ParseWaktu(in); err != nil || got != want {
			t.Errorf("ParseWaktu(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "2 jam", "sepuluh menit", "0 hari", "-1 hari", "3 bulan", "10"} {
		if _, err := ParseWaktu(bad); err == nil {
			t.Errorf("ParseWaktu(%q) accepted", bad)
		}
	}
}
