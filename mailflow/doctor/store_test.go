package doctor

import (
	"context"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"
)

func checkStore(t *testing.T, loc string) Report {
	t.Helper()
	d := &doctor{opt: Options{Config: &config.Config{Store: config.Store{URL: config.Secret(loc)}}, Timeout: 10 * time.Second, Now: time.Now}}
	d.postgres(context.Background())
	return d.r
}

// TestPostgresStoreCheck: the doctor reads a PostgreSQL store without
// changing it and says what to fix: a new schema will be created (and is
// not created by the doctor), a migrated one is named with its version
// and its mailbox lease, a schema from a newer mailflow fails, a closed
// port and a missing database fail with different fixes. A test cluster has
// no standby: that is a warning.
func TestPostgresStoreCheck(t *testing.T) {
	base := os.Getenv(storetest.Env)
	if base == "" {
		t.Skip("set " + storetest.Env + " (.ci/pg.sh)")
	}
	loc := storetest.FreshPostgres(t, base)
	r := checkStore(t, loc)
	if c, ok := r.Find("store"); !ok || c.Status != OK || !strings.Contains(c.Detail, "new, mailflow creates its tables") {
		t.Fatalf("new store: %+v", r)
	}
	if c, ok := r.Find("store replica"); !ok || (c.Status != Warn && c.Status != Skip) {
		t.Errorf("replica check on a cluster without standby: %+v", c)
	}
	p, err := store.ProbePostgres(context.Background(), loc)
	if err != nil || p.Version != 0 {
		t.Fatalf("the doctor changed the store: %+v %v", p, err)
	}

	st, err := store.Open(loc, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := st.Acquire(context.Background(), "mailbox:INBOX", "host-a:42", time.Minute)
	if err != nil || l == nil {
		t.Fatal(l, err)
	}
	r = checkStore(t, loc)
	var out strings.Builder
	r.Print(&out)
	t.Logf("doctor on a migrated store:\n%s", out.String())
	if c, _ := r.Find("store"); c.Status != OK || !strings.Contains(c.Detail, "schema version ") {
		t.Errorf("migrated store: %+v", c)
	}
	if c, ok := r.Find("mailbox lease"); !ok || !strings.Contains(c.Detail, "host-a:42 (generation 1, live)") {
		t.Errorf("lease: %+v", c)
	}
	st.Close()

	// A newer mailflow's schema.
	conn, err := pgx.Connect(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "UPDATE schema_version SET version = version + 1"); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background())
	if c, _ := checkStore(t, loc).Find("store"); c.Status != Fail || !strings.Contains(c.Fix, "newer mailflow") {
		t.Errorf("future schema: %+v", c)
	}

	u, _ := url.Parse(loc)
	// Nothing listens.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	closed := *u
	closed.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if c, _ := checkStore(t, closed.String()).Find("store"); c.Status != Fail || !strings.Contains(c.Fix, "listen") {
		t.Errorf("closed port: %+v", c)
	}
	// A database that does not exist.
	nodb := *u
	nodb.Path = "/tidak_ada"
	if c, _ := checkStore(t, nodb.String()).Find("store"); c.Status != Fail || !strings.Contains(c.Fix, "createdb") {
		t.Errorf("missing database: %+v", c)
	}
}
