package demo

import (
	"sync"
	"time"
)

// clock is the demo's accelerated time: the script jumps it forward (a
// week-long collect step takes a moment) and between jumps it runs at
// wall-clock speed, so that event times stay ordered.
type clock struct {
	mu   sync.Mutex
	sim  time.Time
	real time.Time
}

func newClock(start time.Time) *clock { return &clock{sim: start, real: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sim.Add(time.Since(c.real))
}

// Set jumps to t (never backwards).
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := c.sim.Add(time.Since(c.real)); t.Before(now) {
		t = now
	}
	c.sim, c.real = t, time.Now()
}
