package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// HashPassword makes the hash "mailflow passwd" prints for [[web.account]].
func HashPassword(pw string) (string, error) {
	if len(pw) < 10 {
		return "", errors.New("a console password needs at least 10 characters")
	}
	if len(pw) > 72 {
		return "", errors.New("bcrypt reads at most 72 bytes of a password")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), 12)
	return string(h), err
}

// CheckPassword verifies pw against a bcrypt or argon2id (PHC string) hash.
func CheckPassword(hash, pw string) bool {
	if strings.HasPrefix(hash, "$argon2id$") {
		return checkArgon2(hash, pw)
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// checkArgon2 reads "$argon2id$v=19$m=65536,t=3,p=4$salt$hash" (RFC 9106
// parameters, unpadded base64).
func checkArgon2(hash, pw string) bool {
	f := strings.Split(hash, "$")
	if len(f) != 6 || f[2] != "v=19" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(f[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 64 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(f[4])
	want, err2 := base64.RawStdEncoding.DecodeString(f[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 1024 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func randomToken() string {
	var b [24]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// session is one logged-in browser. Sessions live in memory: a restart
// logs everyone out, which is acceptable for an office console.
type session struct {
	Account string
	CSRF    string
	Expires time.Time
}

const sessionTTL = 12 * time.Hour

type sessions struct {
	mu sync.Mutex
	m  map[string]*session
}

func (s *sessions) create(account string, now time.Time) (string, *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*session{}
	}
	for id, se := range s.m { // drop expired ones; there are few
		if now.After(se.Expires) {
			delete(s.m, id)
		}
	}
	id := randomToken()
	se := &session{Account: account, CSRF: randomToken(), Expires: now.Add(sessionTTL)}
	s.m[id] = se
	return id, se
}

func (s *sessions) get(id string, now time.Time) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.m[id]
	if se == nil || now.After(se.Expires) {
		delete(s.m, id)
		return nil
	}
	se.Expires = now.Add(sessionTTL)
	c := *se
	return &c
}

func (s *sessions) drop(id string) {
	s.mu.Lock()
	delete(s.m, id)
	s.mu.Unlock()
}

// limiter counts failed logins per key (client address, account name) in
// a sliding window: after maxFails the key waits until the oldest failure
// leaves the window. Password guessing then costs minutes per try.
type limiter struct {
	mu     sync.Mutex
	fails  map[string][]time.Time
	max    int
	window time.Duration
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{fails: map[string][]time.Time{}, max: max, window: window}
}

// wait is how long key must wait before trying again (0: it may try).
func (l *limiter) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.prune(key, now)
	if len(f) < l.max {
		return 0
	}
	return f[0].Add(l.window).Sub(now)
}

func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 10000 { // a flood of addresses: forget the old ones
		for k := range l.fails {
			l.prune(k, now)
		}
	}
	l.fails[key] = append(l.prune(key, now), now)
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.fails, key)
	l.mu.Unlock()
}

func (l *limiter) prune(key string, now time.Time) []time.Time {
	f := l.fails[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= l.window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = f
	return f
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func minutesIndo(d time.Duration) string {
	m := int(d.Minutes() + 0.999)
	if m < 1 {
		m = 1
	}
	return strconv.Itoa(m) + " menit"
}
