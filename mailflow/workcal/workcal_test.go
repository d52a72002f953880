package workcal_test

import (
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

var wib = time.FixedZone("WIB", 7*3600)

func cal() *workcal.Calendar {
	c := &workcal.Calendar{Loc: wib, Open: 7*60 + 30, Close: 16 * 60, DaysPerWeek: 5, DaysPerHari: 1,
		Holidays: map[string]string{"2024-05-09": "Kenaikan Isa Almasih", "2024-05-10": "Cuti bersama"}}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Workdays[d] = true
	}
	return c
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, wib)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAdd(t *testing.T) {
	c := cal()
	for _, tc := range []struct {
		from, waktu, want string
	}{
		{"2024-05-06 09:00", "10 menit", "2024-05-06 09:10"},
		{"2024-05-06 15:55", "10 menit", "2024-05-07 07:35"}, // over the end of the day
		{"2024-05-06 20:00", "10 menit", "2024-05-07 07:40"}, // at night: counts from the opening
		{"2024-05-08 15:55", "10 menit", "2024-05-13 07:35"}, // Thu+Fri holidays, weekend
		{"2024-05-04 10:00", "30 menit", "2024-05-06 08:00"}, // Saturday
		{"2024-05-06 08:12", "1 minggu", "2024-05-15 08:12"}, // 5 working days over the holidays
		{"2024-05-06 10:00", "2 hari", "2024-05-08 10:00"},
		{"2024-05-08 10:00", "1 hari", "2024-05-13 10:00"},
		{"2024-05-06 16:30", "1 hari", "2024-05-08 07:30"}, // after hours: from the next opening
	} {
		w, err := sop.ParseWaktu(tc.waktu)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Add(at(tc.from), w); !got.Equal(at(tc.want)) {
			t.Errorf("%s + %s = %s, want %s", tc.from, tc.waktu, got.Format("2006-01-02 15:04"), tc.want)
		}
	}
}

func TestDaysPerWeekIsConfigurable(t *testing.T) {
	c := cal()
	c.DaysPerWeek = 6
	c.Workdays[time.Saturday] = true
	if got := c.Add(at("2024-05-13 09:00"), sop.Waktu{N: 1, Unit: sop.Week}); !got.Equal(at("2024-05-20 09:00")) {
		t.Errorf("1 minggu of 6 days = %s", got)
	}
}

func TestWorkingMinutesAndPrevDay(t *testing.T) {
	c := cal()
	if got := c.WorkingMinutes(at("2024-05-08 15:00"), at("2024-05-13 08:30")); got != 120 {
		t.Errorf("working minutes over the holidays: %d, want 120", got)
	}
	if got := c.PrevWorkingDay(at("2024-05-13 09:00")); !got.Equal(at("2024-05-08 07:30")) {
		t.Errorf("working day before Mon 13 May: %s", got)
	}
	if c.InHours(at("2024-05-09 10:00")) || !c.InHours(at("2024-05-08 10:00")) || c.InHours(at("2024-05-08 16:00")) {
		t.Error("InHours")
	}
}

func TestFormat(t *testing.T) {
	if got := workcal.Format(at("2024-05-06 09:00")); got != "Senin, 6 Mei 2024 pukul 09.00 WIB" {
		t.Errorf("Format = %q", got)
	}
	if got := workcal.Durasi(510+75, 510); got != "1 hari 1 jam 15 menit" {
		t.Errorf("Durasi = %q", got)
	}
}
