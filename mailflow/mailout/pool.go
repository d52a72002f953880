package mailout

import (
	"context"
	"errors"
	"io"
)

// Pool sends over up to n SMTP connections at once, each kept open
// between mails, so that a fan-out goes out side by side instead of in
// line. Connections are dialled only when needed.
type Pool struct {
	free chan *SMTP
	all  []*SMTP
}

// NewPool builds n senders with mk (n < 1 means 1).
func NewPool(n int, mk func() (*SMTP, error)) (*Pool, error) {
	n = max(n, 1)
	p := &Pool{free: make(chan *SMTP, n)}
	for range n {
		s, err := mk()
		if err != nil {
			return nil, err
		}
		p.all = append(p.all, s)
		p.free <- s
	}
	return p, nil
}

// Send runs the transaction on a free connection, waiting for one.
func (p *Pool) Send(ctx context.Context, from string, to []string, msg io.WriterTo) ([]*Error, error) {
	s, err := p.take(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { p.free <- s }()
	return s.Send(ctx, from, to, msg)
}

// Probe tests the way to the server on one connection.
func (p *Pool) Probe(ctx context.Context) error {
	s, err := p.take(ctx)
	if err != nil {
		return err
	}
	defer func() { p.free <- s }()
	return s.Probe(ctx)
}

func (p *Pool) take(ctx context.Context) (*SMTP, error) {
	select {
	case s := <-p.free:
		return s, nil
	case <-ctx.Done():
		return nil, &Error{Stage: "connect", Err: ctx.Err(), Msg: "stopped while waiting for a connection"}
	}
}

// Close ends every kept connection.
func (p *Pool) Close() error {
	var errs []error
	for _, s := range p.all {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
