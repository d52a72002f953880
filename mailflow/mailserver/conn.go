package mailserver

import (
	"net"
	"sync"
)

// trackingListener remembers its open connections so that faults and Stop
// can close them, and lets a fault hook see what the server writes.
type trackingListener struct {
	net.Listener
	onWrite func(p []byte) (keep int, drop bool) // nil: no hook

	mu    sync.Mutex
	conns map[*trackedConn]struct{}
}

func listen(addr string, onWrite func([]byte) (int, bool)) (*trackingListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &trackingListener{Listener: ln, onWrite: onWrite, conns: make(map[*trackedConn]struct{})}, nil
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, ln: l}
	l.mu.Lock()
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	return tc, nil
}

// closeConns closes every open connection and says how many there were.
func (l *trackingListener) closeConns() int {
	l.mu.Lock()
	conns := make([]*trackedConn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	return len(conns)
}

type trackedConn struct {
	net.Conn
	ln *trackingListener

	mu         sync.Mutex
	closeAfter bool // close once the next write is done
}

func (c *trackedConn) Write(p []byte) (int, error) {
	if c.ln.onWrite != nil {
		if keep, drop := c.ln.onWrite(p); drop {
			n, _ := c.Conn.Write(p[:keep])
			c.Close()
			return n, net.ErrClosed
		}
	}
	n, err := c.Conn.Write(p)
	c.mu.Lock()
	after := c.closeAfter
	c.mu.Unlock()
	if after {
		c.Close()
	}
	return n, err
}

// closeAfterNextWrite makes the connection close right after the next reply
// is written, as a server does after "421".
func (c *trackedConn) closeAfterNextWrite() {
	c.mu.Lock()
	c.closeAfter = true
	c.mu.Unlock()
}

func (c *trackedConn) Close() error {
	c.ln.mu.Lock()
	delete(c.ln.conns, c)
	c.ln.mu.Unlock()
	return c.Conn.Close()
}
