package config

import (
	_ "embed"
	"fmt"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/bangkatengah/mailflow/mailflow/sop"
	"github.com/bangkatengah/mailflow/mailflow/workcal"
)

//go:embed holidays_id.toml
var holidaysID string

func (v *validator) build(f *fileConfig) *Config {
	c := &Config{}
	o := &c.Office
	o.Name, o.Address, o.Domain = f.Office.Name, f.Office.Address, strings.ToLower(f.Office.Domain)
	c.ShortName = f.Office.ShortName
	if c.ShortName == "" {
		c.ShortName = o.Name
	}
	if o.Name == "" {
		v.errf("office.name", "", "missing", "the office's full name appears in every mail")
	}
	if o.Domain == "" {
		v.errf("office.domain", "", "missing", "the mail domain, e.g. \"dinsospmd.bangkatengahkab.go.id\"; our Message-IDs use it")
	}
	o.Mailbox = v.address("office.mailbox", f.Office.Mailbox, true)
	o.Admin = v.address("office.admin", f.Office.Admin, true)
	c.DataDir = f.Office.DataDir
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	c.TemplatesDir = f.Office.TemplatesDir

	tz := f.Office.Timezone
	if tz == "" {
		tz = "Asia/Jakarta"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		v.errf("office.timezone", q(tz), "timezone does not load", "use an IANA name such as \"Asia/Jakarta\" (WIB), \"Asia/Makassar\" (WITA) or \"Asia/Jayapura\" (WIT)")
		loc = time.FixedZone("WIB", 7*3600)
	}
	c.Calendar = v.calendar(&f.Calendar, loc)
	v.oauthOn = f.Mail.OAuth != (fileOAuth{})
	c.Mail = v.mail(&f.Mail)
	c.Mail.OAuth = v.oauth(&f.Mail)
	c.Replies = v.replies(&f.Replies, c.Mail.Mode == "embedded")
	o.Reminders = v.reminders(&f.Reminders)
	o.Roles = v.roles(f.Roles)
	o.People = v.people(f.People, o)
	o.Units = v.units(f.Units, o)
	v.checkPeopleUnits(f.People, o)
	o.Acting = v.acting(f.Acting, o, loc)
	o.SOPs = v.sops(f.SOP, o, loc)
	o.Naskah = v.naskah(&f.Office, c.ShortName, o)
	c.Web = v.web(&f.Web)
	c.Store = v.store(&f.Store)
	return c
}

func (v *validator) address(key, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.errf(key, "", "missing", "an email address such as \"sekretariat@dinsospmd.bangkatengahkab.go.id\"")
		}
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" {
		v.errf(key, q(s), "not a plain email address", "write only the address, e.g. \"nama@domain.go.id\"")
		return strings.ToLower(s)
	}
	return strings.ToLower(a.Address)
}

