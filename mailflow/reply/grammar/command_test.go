package grammar

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in    string
		cmd   Command
		notes string
	}{
		{"SETUJU", Approve, ""},
		{"Ok setuju, lanjutkan", Approve, "lanjutkan"},
		{"Yth. Bapak Kepala Dinas,\n\nDisetujui.", Approve, ""},
		{"Baik,\nACC", Approve, ""},
		{"TIDAK SETUJU", Reject, ""},
		{"belum setuju, data kurang", Reject, "data kurang"},
		{"tidak disetujui", Reject, ""},
		{"TOLAK Anggaran melebihi pagu.\nCatatan: revisi RAB\ndan kirim ulang", Reject, "Anggaran melebihi pagu.\nrevisi RAB\ndan kirim ulang"},
		{"SELESAI, draft terlampir", Done, "draft terlampir"},
		{"SELESAI, draft sudah diperbaiki sesuai arahan.", Done, "draft sudah diperbaiki sesuai arahan."},
		{"Sudah diperbaiki", Done, "diperbaiki"},
		{"Mohon diperbaiki tabelnya", Reject, "tabelnya"},
		{"sudah disetujui", Approve, ""},
		{"Mohon maaf terlambat. Bahan terlampir, SELESAI.", Done, "SELESAI."},
		{"Baik pak. Setuju.", Approve, ""},
		{"Terima kasih. Akan saya cek dulu.", None, ""},
		{"STATUS", Status, ""},
		{"bantuan", Help, ""},
		{"Akan saya cek dulu.", None, ""},
		{"", None, ""},
	} {
		cmd, notes := Parse(c.in)
		if cmd != c.cmd || notes != c.notes {
			t.Errorf("Parse(%q) = %q, %q; want %q, %q", c.in, cmd, notes, c.cmd, c.notes)
		}
	}
}
