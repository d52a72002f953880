package reply

import (
	"strings"

	"github.com/emersion/go-msgauth/authres"
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
				v.DMARC = v.DMARC || r.Value == authres.ResultPass
			case *authres.SPFResult:
				v.SPF = v.SPF || r.Value == authres.ResultPass
			}
		}
		return v
	}
	return v
}

// ParseAuthResults is authVerdict for one raw field value; it exists for
// the fuzz target and for tools.
func ParseAuthResults(value, trusted string) AuthVerdict {
	return authVerdict(MapHeader{"Authentication-Results": {value}}, trusted)
}
