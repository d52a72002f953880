package config

import (
	"fmt"
	"strings"
)

// lineIndex maps key paths to the line that sets them. BurntSushi/toml
// reports positions only for syntax errors, so validation problems find
// their line here. Paths look like "sop[0].step[3].waktu"; the same path
// without indices ("sop.step.waktu") maps to its first occurrence, which is
// what MetaData.Undecoded() gives.
type lineIndex struct {
	exact   map[string]int
	noIndex map[string]int
}

func indexLines(src string) lineIndex {
	li := lineIndex{exact: map[string]int{}, noIndex: map[string]int{}}
	counts := map[string]int{} // "sop[0].step" -> tables seen
	cur, curPlain := "", ""
	for n, raw := range strings.Split(src, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.HasPrefix(line, "[[") {
			name := strings.TrimSpace(strings.Trim(strings.SplitN(line, "]]", 2)[0], "[ "))
			parts := strings.Split(name, ".")
			path := resolve(parts[:len(parts)-1], counts)
			arr := join(path, parts[len(parts)-1])
			cur = fmt.Sprintf("%s[%d]", arr, counts[arr])
			counts[arr]++
			curPlain = name
		} else if line[0] == '[' {
			name := strings.TrimSpace(strings.Trim(strings.SplitN(line, "]", 2)[0], "[ "))
			parts := strings.Split(name, ".")
			cur = join(resolve(parts[:len(parts)-1], counts), parts[len(parts)-1])
			curPlain = name
		} else if eq := strings.IndexByte(line, '='); eq > 0 {
			key := strings.Trim(strings.TrimSpace(line[:eq]), `"`)
			li.set(join(cur, key), join(curPlain, key), n+1)
			continue
		} else {
			continue
		}
		li.set(cur, curPlain, n+1)
	}
	return li
}

func (li lineIndex) set(exact, plain string, line int) {
	if _, ok := li.exact[exact]; !ok {
		li.exact[exact] = line
	}
	if _, ok := li.noIndex[plain]; !ok {
		li.noIndex[plain] = line
	}
}

// resolve turns ["sop","step"] into "sop[N].step[M]" using the latest
// index of each array of tables seen so far.
func resolve(parts []string, counts map[string]int) string {
	path := ""
	for _, p := range parts {
		path = join(path, p)
		if c, ok := counts[path]; ok && c > 0 {
			path = fmt.Sprintf("%s[%d]", path, c-1)
		}
	}
	return path
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// line finds the line of key, falling back to its parents.
func (li lineIndex) line(key string) int {
	for k := key; k != ""; {
		if n, ok := li.exact[k]; ok {
			return n
		}
		if n, ok := li.noIndex[k]; ok {
			return n
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}
