package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/doctor"
	"github.com/bangkatengah/mailflow/mailflow/oauth"
)

func cmdDoctor(args []string) int {
	return runDoctor(context.Background(), args, os.Stdout, os.Stderr, doctor.Options{})
}

// runDoctor checks that the config will work; base carries test seams
// (TLS roots, clock).
func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer, base doctor.Options) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	send := fs.Bool("send", false, "also mail a test message to office.admin and wait for it to come back through IMAP")
	wait := fs.Duration("wait", 2*time.Minute, "how long -send waits for the test message")
	timeout := fs.Duration("timeout", 15*time.Second, "timeout of each network step")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, ok := c.load(stderr)
	if !ok {
		return 1
	}
	opt := base
	opt.Config, opt.DataDir, opt.Send, opt.SendTimeout, opt.Timeout = cfg, app.DataDir(cfg), *send, *wait, *timeout
	imapCfg, smtpCfg := cfg.Mail.IMAP, cfg.Mail.SMTP
	if cfg.Mail.Mode == "embedded" {
		opt.Embedded = true
		pw := embeddedPassword(filepath.Join(opt.DataDir, "embedded-accounts.txt"), cfg.Office.Mailbox)
		imapCfg = config.IMAP{Server: loopbackServer(cfg.Mail.EmbeddedIMAP, cfg.Office.Mailbox, pw), Mailbox: "INBOX", Keyword: "$MailflowDone"}
		smtpCfg = config.SMTP{Server: loopbackServer(cfg.Mail.EmbeddedSMTP, cfg.Office.Mailbox, pw), SentFolder: "Sent"}
		fmt.Fprintf(stdout, "mode = \"embedded\": checking the embedded servers of a running \"mailflow run\" (%s, %s)\n\n", cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP)
	} else if o := cfg.Mail.OAuth; o != nil {
		src, err := oauth.Open(o, opt.DataDir, oauth.SourceOptions{})
		if err == nil {
			_, err = src.Token()
		}
		if err != nil {
			opt.OAuthError = err
		} else {
			opt.OAuthDetail = fmt.Sprintf("%s refresh token in %s works; a fresh access token was issued", o.Provider, filepath.Join(opt.DataDir, oauth.TokenFile))
			imapCfg.Token, smtpCfg.Token = src, src
		}
	}
	opt.IMAP, opt.SMTP = &imapCfg, &smtpCfg
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	r := doctor.Run(ctx, opt)
	r.Print(stdout)
	if r.Failed() {
		return 1
	}
	return 0
}

func loopbackServer(addr, user, pw string) config.Server {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return config.Server{Host: host, Port: p, TLS: "none", Username: user, Password: config.Secret(pw)}
}

// embeddedPassword reads one account's password from the file "mailflow
// run" keeps in embedded mode ("address password" lines).
func embeddedPassword(path, addr string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if a, pw, ok := strings.Cut(strings.TrimSpace(sc.Text()), " "); ok && strings.EqualFold(a, addr) {
			return pw
		}
	}
	return ""
}
