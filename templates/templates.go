// Package templates holds the built-in mail templates: for every kind of
// mail a text/plain template (<name>.txt.tmpl, text/template, which also
// defines the subject as "<name>.subject") and an HTML one
// (<name>.html.tmpl, html/template), in formal Bahasa Indonesia. Shared
// pieces live in _common.*.tmpl. A templates directory in the config
// replaces any of these files by name; see mailflow/render.
package templates

import "embed"

// FS is the built-in templates.
//
//go:embed *.tmpl
var FS embed.FS
