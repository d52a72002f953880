package config_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/config"
)

// TestSMTPConnections: [mail.smtp] connections defaults to 3, takes 1 to
// 10, and anything else is an error naming the key.
func TestSMTPConnections(t *testing.T) {
	src, _ := os.ReadFile("testdata/base.toml")
	c, err := config.Parse(string(src), config.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.SMTP.Conns != config.DefaultSMTPConns {
		t.Errorf("default: %d", c.Mail.SMTP.Conns)
	}
	with := func(n string) string {
		return strings.Replace(string(src), "[mail.smtp]", "[mail.smtp]\nconnections = "+n, 1)
	}
	if c, err = config.Parse(with("1"), config.Options{Env: env}); err != nil || c.Mail.SMTP.Conns != 1 {
		t.Errorf("connections = 1: %v %d", err, c.Mail.SMTP.Conns)
	}
	for _, n := range []string{"-1", "11"} {
		_, err := config.Parse(with(n), config.Options{Env: env})
		var errs config.Errors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Key != "mail.smtp.connections" {
			t.Errorf("connections = %s: %v", n, err)
		}
	}
}
