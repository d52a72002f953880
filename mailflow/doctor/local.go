package doctor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// timezone: config loads the zone from the system database or, failing
// that, the copy built into mailflow (time/tzdata); say which.
func (d *doctor) timezone() {
	const name = "time zone"
	loc := d.opt.Config.Calendar.Loc
	if loc == nil {
		d.fail(name, "no time zone loaded", "set office.timezone, e.g. \"Asia/Jakarta\"")
		return
	}
	now := d.opt.Now().In(loc)
	detail := fmt.Sprintf("%s: now %s %s (UTC%s)", loc, now.Format("15.04"), now.Format("MST"), now.Format("-07:00"))
	if src := systemZone(loc.String()); src != "" {
		d.ok(name, detail+", from "+src)
		return
	}
	d.warn(name, detail+", from the copy built into mailflow: the system's time-zone database lacks it",
		"install the system database (apt-get install tzdata) so that mailflow and the rest of the machine agree; in a container, add tzdata to the image")
}

// systemZone returns the system file that has the zone, or "".
func systemZone(name string) string {
	dirs := []string{"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"}
	if z := os.Getenv("ZONEINFO"); z != "" {
		dirs = append([]string{z}, dirs...)
	}
	if runtime.GOOS == "windows" {
		return ""
	}
	for _, dir := range dirs {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// dataDir: mailflow must create, write and fsync files there (the store,
// attachments), and keep it private.
func (d *doctor) dataDir() {
	const name = "data directory"
	dir := d.opt.DataDir
	fix := fmt.Sprintf("create it for the user mailflow runs as: install -d -m 0700 -o mailflow -g mailflow %s (the service unit's StateDirectory= does this)", dir)
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		// "mailflow run" creates it: can it?
		parent := filepath.Dir(dir)
		if err := probeWrite(parent); err != nil {
			d.fail(name, fmt.Sprintf("%s does not exist and cannot be created: %v", dir, err), fix)
			return
		}
		d.ok(name, fmt.Sprintf("%s does not exist yet; mailflow run creates it (mode 0700)", dir))
		return
	}
	if err != nil || !fi.IsDir() {
		d.fail(name, fmt.Sprintf("%s cannot be created or used: %v", dir, err), fix)
		return
	}
	if err := probeWrite(dir); err != nil {
		d.fail(name, fmt.Sprintf("%s is not writable: %v", dir, err), fix)
		return
	}
	detail := fmt.Sprintf("%s is writable (mode %04o)", dir, fi.Mode().Perm())
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) == nil {
		free := int64(st.Bavail) * int64(st.Bsize)
		detail += fmt.Sprintf(", %s free", mb(free))
		if free < 200<<20 {
			d.warn(name, detail, "free some space: the store and the attachments grow with every run")
			return
		}
	}
	if fi.Mode().Perm()&0o077 != 0 {
		d.warn(name, detail+": readable by group or others", "chmod 700 "+dir+" (mailflow run also tightens it at start)")
		return
	}
	d.ok(name, detail)
}

// probeWrite creates, syncs and removes a file in dir.
func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".mailflow-doctor-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(time.Now().String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
