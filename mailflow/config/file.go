package config

// The raw shape of config.toml. Every field has a toml tag so that a
// misspelt key shows up in MetaData.Undecoded().

type fileConfig struct {
	Office    fileOffice          `toml:"office"`
	Mail      fileMail            `toml:"mail"`
	Calendar  fileCalendar        `toml:"calendar"`
	Reminders fileReminders       `toml:"reminders"`
	Replies   fileReplies         `toml:"replies"`
	Roles     map[string]fileRole `toml:"roles"`
	Units     []fileUnit          `toml:"units"`
	People    []filePerson        `toml:"people"`
	Acting    []fileActing        `toml:"acting"`
	SOP       []fileSOP           `toml:"sop"`
	Web       fileWeb             `toml:"web"`
	Report    fileReport          `toml:"report"` // report_cfg.go
	Store     fileStore           `toml:"store"`
}

type fileOffice struct {
	Name         string       `toml:"name"`
	ShortName    string       `toml:"short_name"`
	Address      string       `toml:"address"`
	Domain       string       `toml:"domain"`
	Timezone     string       `toml:"timezone"`
	Mailbox      string       `toml:"mailbox"`
	Admin        string       `toml:"admin"`
	DataDir      string       `toml:"data_dir"`
	TemplatesDir string       `toml:"templates_dir"`
	Kop          fileKop      `toml:"kop"`    // naskah.go
	Signer       []fileSigner `toml:"signer"` // naskah.go
	Letter       fileLetter   `toml:"letter"` // naskah.go
}

type fileMail struct {
	Mode           string     `toml:"mode"` // "embedded" or "external"
	IMAP           fileServer `toml:"imap"`
	SMTP           fileServer `toml:"smtp"`
	PlusAddressing bool       `toml:"plus_addressing"`
	// Embedded mode: where the built-in servers listen (loopback only).
	EmbeddedIMAP string    `toml:"embedded_imap"`
	EmbeddedSMTP string    `toml:"embedded_smtp"`
	OAuth        fileOAuth `toml:"oauth"`
}

type fileServer struct {
	Host         string `toml:"host"`
	Port         int    `toml:"port"`
	TLS          string `toml:"tls"` // "implicit", "starttls", "none"
	Username     string `toml:"username"`
	Password     string `toml:"password"` // allowed, but password_env/password_file are preferred
	PasswordEnv  string `toml:"password_env"`
	PasswordFile string `toml:"password_file"`
	// IMAP only
	Mailbox      string `toml:"mailbox"`
	PollInterval string `toml:"poll_interval"`
	Keyword      string `toml:"keyword"`
	MoveTo       string `toml:"move_to"`
	MaxAttempts  int    `toml:"max_attempts"`
	// SMTP only
	SentFolder  string `toml:"sent_folder"`
	MaxPerHour  int    `toml:"max_automatic_per_hour"`
	Connections int    `toml:"connections"`
}

type fileCalendar struct {
	Workdays           []string      `toml:"workdays"`
	Hours              string        `toml:"hours"`
	NationalHolidays   *bool         `toml:"national_holidays"`
	Holiday            []fileHoliday `toml:"holiday"`
	NotHolidays        []fileDate    `toml:"not_holidays"`
	HariKerjaPerMinggu int           `toml:"hari_kerja_per_minggu"`
	HariKerjaPerHari   int           `toml:"hari_kerja_per_hari"`
}

type fileHoliday struct {
	Date fileDate `toml:"date"`
	Name string   `toml:"name"`
	Kind string   `toml:"kind"`
}

type fileReminders struct {
	Interval      string `toml:"interval"`
	Max           *int   `toml:"max"`
	EscalateAfter string `toml:"escalate_after"`
}

type fileReplies struct {
	MaxAttachmentMB int      `toml:"max_attachment_mb"`
	AllowedTypes    []string `toml:"allowed_types"`
	RequireAuth     string   `toml:"require_auth"` // "none", "dkim", "dmarc"
	AuthServID      string   `toml:"authserv_id"`
	AcceptUntokened bool     `toml:"accept_untokened"`
}

type fileRole struct {
	Name     string `toml:"name"`
	Superior string `toml:"superior"`
}

type fileUnit struct {
	ID   string `toml:"id"`
	Name string `toml:"name"`
	Head string `toml:"head"`
}

type filePerson struct {
	Name       string   `toml:"name"`
	NIP        string   `toml:"nip"`
	Jabatan    string   `toml:"jabatan"`
	Email      string   `toml:"email"`
	Roles      []string `toml:"roles"`
	Unit       string   `toml:"unit"`
	Salutation string   `toml:"salutation"`
}

type fileActing struct {
	Person string   `toml:"person"`
	Role   string   `toml:"role"`
	Unit   string   `toml:"unit"`
	Title  string   `toml:"title"`
	From   fileDate `toml:"from"`
	To     fileDate `toml:"to"`
}

type fileSOP struct {
	ID               string      `toml:"id"`
	Tag              string      `toml:"tag"`
	Number           string      `toml:"number"`
	Name             string      `toml:"name"`
	TanggalPembuatan string      `toml:"tanggal_pembuatan"`
	TanggalRevisi    string      `toml:"tanggal_revisi"`
	TanggalEfektif   string      `toml:"tanggal_efektif"`
	DisahkanOleh     string      `toml:"disahkan_oleh"`
	DasarHukum       []string    `toml:"dasar_hukum"`
	Kualifikasi      []string    `toml:"kualifikasi"`
	Keterkaitan      []string    `toml:"keterkaitan"`
	Peralatan        []string    `toml:"peralatan"`
	Peringatan       string      `toml:"peringatan"`
	Pencatatan       string      `toml:"pencatatan"`
	Trigger          fileTrigger `toml:"trigger"`
	Meeting          fileMeeting `toml:"meeting"`
	Step             []fileStep  `toml:"step"`
	Next             fileNext    `toml:"next"`
	Receives         []string    `toml:"receives"`
}

type fileTrigger struct {
	FromRoles  []string `toml:"from_roles"`
	FromAddrs  []string `toml:"from_addresses"`
	SubjectAll []string `toml:"subject_all"`
	SubjectAny []string `toml:"subject_any"`
	Forwarded  bool     `toml:"forwarded"`
}

type fileMeeting struct {
	Title         string   `toml:"title"`
	Minutes       int      `toml:"minutes"`
	Place         string   `toml:"place"`
	AttendeeRoles []string `toml:"attendee_roles"`
	DefaultAfter  string   `toml:"default_after"`
	DefaultTime   string   `toml:"default_time"`
}

type fileStep struct {
	Number          int      `toml:"number"`
	Kegiatan        string   `toml:"kegiatan"`
	Role            string   `toml:"role"`
	Kelengkapan     string   `toml:"kelengkapan"`
	Waktu           string   `toml:"waktu"`
	Output          string   `toml:"output"`
	Kind            string   `toml:"kind"`
	RejectTo        int      `toml:"reject_to"`
	Inputs          []string `toml:"inputs"`
	Produces        string   `toml:"produces"`
	NeedsAttachment bool     `toml:"needs_attachment"`
	Report          bool     `toml:"report"`
	MeetingFields   bool     `toml:"meeting_fields"`
	Template        string   `toml:"template"`
	Auto            bool     `toml:"auto"`
	AfterMeeting    bool     `toml:"after_meeting"`
}
