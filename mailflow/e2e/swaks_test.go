package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/bangkatengah/mailflow/mailflow/demo"
)

// swaks returns a demo.Client that composes and submits the reply with
// swaks, a standard SMTP tool: our parser then reads mail it didn't write.
func swaks(t *testing.T) func(demo.ClientReply) error {
	path, err := exec.LookPath("swaks")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("swaks is missing in CI: .ci/mailservers.sh install should provide it")
		}
		t.Log("swaks not installed: the step 3 reply uses the built-in client")
		return nil
	}
	return func(r demo.ClientReply) error {
		cmd := exec.Command(path, "--server", r.SMTPAddr, "--auth", "PLAIN", "--auth-user", r.From, "--auth-password", r.Password,
			"--from", r.From, "--to", r.To, "--header", "Subject: "+r.Subject,
			"--header", "In-Reply-To: <"+r.InReplyTo+">", "--header", "References: <"+r.InReplyTo+">",
			"--body", r.Body, "--silent", "2")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("swaks: %v\n%s", err, out)
		}
		return nil
	}
}
