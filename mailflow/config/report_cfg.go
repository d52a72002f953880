package config

import "github.com/bangkatengah/mailflow/mailflow/sop"

// ReportForm is [report]: the office-specific parts of the Formulir Monitoring.
type ReportForm struct {
	// Place is the place on the signature line ("Koba, 21 Mei 2024").
	Place string
	// MonitorRole is the role whose holder signs the form as the monitor
	// (default kasubag_perencanaan, the Kasubag Perencanaan).
	MonitorRole string
}

type fileReport struct {
	Place       string `toml:"place"`
	MonitorRole string `toml:"monitor_role"`
}

// DefaultMonitorRole signs the form when [report] names no role.
const DefaultMonitorRole = "kasubag_perencanaan"

func (v *validator) report(f fileReport, o *sop.Office) ReportForm {
	r := ReportForm{Place: f.Place, MonitorRole: f.MonitorRole}
	if r.MonitorRole == "" {
		// An office without this role gets blank lines to sign by hand.
		r.MonitorRole = DefaultMonitorRole
		return r
	}
	if _, ok := o.Role(r.MonitorRole); !ok {
		v.errf("report.monitor_role", q(r.MonitorRole), "no such role", "the role whose holder signs the monitoring form; name one of the [roles.*] tables")
	}
	return r
}
