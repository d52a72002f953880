package web_test

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/bangkatengah/mailflow/mailflow/daemon"
	"github.com/bangkatengah/mailflow/mailflow/store/storetest"

	"github.com/bangkatengah/mailflow/mailflow/app"
	"github.com/bangkatengah/mailflow/mailflow/config"
	"github.com/bangkatengah/mailflow/mailflow/demo"
	"github.com/bangkatengah/mailflow/mailflow/store"
	"github.com/bangkatengah/mailflow/mailflow/web"
)

// grant404 is the body of the answer for an office that is not granted
// (or does not exist): the grant check's, not a handler's.
const grant404 = "Halaman tidak ditemukan."

// deployment is several offices (the sample config, each with its own
// mailbox and data dir) behind one console, as mailflow run -config-dir.
type deployment struct {
	D       *app.Deployment
	Web     *web.Server
	URL     string
	Offices map[string]*app.App
	Run     string // the demo's finished run, in the office demoIn
}

func hashed(t testing.TB) config.Secret {
	hashOnce.Do(func() {
		var err error
		if testHash, err = web.HashPassword(testPassword); err != nil {
			t.Fatal(err)
		}
	})
	return config.Secret(testHash)
}

// startDeployment builds the offices ids (the demo played into demoIn's
// data dir, if named) and serves their console with these grants
// (account → offices). run: also run the offices (mail servers, IMAP).
func startDeployment(t testing.TB, ids []string, grants map[string][]string, demoIn string, run bool) *deployment {
	t.Helper()
	return startDeploymentOpt(t, ids, grants, demoIn, run, web.Options{}, nil)
}

