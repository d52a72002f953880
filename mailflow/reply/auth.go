package reply

import (
	"strings"

	"github.com/emersion/go-msgauth/authres"
	"golang.org/x/net/publicsuffix"
)

// maxAuthHeaders bounds how many Authentication-Results fields are read.
const maxAuthHeaders = 20

// HeaderValues is a header that lists every value of a field.
type HeaderValues interface {
	Values(key string) []string
}

// authVerdict reads the topmost Authentication-Results field whose
// authserv-id is the trusted one (RFC 8601 §5: our MTA adds its own on
// top and removes forged ones with its id). Others are ignored.
func authVerdict(h HeaderValues, trusted string) AuthVerdict {
	var v AuthVerdict
	if trusted == "" {
		return v
	}
	vals := h.Values("Authentication-Results")
	if len(vals) > maxAuthHeaders {
		vals = vals[:maxAuthHeaders]
	}
	for _, raw := range vals {
		id, results, err := authres.Parse(raw)
		if err != nil || !strings.EqualFold(strings.TrimSpace(id), trusted) {
			continue
		}
		v.Trusted = true
		for _, r := range results {
			switch r := r.(type) {
			case *authres.DKIMResult:
				if r.Value == authres.ResultPass {
					v.DKIM = true
					if r.Domain != "" {
						v.DKIMDomains = append(v.DKIMDomains, strings.ToLower(r.Domain))
					}
				}
			case *authres.DMARCResult:
				if r.Value == authres.ResultPass {
					v.DMARC = true
					if d := normDomain(r.From); d != "" {
						v.dmarcFrom = append(v.dmarcFrom, d)
					}
				}
			case *authres.SPFResult:
				v.SPF = v.SPF || r.Value == authres.ResultPass
			}
		}
		return v
	}
	return v
}

// align binds the verdict to the From address (issue 9 §2): a pass
// counts only for the domain the reader sees. A message without exactly
// one From address is never aligned.
func (v *AuthVerdict) align(from string, fromCount int) {
	v.DKIMAligned, v.DMARCAligned = false, false
	_, dom, ok := strings.Cut(from, "@")
	dom = normDomain(dom)
	if !v.Trusted || fromCount != 1 || !ok || dom == "" || strings.Contains(dom, "@") {
		v.dmarcFrom = nil
		return
	}
	org, err := publicsuffix.EffectiveTLDPlusOne(dom)
	if err != nil {
		org = dom
	}
	for _, d := range v.DKIMDomains {
		if d = normDomain(d); d == dom || d == org {
			v.DKIMAligned = true
		}
	}
	for _, d := range v.dmarcFrom {
		if d == dom {
			v.DMARCAligned = true
		}
	}
	v.dmarcFrom = nil
}

// normDomain lower-cases a domain and drops a final dot.
func normDomain(d string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
}

// ParseAuthResults is authVerdict for one raw field value; it exists for
// the fuzz target and for tools.
func ParseAuthResults(value, trusted string) AuthVerdict {
	return authVerdict(MapHeader{"Authentication-Results": {value}}, trusted)
}

// AuthFor reads Authentication-Results fields (topmost first) as Parse
// does for a message from the address from with fromCount From addresses.
func AuthFor(values []string, trusted, from string, fromCount int) AuthVerdict {
	v := authVerdict(MapHeader{"Authentication-Results": values}, trusted)
	v.align(strings.ToLower(from), fromCount)
	return v
}
