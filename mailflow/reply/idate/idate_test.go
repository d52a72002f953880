package idate

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2024, 5, 13, 8, 0, 0, 0, WIB)
	for _, c := range []struct{ in, want, place string }{
		{"Senin, 13 Mei 2024 pukul 09.00 WIB", "2024-05-13T09:00:00+07:00", ""},
		{"13/05/2024 09:00", "2024-05-13T09:00:00+07:00", ""},
		{"13-5-2024 jam 9", "2024-05-13T09:00:00+07:00", ""},
		{"besok pukul 10.00", "2024-05-14T10:00:00+07:00", ""},
		{"Tanggal: 20 Mei 2024\nPukul: 13.30 WITA\nTempat: Aula Kantor Bupati", "2024-05-20T13:30:00+08:00", "Aula Kantor Bupati"},
		{"Hari/Tanggal: Selasa, 21 Mei 2024\nWaktu: 08.00 WIT", "2024-05-21T08:00:00+09:00", ""},
	} {
		m, err := Parse(c.in, now, nil)
		if err != nil || m == nil {
			t.Errorf("Parse(%q) = %v, %v", c.in, m, err)
			continue
		}
		if got := m.Start.Format(time.RFC3339); got != c.want || m.Place != c.place {
			t.Errorf("Parse(%q) = %s %q, want %s %q", c.in, got, m.Place, c.want, c.place)
		}
	}
	if m, err := Parse("tidak ada rapat", now, nil); m != nil || err != nil {
		t.Errorf("no meeting: got %v, %v", m, err)
	}
}
