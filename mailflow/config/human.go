package config

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Problems name things as the admin knows them: the person by name, the
// SOP step by its own number, the unit by its id, not by their position in
// the file (people[4], step[6]).

var indexRe = regexp.MustCompile(`(people|units|acting|sop|step|holiday)\[(\d+)\](\.?)`)

// humanize rewrites the keys (and the keys quoted in messages) of every
// problem found so far.
func (v *validator) humanize(f *fileConfig) {
	for i := range v.problems {
		p := &v.problems[i]
		p.Key = humanKey(p.Key, f)
		p.Msg = humanKey(p.Msg, f)
	}
}

// humanKey replaces the array positions in s with names.
func humanKey(s string, f *fileConfig) string {
	curSOP := -1
	return indexRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := indexRe.FindStringSubmatch(m)
		if sub[3] != "" {
			// "sop[0].step[3].waktu" reads `sop "lakip", step 7, waktu`.
			return name(sub, f, &curSOP) + ", "
		}
		return name(sub, f, &curSOP)
	})
}

func name(sub []string, f *fileConfig, curSOP *int) string {
	{
		n, _ := strconv.Atoi(sub[2])
		nth := fmt.Sprintf("%s #%d", sub[1], n+1)
		switch sub[1] {
		case "people":
			if n < len(f.People) {
				if p := f.People[n]; p.Name != "" {
					return fmt.Sprintf("people %q", p.Name)
				} else if p.Email != "" {
					return fmt.Sprintf("people %q", p.Email)
				}
			}
		case "units":
			if n < len(f.Units) && f.Units[n].ID != "" {
				return fmt.Sprintf("units %q", f.Units[n].ID)
			}
		case "acting":
			if n < len(f.Acting) && f.Acting[n].Person != "" {
				who := f.Acting[n].Person
				for _, p := range f.People {
					if strings.EqualFold(p.Email, who) && p.Name != "" {
						who = p.Name
					}
				}
				return fmt.Sprintf("acting %q", who)
			}
		case "sop":
			*curSOP = n
			if n < len(f.SOP) && f.SOP[n].ID != "" {
				return fmt.Sprintf("sop %q", f.SOP[n].ID)
			}
		case "step":
			if c := *curSOP; c >= 0 && c < len(f.SOP) && n < len(f.SOP[c].Step) {
				if num := f.SOP[c].Step[n].Number; num > 0 {
					return fmt.Sprintf("step %d", num)
				}
			}
		case "holiday":
			if n < len(f.Calendar.Holiday) {
				h := f.Calendar.Holiday[n]
				if h.Name != "" {
					return fmt.Sprintf("holiday %q", h.Name)
				}
			}
		}
		return nth
	}
}

// unknown reports each misspelt or misplaced key where it occurs, with the
// key it most likely meant.
func (v *validator) unknown(keys []toml.Key) {
	for _, k := range keys {
		plain := k.String()
		hint := "check the spelling against the sample config.toml"
		if s := suggest(plain); s != "" {
			hint = "did you mean " + s + "?"
		}
		// The same misspelling in several [[people]] is one key for the
		// decoder; report each place, with its own line.
		var exact []string
		for e := range v.li.exact {
			if stripIndex(e) == plain && e != plain {
				exact = append(exact, e)
			}
		}
		sort.Strings(exact)
		if len(exact) == 0 {
			exact = []string{plain}
		}
		for _, e := range exact {
			v.errf(e, "", "unknown key", hint)
		}
	}
}

var stripRe = regexp.MustCompile(`\[\d+\]`)

func stripIndex(k string) string { return stripRe.ReplaceAllString(k, "") }

// suggest finds the key that plain most likely meant: a close spelling at
// the same level, or the same name at another level (timezone under
// [calendar] belongs to [office]).
func suggest(plain string) string {
	parts := strings.Split(plain, ".")
	last := parts[len(parts)-1]
	parent := parts[:len(parts)-1]
	if t, ok := typeAt(reflect.TypeOf(fileConfig{}), parent); ok {
		best, bestD := "", 3
		for _, name := range tomlKeys(t) {
			if d := distance(strings.ToLower(last), name); d < bestD && d < len(name)/2+1 {
				best, bestD = name, d
			}
		}
		if best != "" {
			return best
		}
	}
	// The same (or a close) name elsewhere: a key in the wrong table.
	var found []string
	walkKeys(reflect.TypeOf(fileConfig{}), "", func(path, name string) {
		if name == strings.ToLower(last) && path != plain {
			found = append(found, path)
		}
	})
	if len(found) == 1 {
		return found[0] + " (in its own table)"
	}
	return ""
}

func typeAt(t reflect.Type, path []string) (reflect.Type, bool) {
	for _, p := range path {
		t = elem(t)
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem() // roles.<id>
			continue
		case reflect.Struct:
			f, ok := fieldByTag(t, p)
			if !ok {
				return nil, false
			}
			t = f.Type
		default:
			return nil, false
		}
	}
	t = elem(t)
	if t.Kind() == reflect.Map {
		t = elem(t.Elem())
	}
	return t, t.Kind() == reflect.Struct
}

func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("toml"), ","); tag == name {
			return f, true
		}
		if f.Anonymous {
			if sf, ok := fieldByTag(elem(f.Type), name); ok {
				return sf, true
			}
		}
	}
	return reflect.StructField{}, false
}

func tomlKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && elem(f.Type).Kind() == reflect.Struct {
			out = append(out, tomlKeys(elem(f.Type))...)
			continue
		}
		if tag, _, _ := strings.Cut(f.Tag.Get("toml"), ","); tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

// walkKeys calls fn for every key of the config's shape, with its path.
func walkKeys(t reflect.Type, prefix string, fn func(path, name string)) {
	t = elem(t)
	if t.Kind() == reflect.Map {
		walkKeys(t.Elem(), prefix+".<id>", fn)
		return
	}
	if t.Kind() != reflect.Struct || t.PkgPath() == "time" {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if f.Anonymous {
			walkKeys(f.Type, prefix, fn)
			continue
		}
		if tag == "" || tag == "-" {
			continue
		}
		path := strings.TrimPrefix(prefix+"."+tag, ".")
		fn(path, tag)
		if ft := elem(f.Type); ft.Name() != "fileDate" {
			walkKeys(f.Type, path, fn)
		}
	}
}

// distance is the Damerau-Levenshtein (optimal string alignment) distance.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