// startDeploymentOpt: with the console's options, and edit (if not nil)
// changing each office's config.
func startDeploymentOpt(t testing.TB, ids []string, grants map[string][]string, demoIn string, run bool, opt web.Options,
	edit func(id string, c *config.Config)) *deployment {
	t.Helper()
	cfgPath, _ := filepath.Abs("../../config.toml")
	dep := &deployment{Offices: map[string]*app.App{}}
	var offs []config.Office
	for _, id := range ids {
		dir := t.TempDir()
		if id == demoIn {
			res, err := demo.Run(context.Background(), demo.Options{ConfigPath: cfgPath, DataDir: dir, Out: io.Discard})
			if err != nil {
				t.Fatalf("demo: %v", err)
			}
			dep.Run = res.Run.ID
		}
		cfg, err := config.Load(cfgPath, config.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cfg.DataDir = dir
		cfg.Office.Name, cfg.ShortName = "Kantor "+strings.ToUpper(id), "K-"+strings.ToUpper(id)
		if id != demoIn { // the demo's mail went to the sample's mailbox
			cfg.Office.Mailbox = "sekretariat@" + id + ".bangkatengahkab.go.id"
		}
		cfg.Mail.Mode = "embedded"
		cfg.Mail.EmbeddedIMAP, cfg.Mail.EmbeddedSMTP = "127.0.0.1:0", "127.0.0.1:0"
		if edit != nil {
			edit(id, cfg)
		}
		offs = append(offs, config.Office{ID: id, Config: cfg})
	}
	log := slog.New(slog.DiscardHandler)
	d, err := app.BuildOffices(offs, log, app.Options{PollInterval: time.Second, MaxWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	con := &config.Console{Web: config.Web{Listen: "127.0.0.1:0", ReadyIMAP: 10 * time.Minute}, Grants: grants}
	for name := range grants {
		con.Web.Accounts = append(con.Web.Accounts, config.WebAccount{Name: name, Hash: hashed(t)})
	}
	opt.Log = log
	srv, err := web.NewDeployment(d, con, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); srv.Serve(ctx) }()
	if run {
		wg.Add(1)
		go func() { defer wg.Done(); d.Run(ctx) }()
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		d.Close()
	})
	for _, o := range d.Offices {
		dep.Offices[o.ID] = o.App
	}
	dep.D, dep.Web, dep.URL = d, srv, srv.URL()
	return dep
}

// fill makes a route's pattern a path with real-looking values.
func fill(pattern, runID string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.NewReplacer("{$}", "", "{id}", runID, "{kind}", "msg", "{ref}", "1", "{sha}", strings.Repeat("ab", 32), "{oid}", "1").Replace(path)
	return method, path
}

func runCount(t testing.TB, a *app.App) (n int, seq int64) {
	a.Store.View(context.Background(), func(tx *store.Tx) error {
		rs, err := tx.Runs("")
		n = len(rs)
		for _, r := range rs {
			run, _ := tx.LoadRun(r.ID)
			seq += run.Seq
		}
		return err
	})
	return n, seq
}

// TestDeploymentGrants: an account granted one office gets, on every
// route of another office (GET and POST, pages, downloads, .eml), the
// same 404 as for an office that does not exist, and changes nothing
// there; in its own office it acts, recorded as web:<account>.
func TestDeploymentGrants(t *testing.T) {
	dep := startDeployment(t, []string{"dinsos", "bappeda"}, map[string][]string{"rina": {"dinsos"}, "kominfo": {"*"}}, "", false)
	res, err := dep.Offices["bappeda"].Engine.Start(context.Background(), "lakip", "LAKIP Bappeda", "uji", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	hc := client(t)
	st, csrf := login(t, hc, dep.URL, "rina", testPassword)
	if st != http.StatusSeeOther || csrf == "" {
		t.Fatalf("login %d", st)
	}
	all := client(t)
	_, csrfAll := login(t, all, dep.URL, "kominfo", testPassword)
	n0, seq0 := runCount(t, dep.Offices["bappeda"])
	for _, rt := range web.Routes() {
		method, path := fill(rt, res.Run.ID)
		for _, off := range []string{"bappeda", "pupr", "Dinsos", "dinsos%2F..%2Fbappeda"} {
			u := dep.URL + web.OfficePrefix + off + path
			var st int
			var body string
			if method == http.MethodGet {
				st, body = get(t, hc, u)
			} else {
				st, _, body = post(t, hc, u, url.Values{"csrf": {csrf}, "sop": {"lakip"}, "judul": {"Curian"}, "langkah": {"2"}, "alasan": {"x"}, "batal": {"1"}})
			}
			if st != http.StatusNotFound || !strings.Contains(body, grant404) || strings.Contains(body, "BAPPEDA") {
				t.Errorf("rina %s %s: %d, want the grant's 404\n%s", method, u, st, body)
			}
		}
	}
	if n, seq := runCount(t, dep.Offices["bappeda"]); n != n0 || seq != seq0 {
		t.Fatalf("requests to a non-granted office changed it: runs %d→%d, seq %d→%d", n0, n, seq0, seq)
	}
	// The same routes, for an account granted all offices, pass the grant
	// check (whatever the handler then says).
	for _, rt := range web.Routes() {
		method, path := fill(rt, res.Run.ID)
		u := dep.URL + web.OfficePrefix + "bappeda" + path
		var body string
		if method == http.MethodGet {
			_, body = get(t, all, u)
		} else {
			_, _, body = post(t, all, u, url.Values{"csrf": {csrfAll}, "judul": {""}})
		}
		if strings.Contains(body, grant404) {
			t.Errorf("kominfo %s %s: refused as not granted", method, u)
		}
	}
	// In its own office the account starts a run: under the prefix, in
	// that office's store, recorded as web:rina.
	st, loc, _ := post(t, hc, dep.URL+"/kantor/dinsos/start", url.Values{"csrf": {csrf}, "sop": {"lakip"}, "judul": {"LAKIP Dinsos"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/kantor/dinsos/run/") {
		t.Fatalf("start in dinsos: %d %s", st, loc)
	}
	runID := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/kantor/dinsos/run/")
	var actor string
	dep.Offices["dinsos"].Store.View(context.Background(), func(tx *store.Tx) error {
		evs, err := tx.Events(runID)
		if len(evs) > 0 {
			actor = evs[0].Actor
		}
		return err
	})
	if actor != "web:rina" {
		t.Fatalf("the start is recorded as %q", actor)
	}
	if st, body := get(t, hc, dep.URL+loc); st != http.StatusOK || !strings.Contains(body, "LAKIP Dinsos") {
		t.Fatalf("run page %d", st)
	}
	// An office's path without its slash leads to its runs.
	if st, _, _ := func() (int, string, string) {
		resp, err := hc.Get(dep.URL + "/kantor/dinsos")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Location"), ""
	}(); st != http.StatusSeeOther {
		t.Fatalf("/kantor/dinsos: %d", st)
	}
	// Nobody logged in: the login page, for any office, existing or not.
	for _, p := range []string{"/kantor/bappeda/", "/kantor/pupr/"} {
		resp, err := client(t).Get(dep.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Errorf("%s without a session: %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

// officeIDs reads the offices a Daftar Kantor page lists.
func officeIDs(t testing.TB, body string) []string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for n := range doc.Descendants() {
		for _, a := range n.Attr {
			if a.Key == "data-office" {
				ids = append(ids, a.Val)
			}
		}
	}
	return ids
}

// TestDeploymentOfficesList: "/" lists the offices granted, with their
// open runs; an all-offices account sees every one.
func TestDeploymentOfficesList(t *testing.T) {
	dep := startDeployment(t, []string{"bappeda", "dinsos", "kec-koba"}, map[string][]string{"rina": {"dinsos", "kec-koba"}, "kominfo": {"*"}}, "", false)
	for range 2 {
		if _, err := dep.Offices["dinsos"].Engine.Start(context.Background(), "lakip", "LAKIP", "uji", "", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	hc := client(t)
	login(t, hc, dep.URL, "rina", testPassword)
	st, body := get(t, hc, dep.URL+"/")
	if got := strings.Join(officeIDs(t, body), ","); st != http.StatusOK || got != "dinsos,kec-koba" {
		t.Fatalf("rina sees %q (%d)", got, st)
	}
	if strings.Contains(body, "BAPPEDA") || !strings.Contains(body, "Daftar Kantor") {
		t.Fatalf("the list shows a non-granted office or lacks its title:\n%s", body)
	}
	i := strings.Index(body, `data-office="dinsos"`)
	if row := body[i : i+strings.Index(body[i:], "</tr>")]; !strings.Contains(row, `<td class="open">2</td>`) || !strings.Contains(row, "sekretariat@dinsos") {
		t.Fatalf("dinsos row: %s", row)
	}
	all := client(t)
	login(t, all, dep.URL, "kominfo", testPassword)
	if _, body := get(t, all, dep.URL+"/"); strings.Join(officeIDs(t, body), ",") != "bappeda,dinsos,kec-koba" {
		t.Fatalf("kominfo sees %v", officeIDs(t, body))
	}
}

// TestDeploymentLinks: every link and form of an office's pages carries
// the office's prefix; only the offices list, logout and the stylesheet
// are the deployment's.
func TestDeploymentLinks(t *testing.T) {
	dep := startDeployment(t, []string{"bappeda", "dinsos"}, map[string][]string{"rina": {"dinsos"}}, "dinsos", false)
	hc := client(t)
	login(t, hc, dep.URL, "rina", testPassword)
	const base = "/kantor/dinsos"
	global := map[string]bool{"/": true, "/logout": true, "/static/style.css": true}
	checked := 0
	for _, p := range []string{"/", "/run/" + dep.Run, "/outbox", "/health", "/run/nope"} {
		_, body := get(t, hc, dep.URL+base+p)
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for n := range doc.Descendants() {
			for _, a := range n.Attr {
				if a.Key != "href" && a.Key != "action" && a.Key != "src" {
					continue
				}
				checked++
				if !strings.HasPrefix(a.Val, base+"/") && !global[a.Val] {
					t.Errorf("%s%s: <%s %s=%q> lacks the office's prefix", base, p, n.Data, a.Key, a.Val)
				}
			}
		}
	}
	// The demo's run page links its mail, files and reports: many links.
	if checked < 50 {
		t.Fatalf("only %d links checked", checked)
	}
	// The links lead somewhere: the run's report and a .eml.
	_, body := get(t, hc, dep.URL+base+"/run/"+dep.Run)
	for _, want := range []string{base + "/run/" + dep.Run + "/laporan.pdf", base + "/run/" + dep.Run + "/eml/"} {
		i := strings.Index(body, want)
		if i < 0 {
			t.Fatalf("run page lacks %s", want)
		}
		href := body[i : i+strings.IndexByte(body[i:], '"')]
		if st, _ := get(t, hc, dep.URL+html.UnescapeString(href)); st != http.StatusOK {
			t.Errorf("%s: %d", href, st)
		}
	}
}

// TestDeploymentOperatorEndpoints: /metrics has every office's series,
// labelled; /readyz lists each office.
func TestDeploymentOperatorEndpoints(t *testing.T) {
	dep := startDeployment(t, []string{"bappeda", "dinsos"}, map[string][]string{"rina": {"*"}}, "", true)
	hc := client(t)
	for _, a := range dep.Offices {
		waitFor(t, "IMAP up", func() bool { return a.Metrics.Live.Snapshot().IMAPUp })
	}
	st, body := get(t, hc, dep.URL+"/readyz")
	if st != http.StatusOK || !strings.Contains(body, "office bappeda: ready") || !strings.Contains(body, "office dinsos: ready") {
		t.Fatalf("/readyz %d:\n%s", st, body)
	}
	_, body = get(t, hc, dep.URL+"/metrics")
	for _, want := range []string{`mailflow_imap_up{office="bappeda"} 1`, `mailflow_imap_up{office="dinsos"} 1`, "go_goroutines "} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `go_goroutines{office=`) {
		t.Error("process series are labelled per office")
	}
}

// TestSingleOfficeHasNoOffices: the console of one office keeps its URLs;
// the deployment's do not exist there.
func TestSingleOfficeHasNoOffices(t *testing.T) {
	c := startConsole(t, false)
	hc := client(t)
	login(t, hc, c.URL, testAccount, testPassword)
	if st, body := get(t, hc, c.URL+"/"); st != http.StatusOK || !strings.Contains(body, "Proses berjalan") || strings.Contains(body, "Daftar Kantor") {
		t.Fatalf("/ of one office: %d", st)
	}
	if st, _ := get(t, hc, c.URL+"/kantor/x/"); st != http.StatusNotFound {
		t.Fatalf("/kantor/x/ of one office: %d", st)
	}
	// Its links are the same as before deployments existed.
	for _, p := range []string{"/", "/outbox", "/health"} {
		_, body := get(t, hc, c.URL+p)
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var links []string
		for n := range doc.Descendants() {
			for _, a := range n.Attr {
				if a.Key == "href" || a.Key == "action" {
					links = append(links, a.Val)
				}
			}
		}
		got := strings.Join(links, " ")
		if strings.Contains(got, "/kantor") || !strings.Contains(got, " /outbox ") || !strings.Contains(got, " /health ") {
			t.Errorf("%s links: %s", p, got)
		}
	}
}

// TestGrantProperty: random grants × random offices × every route, with
// sessions made directly (no bcrypt): a request is served past the grant
// check exactly when the account's grant names the office (or "*") and
// the office exists.
func TestGrantProperty(t *testing.T) {
	ids := []string{"bappeda", "dinsos", "kec-koba"}
	dep := startDeployment(t, ids, map[string][]string{"x": {"dinsos"}}, "", false)
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	pool := append(append([]string{}, ids...), "pupr", "*", "DINSOS", "dinsos ", "")
	routes := web.Routes()
	before := map[string][2]int64{}
	for _, id := range ids {
		n, seq := runCount(t, dep.Offices[id])
		before[id] = [2]int64{int64(n), seq}
	}
	for i := range 150 {
		grants := map[string][]string{}
		for _, acc := range []string{"a", "b", "c"} {
			for range rng.IntN(3) {
				grants[acc] = append(grants[acc], pool[rng.IntN(len(pool))])
			}
		}
		con := &config.Console{Web: config.Web{Accounts: []config.WebAccount{{Name: "a"}, {Name: "b"}, {Name: "c"}}}, Grants: grants}
		srv, err := web.NewDeployment(dep.D, con, web.Options{Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		h := srv.Handler()
		acc := []string{"a", "b", "c"}[rng.IntN(3)]
		cookie, csrf := srv.TestSession(acc)
		off := pool[rng.IntN(len(pool)-1)] // not ""
		method, path := fill(routes[rng.IntN(len(routes))], "nope")
		want := false
		for _, g := range grants[acc] {
			want = want || ((g == "*" || g == off) && off != "*" && dep.Offices[off] != nil)
		}
		r := httptest.NewRequest(method, web.OfficePrefix+url.PathEscape(off)+path, strings.NewReader(url.Values{"csrf": {csrf}, "judul": {""}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		refused := w.Code == http.StatusNotFound && strings.Contains(w.Body.String(), grant404)
		if refused == want {
			t.Fatalf("case %d: %s %s as %s with grants %q: status %d, want granted=%v", i, method, r.URL.Path, acc, grants, w.Code, want)
		}
	}
	for _, id := range ids {
		if n, seq := runCount(t, dep.Offices[id]); [2]int64{int64(n), seq} != before[id] {
			t.Errorf("office %s changed", id)
		}
	}
}

// TestDeploymentLeases: who watches each mailbox (PostgreSQL's leases,
// faked here) shows in Daftar Kantor, the office's Kesehatan and /readyz;
// an office whose mailbox another live instance watches is ready here
// without IMAP, one whose lease lapsed is not.
func TestDeploymentLeases(t *testing.T) {
	leases := func(_ context.Context, a *app.App) ([]store.LeaseInfo, error) {
		switch a.Cfg.ShortName {
		case "K-BAPPEDA":
			return []store.LeaseInfo{{Name: "mailbox:bappeda", Holder: "db2/4242", Gen: 7, Live: true}}, nil
		case "K-DINSOS":
			return []store.LeaseInfo{{Name: "mailbox:dinsos", Holder: "db3/99", Gen: 3, Live: false}}, nil
		}
		return nil, nil
	}
	dep := startDeploymentOpt(t, []string{"bappeda", "dinsos", "pupr"}, map[string][]string{"rina": {"*"}}, "", false, web.Options{Leases: leases}, nil)
	hc := client(t)
	login(t, hc, dep.URL, "rina", testPassword)
	_, body := get(t, hc, dep.URL+"/")
	cell := func(id string) string {
		i := strings.Index(body, `data-office="`+id+`"`)
		row := body[i : i+strings.Index(body[i:], "</tr>")]
		return row[strings.Index(row, `class="opt lease"`):]
	}
	if !strings.Contains(cell("bappeda"), "db2/4242") || !strings.Contains(cell("dinsos"), "menunggu pengambilalihan") || !strings.Contains(cell("pupr"), "SQLite") {
		t.Fatalf("lease cells: %q %q %q", cell("bappeda"), cell("dinsos"), cell("pupr"))
	}
	if _, body := get(t, hc, dep.URL+"/kantor/bappeda/health"); !strings.Contains(body, `<dd id="lease">db2/4242</dd>`) {
		t.Fatal("the office's health page does not say who watches its mailbox")
	}
	st, body := get(t, hc, dep.URL+"/readyz")
	for _, want := range []string{"not ready: 2 of 3 offices", "office bappeda: ready", "office bappeda: mailbox held by db2/4242 (generation 7, live)",
		"office dinsos: not ready: IMAP: not connected yet", "office dinsos: mailbox held by db3/99 (generation 3, lapsed)", "office pupr: not ready"} {
		if !strings.Contains(body, want) {
			t.Errorf("/readyz lacks %q:\n%s", want, body)
		}
	}
	if st != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with offices not ready: %d", st)
	}
	if strings.Contains(body, "mailbox:bappeda") {
		t.Error("/readyz, open to anyone, shows a lease's name (the mailbox's address)")
	}
}

// TestDeploymentPostgres: two offices on PostgreSQL, run by this process:
// the offices list and /readyz name this instance as the holder of each
// office's mailbox lease.
func TestDeploymentPostgres(t *testing.T) {
	base := os.Getenv(storetest.Env)
	if base == "" {
		t.Skip("set " + storetest.Env + " (.ci/pg.sh)")
	}
	dep := startDeploymentOpt(t, []string{"bappeda", "dinsos"}, map[string][]string{"rina": {"*"}}, "", true, web.Options{},
		func(_ string, c *config.Config) {
			c.Store = config.Store{URL: config.Secret(storetest.FreshPostgres(t, base))}
		})
	me := daemon.Instance()
	var body string
	waitFor(t, "both leases held", func() bool {
		_, body = get(t, client(t), dep.URL+"/readyz")
		return strings.Count(body, "held by "+me+" (") == 2 && strings.HasPrefix(body, "ready: 2 offices")
	})
	hc := client(t)
	login(t, hc, dep.URL, "rina", testPassword)
	if _, body := get(t, hc, dep.URL+"/"); strings.Count(body, me) != 2 {
		t.Fatalf("the offices list does not name this instance (%s) twice:\n%s", me, body)
	}
}
