package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// reach runs the "dns" and "tcp" checks of one server and returns the
// connection, or nil after reporting why there is none.
func (d *doctor) reach(ctx context.Context, proto string, s config.Server) net.Conn {
	addr := net.JoinHostPort(s.Host, fmt.Sprint(s.Port))
	if s.Host == "" {
		d.fail(proto+" dns", "no host configured", fmt.Sprintf("set [mail.%s] host", proto))
		return nil
	}
	if net.ParseIP(strings.Trim(s.Host, "[]")) != nil {
		d.ok(proto+" dns", s.Host+" is an IP address")
	} else {
		lctx, cancel := context.WithTimeout(ctx, d.opt.Timeout)
		addrs, err := d.opt.Resolver.LookupHost(lctx, s.Host)
		cancel()
		if err != nil {
			d.fail(proto+" dns", fmt.Sprintf("%s does not resolve: %v", s.Host, err),
				fmt.Sprintf("check [mail.%s] host for typos, and this machine's DNS (resolvectl status, /etc/resolv.conf)", proto))
			d.skip(proto+" tcp", "needs DNS")
			return nil
		}
		d.ok(proto+" dns", s.Host+" → "+strings.Join(addrs[:min(len(addrs), 3)], ", "))
	}
	t0 := time.Now()
	conn, err := (&net.Dialer{Timeout: d.opt.Timeout}).DialContext(ctx, "tcp", addr)
	if err != nil {
		fix := fmt.Sprintf("check [mail.%s] port (%s) and that no firewall blocks this machine from %s (try: nc -vz %s %d)",
			proto, map[string]string{"imap": "993 with tls = \"implicit\", 143 with \"starttls\"", "smtp": "465 with tls = \"implicit\", 587 with \"starttls\""}[proto], addr, s.Host, s.Port)
		if d.opt.Embedded {
			fix = "start \"mailflow run\": the embedded mail servers run inside it"
		}
		d.fail(proto+" tcp", fmt.Sprintf("cannot connect to %s: %v", addr, err), fix)
		return nil
	}
	d.ok(proto+" tcp", fmt.Sprintf("%s answered in %d ms", addr, time.Since(t0).Milliseconds()))
	return conn
}

// tlsProbe verifies the server's certificate itself, so that the report
// can say which way it is wrong (host, expiry, authority). The handshake
// fails when it is wrong: no password is sent over an unverified link.
type tlsProbe struct {
	host  string
	roots *x509.CertPool
	state *tls.ConnectionState
	err   error
}

func (d *doctor) newProbe(host string) *tlsProbe {
	p := &tlsProbe{host: host}
	if d.opt.TLSConfig != nil {
		p.roots = d.opt.TLSConfig.RootCAs
	}
	return p
}

func (p *tlsProbe) config() *tls.Config {
	return &tls.Config{
		ServerName:         p.host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified below, with the reason kept
		VerifyConnection: func(cs tls.ConnectionState) error {
			p.state = &cs
			if len(cs.PeerCertificates) == 0 {
				p.err = errors.New("the server sent no certificate")
				return p.err
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, p.err = cs.PeerCertificates[0].Verify(x509.VerifyOptions{DNSName: p.host, Roots: p.roots, Intermediates: inter})
			return p.err
		},
	}
}

// report adds the "tls" check; ok says whether the connection may go on.
func (d *doctor) tlsReport(proto string, p *tlsProbe, handshake error) bool {
	name := proto + " tls"
	if p.err == nil && handshake != nil {
		d.fail(name, "TLS handshake failed: "+handshake.Error(),
			fmt.Sprintf("tls = \"implicit\" needs the TLS port (%s), \"starttls\" the plain one (%s); check [mail.%s] tls and port",
				map[string]string{"imap": "993", "smtp": "465"}[proto], map[string]string{"imap": "143", "smtp": "587"}[proto], proto))
		return false
	}
	if p.state == nil || len(p.state.PeerCertificates) == 0 {
		d.fail(name, "no certificate: "+fmt.Sprint(p.err), "the server must present a certificate")
		return false
	}
	leaf := p.state.PeerCertificates[0]
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	switch {
	case p.err == nil:
	case errors.As(p.err, &hostErr):
		d.fail(name, fmt.Sprintf("the certificate is for %s, not %s", names(leaf), p.host),
			fmt.Sprintf("set [mail.%s] host to a name the certificate lists (%s), or have the server's certificate include %s", proto, names(leaf), p.host))
		return false
	case errors.As(p.err, &invalid) && invalid.Reason == x509.Expired:
		d.fail(name, fmt.Sprintf("the certificate for %s expired on %s (or is not valid yet: from %s)", p.host, leaf.NotAfter.Format(time.DateOnly), leaf.NotBefore.Format(time.DateOnly)),
			"the mail server's admin must renew the certificate; if these dates look right, check this machine's clock (timedatectl)")
		return false
	case errors.As(p.err, &unknown):
		d.fail(name, fmt.Sprintf("the certificate for %s is signed by an unknown authority (%s)", p.host, leaf.Issuer.CommonName),
			"give the server a certificate from a public CA, or, for a private CA, install its certificate on this machine: cp ca.crt /usr/local/share/ca-certificates/ && update-ca-certificates")
		return false
	default:
		d.fail(name, "the certificate does not verify: "+p.err.Error(), "the mail server's admin must fix its certificate chain")
		return false
	}
	if handshake != nil {
		d.fail(name, "TLS handshake failed after the certificate: "+handshake.Error(), "check the server's TLS settings")
		return false
	}
	left := time.Until(leaf.NotAfter)
	detail := fmt.Sprintf("%s, certificate for %s by %s, valid until %s (%d days)", tls.VersionName(p.state.Version), p.host, leaf.Issuer.CommonName,
		leaf.NotAfter.Format(time.DateOnly), int(left.Hours()/24))
	if left < 14*24*time.Hour {
		d.warn(name, detail, "the certificate expires within 14 days: make sure it is renewed (certbot renew, or ask the provider)")
	} else {
		d.ok(name, detail)
	}
	return true
}

func names(c *x509.Certificate) string {
	if len(c.DNSNames) > 0 {
		return strings.Join(c.DNSNames, ", ")
	}
	return c.Subject.CommonName
}