var dayNames = map[string]time.Weekday{
	"minggu": time.Sunday, "senin": time.Monday, "selasa": time.Tuesday, "rabu": time.Wednesday,
	"kamis": time.Thursday, "jumat": time.Friday, "sabtu": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func (v *validator) calendar(f *fileCalendar, loc *time.Location) workcal.Calendar {
	c := workcal.Calendar{Loc: loc, Holidays: map[string]string{}, DaysPerWeek: 5, DaysPerHari: 1}
	days := f.Workdays
	if len(days) == 0 {
		days = []string{"Senin", "Selasa", "Rabu", "Kamis", "Jumat"}
	}
	for i, d := range days {
		wd, ok := dayNames[strings.ToLower(strings.ReplaceAll(d, "'", ""))]
		if !ok {
			v.errf(fmt.Sprintf("calendar.workdays[%d]", i), q(d), "not a day name", "use Senin, Selasa, Rabu, Kamis, Jumat, Sabtu or Minggu")
			continue
		}
		c.Workdays[wd] = true
	}
	hours := f.Hours
	if hours == "" {
		hours = "07.30-16.00"
	}
	open, close, err := parseHours(hours)
	if err != nil {
		v.errf("calendar.hours", q(hours), err.Error(), "write the working hours as \"07.30-16.00\"")
		open, close = 7*60+30, 16*60
	}
	c.Open, c.Close = open, close
	if f.HariKerjaPerMinggu != 0 {
		if f.HariKerjaPerMinggu < 1 || f.HariKerjaPerMinggu > 7 {
			v.errf("calendar.hari_kerja_per_minggu", fmt.Sprint(f.HariKerjaPerMinggu), "out of range", "how many working days \"1 minggu\" means: 1 to 7 (usually 5)")
		} else {
			c.DaysPerWeek = f.HariKerjaPerMinggu
		}
	}
	if f.HariKerjaPerHari != 0 {
		if f.HariKerjaPerHari < 1 || f.HariKerjaPerHari > 7 {
			v.errf("calendar.hari_kerja_per_hari", fmt.Sprint(f.HariKerjaPerHari), "out of range", "how many working days \"1 hari\" means (usually 1)")
		} else {
			c.DaysPerHari = f.HariKerjaPerHari
		}
	}
	if f.NationalHolidays == nil || *f.NationalHolidays {
		var shipped struct {
			Holiday []fileHoliday `toml:"holiday"`
		}
		if _, err := toml.Decode(holidaysID, &shipped); err != nil {
			v.errf("calendar.national_holidays", "", "the shipped holiday list does not parse: "+err.Error(), "this is a bug in mailflow; set national_holidays = false and list holidays yourself meanwhile")
		}
		for _, h := range shipped.Holiday {
			c.Holidays[h.Date.Format("2006-01-02")] = h.Name
		}
	}
	for i, h := range f.Holiday {
		if !v.date(fmt.Sprintf("calendar.holiday[%d].date", i), h.Date, "a date such as 2024-04-10") {
			continue
		}
		name := h.Name
		if name == "" {
			name = "Hari libur"
		}
		c.Holidays[h.Date.Format("2006-01-02")] = name
	}
	for i, d := range f.NotHolidays {
		if !v.date(fmt.Sprintf("calendar.not_holidays[%d]", i), d, "a date such as 2024-04-10") {
			continue
		}
		delete(c.Holidays, d.Format("2006-01-02"))
	}
	return c
}

func parseHours(s string) (open, close int, err error) {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	if !ok {
		return 0, 0, fmt.Errorf("want start-end")
	}
	if open, err = parseClock(a); err != nil {
		return 0, 0, err
	}
	if close, err = parseClock(b); err != nil {
		return 0, 0, err
	}
	if close <= open {
		return 0, 0, fmt.Errorf("the day ends before it starts")
	}
	return open, close, nil
}

// clockRe is a time of day as offices write it: "7", "07.30", "16:00".
var clockRe = regexp.MustCompile(`^(\d{1,2})(?:[.:](\d{2}))?$`)

func parseClock(s string) (int, error) {
	m := clockRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	h, _ := strconv.Atoi(m[1])
	min := 0
	if m[2] != "" {
		min, _ = strconv.Atoi(m[2])
	}
	if h > 24 || min > 59 || (h == 24 && min > 0) {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return h*60 + min, nil
}

func (v *validator) reminders(f *fileReminders) sop.Reminders {
	r := sop.Reminders{Interval: sop.Waktu{N: 1, Unit: sop.Day}, Max: 3, EscalateAfter: sop.Waktu{N: 1, Unit: sop.Day}}
	if f.Interval != "" {
		if w, err := sop.ParseWaktu(f.Interval); err != nil {
			v.errf("reminders.interval", q(f.Interval), err.Error(), "time between reminders, e.g. \"1 hari\"")
		} else {
			r.Interval = w
		}
	}
	if f.EscalateAfter != "" {
		if w, err := sop.ParseWaktu(f.EscalateAfter); err != nil {
			v.errf("reminders.escalate_after", q(f.EscalateAfter), err.Error(), "grace after the deadline before the superior is told, e.g. \"1 hari\"")
		} else {
			r.EscalateAfter = w
		}
	}
	if f.Max != nil {
		if *f.Max < 0 || *f.Max > 20 {
			v.errf("reminders.max", fmt.Sprint(*f.Max), "out of range", "reminders per step and person: 0 to 20")
		} else {
			r.Max = *f.Max
		}
	}
	return r
}

func (v *validator) replies(f *fileReplies, embedded bool) Replies {
	r := Replies{MaxAttachment: 25 << 20, AllowedTypes: f.AllowedTypes, RequireAuth: "none", AuthServID: f.AuthServID, AcceptUntokened: f.AcceptUntokened}
	if embedded {
		// The embedded server is the office's server: it stamps
		// Authentication-Results with its own id (see mailserver).
		f.AuthServID, r.AuthServID = EmbeddedAuthServID, EmbeddedAuthServID
	}
	if f.MaxAttachmentMB < 0 {
		v.errf("replies.max_attachment_mb", fmt.Sprint(f.MaxAttachmentMB), "negative", "a size in MB, e.g. 25")
	} else if f.MaxAttachmentMB > 0 {
		r.MaxAttachment = int64(f.MaxAttachmentMB) << 20
	}
	switch f.RequireAuth {
	case "", "none":
	case "dkim", "dmarc":
		r.RequireAuth = f.RequireAuth
		if f.AuthServID == "" {
			v.errf("replies.authserv_id", "", "missing while require_auth = "+q(f.RequireAuth), "the authserv-id your mail server writes in Authentication-Results, e.g. \"mx.bangkatengahkab.go.id\"")
		}
	default:
		v.errf("replies.require_auth", q(f.RequireAuth), "unknown policy", "use \"none\", \"dkim\" or \"dmarc\"")
	}
	if f.AcceptUntokened && r.RequireAuth == "none" {
		v.warnf("replies.accept_untokened", "true", "has no effect while require_auth = \"none\"",
			"a mail without the assignment's token acts only when its sender is authenticated: set require_auth = \"dmarc\" or \"dkim\"")
	}
	return r
}

func (v *validator) mail(f *fileMail) Mail {
	m := Mail{Mode: f.Mode, PlusAddressing: f.PlusAddressing}
	if m.Mode == "" {
		m.Mode = "external"
		if f.IMAP.Host == "" && f.SMTP.Host == "" {
			m.Mode = "embedded"
		}
	}
	m.EmbeddedIMAP, m.EmbeddedSMTP = f.EmbeddedIMAP, f.EmbeddedSMTP
	if m.EmbeddedIMAP == "" {
		m.EmbeddedIMAP = "127.0.0.1:1143"
	}
	if m.EmbeddedSMTP == "" {
		m.EmbeddedSMTP = "127.0.0.1:1025"
	}
	for k, a := range map[string]string{"mail.embedded_imap": m.EmbeddedIMAP, "mail.embedded_smtp": m.EmbeddedSMTP} {
		host, _, err := net.SplitHostPort(a)
		if err != nil || !isLoopback(host) {
			v.errf(k, q(a), "not a loopback host:port", "the embedded servers listen only on 127.0.0.1, e.g. "+q(embeddedExample[k]))
		}
	}
	// Read in both modes: the embedded watcher retries the same way.
	m.IMAP.MaxAttempts = DefaultMaxAttempts
	if n := f.IMAP.MaxAttempts; n != 0 {
		if n < 1 || n > 100 {
			v.errf("mail.imap.max_attempts", fmt.Sprint(n), "out of range", "how many times a message is tried before it is quarantined: 1 to 100 (default 5)")
		} else {
			m.IMAP.MaxAttempts = n
		}
	}
	switch m.Mode {
	case "embedded":
		return m
	case "external":
	default:
		v.errf("mail.mode", q(f.Mode), "unknown mode", "use \"embedded\" (built-in test servers) or \"external\" (your office's servers)")
		return m
	}
	m.IMAP.Server = v.server("mail.imap", &f.IMAP, 993, 143)
	m.SMTP.Server = v.server("mail.smtp", &f.SMTP, 465, 587)
	m.IMAP.Mailbox = f.IMAP.Mailbox
	if m.IMAP.Mailbox == "" {
		m.IMAP.Mailbox = "INBOX"
	}
	m.IMAP.PollInterval = 60 * time.Second
	if f.IMAP.PollInterval != "" {
		d, err := time.ParseDuration(f.IMAP.PollInterval)
		if err != nil || d < time.Second {
			v.errf("mail.imap.poll_interval", q(f.IMAP.PollInterval), "not a duration of at least 1s", "e.g. \"60s\" or \"2m\"")
		} else {
			m.IMAP.PollInterval = d
		}
	}
	m.IMAP.Keyword = f.IMAP.Keyword
	if m.IMAP.Keyword == "" {
		m.IMAP.Keyword = "$MailflowDone"
	}
	m.IMAP.MoveTo = f.IMAP.MoveTo
	m.SMTP.SentFolder = f.SMTP.SentFolder
	m.SMTP.MaxPerHour = f.SMTP.MaxPerHour
	if m.SMTP.MaxPerHour == 0 {
		m.SMTP.MaxPerHour = 10
	}
	m.SMTP.Conns = v.smtpConns(f.SMTP.Connections)
	return m
}

func (v *validator) server(key string, f *fileServer, implicitPort, starttlsPort int) Server {
	s := Server{Host: f.Host, Port: f.Port, TLS: f.TLS, Username: f.Username}
	if s.Host == "" {
		v.errf(key+".host", "", "missing", "the server's host name, or set mail.mode = \"embedded\" to try mailflow without one")
	}
	switch s.TLS {
	case "":
		s.TLS = "implicit"
	case "implicit", "starttls":
	case "none":
		if !isLoopback(s.Host) {
			v.errf(key+".tls", q(f.TLS), "plain text is allowed only to a loopback host", "use \"implicit\" (port "+fmt.Sprint(implicitPort)+") or \"starttls\" (port "+fmt.Sprint(starttlsPort)+")")
		}
	default:
		v.errf(key+".tls", q(f.TLS), "unknown TLS mode", "use \"implicit\", \"starttls\" or (loopback only) \"none\"")
	}
	if s.Port == 0 {
		s.Port = implicitPort
		if s.TLS == "starttls" {
			s.Port = starttlsPort
		}
	}
	if s.Username == "" {
		v.errf(key+".username", "", "missing", "the login name, usually the full address")
	}
	switch {
	case v.oauthOn: // the OAuth2 access token replaces the password (oauth.go)
		v.oauthPasswordIgnored(key, f)
	case f.PasswordEnv != "":
		pw, ok := v.opt.Env(f.PasswordEnv)
		if !ok || pw == "" {
			v.errf(key+".password_env", q(f.PasswordEnv), "environment variable is not set", "export "+f.PasswordEnv+"=... before starting mailflow (Gmail and Office 365 need an app password)")
		}
		s.Password = Secret(pw)
	case f.PasswordFile != "":
		b, err := v.opt.ReadFile(f.PasswordFile)
		if err != nil {
			v.errf(key+".password_file", q(f.PasswordFile), "cannot be read: "+strings.TrimPrefix(err.Error(), "open "+f.PasswordFile+": "), "create the file with only the password in it, readable by mailflow (chmod 600)")
		}
		s.Password = Secret(strings.TrimRight(string(b), "\r\n"))
		if fi, err := v.opt.Stat(f.PasswordFile); err == nil && fi.Mode().Perm()&0o077 != 0 {
			v.warnf(key+".password_file", q(f.PasswordFile), fmt.Sprintf("readable by group or others (mode %04o)", fi.Mode().Perm()),
				"chmod 600 "+f.PasswordFile+" (and chown it to the user mailflow runs as)")
		}
	case f.Password != "":
		s.Password = Secret(f.Password)
		v.warnf(key+".password", "<redacted>", "the password is written in the config file", "move it to password_env or password_file so the config can be shared")
	default:
		v.errf(key+".password_env", "", "no password source", "set password_env (an environment variable) or password_file")
	}
	return s
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
