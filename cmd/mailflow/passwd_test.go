package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/web"
)

// TestPasswd: the printed entry, appended to the shipped config, loads and
// its hash verifies the password read from stdin.
func TestPasswd(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := runPasswd([]string{"Rina"}, strings.NewReader("kata-sandi-panjang\n"), &out, &errb); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	src, err := os.ReadFile("../../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(string(src)+"\n"+out.String(), config.Options{Env: func(string) (string, bool) { return "x", true }})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	acc, ok := cfg.Web.Account("rina")
	if !ok || !web.CheckPassword(acc.Hash.Reveal(), "kata-sandi-panjang") || web.CheckPassword(acc.Hash.Reveal(), "kata-sandi-panjanG") {
		t.Fatalf("account %+v", acc)
	}
	if rc := runPasswd([]string{"rina"}, strings.NewReader("pendek\n"), &out, &errb); rc == 0 {
		t.Fatal("a short password was accepted")
	}
}

// TestPasswdOffices: with -offices the entry carries the grant, and a
// console file made of it loads against the deployment's offices.
func TestPasswdOffices(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := runPasswd([]string{"-offices", "dinsos, bappeda", "sari"}, strings.NewReader("kata-sandi-panjang\n"), &out, &errb); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), `offices = ["dinsos", "bappeda"]`) {
		t.Fatalf("entry:\n%s", out.String())
	}
	con, err := config.ParseConsole(out.String(), []string{"bappeda", "dinsos", "pupr"}, config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !con.Granted("sari", "dinsos") || !con.Granted("sari", "bappeda") || con.Granted("sari", "pupr") {
		t.Fatalf("grants %v", con.Grants)
	}
}
