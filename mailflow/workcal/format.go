package workcal

import (
	"fmt"
	"time"
)

var hari = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
var bulan = [...]string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember"}

// ZoneName is WIB, WITA or WIT for Indonesia's zones, else the zone's abbreviation.
func ZoneName(t time.Time) string {
	switch _, off := t.Zone(); off {
	case 7 * 3600:
		return "WIB"
	case 8 * 3600:
		return "WITA"
	case 9 * 3600:
		return "WIT"
	}
	name, _ := t.Zone()
	return name
}

// Tanggal formats a date the Indonesian way: "Senin, 6 Mei 2024".
func Tanggal(t time.Time) string {
	return fmt.Sprintf("%s, %d %s %d", hari[t.Weekday()], t.Day(), bulan[t.Month()], t.Year())
}

// Pukul formats a time: "09.00 WIB".
func Pukul(t time.Time) string {
	return fmt.Sprintf("%02d.%02d %s", t.Hour(), t.Minute(), ZoneName(t))
}

// Format formats a moment in full: "Senin, 6 Mei 2024 pukul 09.00 WIB".
func Format(t time.Time) string {
	return Tanggal(t) + " pukul " + Pukul(t)
}

// Short formats a moment compactly for tables: "06/05/2024 09.00".
func Short(t time.Time) string {
	return fmt.Sprintf("%02d/%02d/%d %02d.%02d", t.Day(), t.Month(), t.Year(), t.Hour(), t.Minute())
}

// Durasi formats working minutes in Indonesian working units, with a
// working day of dayMinutes: "2 hari 3 jam 10 menit".
func Durasi(minutes, dayMinutes int) string {
	if minutes <= 0 {
		return "0 menit"
	}
	d, rest := minutes/dayMinutes, minutes%dayMinutes
	h, m := rest/60, rest%60
	s := ""
	if d > 0 {
		s += fmt.Sprintf("%d hari ", d)
	}
	if h > 0 {
		s += fmt.Sprintf("%d jam ", h)
	}
	if m > 0 || s == "" {
		s += fmt.Sprintf("%d menit ", m)
	}
	return s[:len(s)-1]
}
