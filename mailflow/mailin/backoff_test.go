package mailin

import (
	"math"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	const base, max = time.Second, 4 * time.Minute
	for _, tc := range []struct {
		n         int
		base, max time.Duration
		r         float64
		want      time.Duration
	}{
		// Equal jitter: half of the step is fixed, half scales with r.
		{1, base, max, 0, 500 * time.Millisecond},
		{1, base, max, 0.5, 750 * time.Millisecond},
		{1, base, max, 0.25, 625 * time.Millisecond},
		{2, base, max, 0, time.Second},
		{2, base, max, 0.5, 1500 * time.Millisecond},
		{3, base, max, 0, 2 * time.Second},
		{4, base, max, 0.75, 7 * time.Second},
		{8, base, max, 0, 64 * time.Second},    // 128 s step
		{9, base, max, 0, 120 * time.Second},   // 256 s step, capped at 240 s
		{9, base, max, 0.5, 180 * time.Second}, //
		{100, base, max, 0, 120 * time.Second}, // long outages stay at the cap
		{1 << 30, base, max, 0.5, 180 * time.Second},
		// Zero and negative attempts count as the first.
		{0, base, max, 0, 500 * time.Millisecond},
		{-3, base, max, 0, 500 * time.Millisecond},
		// No truncation to whole units: odd steps and sub-second parts.
		{1, 3 * time.Nanosecond, max, 0.5, 2 * time.Nanosecond},
		{1, 10 * time.Millisecond, 200 * time.Millisecond, 0.5, 7500 * time.Microsecond},
		{2, 10 * time.Millisecond, 200 * time.Millisecond, 0.1, 11 * time.Millisecond},
		{6, 10 * time.Millisecond, 200 * time.Millisecond, 0, 100 * time.Millisecond}, // 320 ms step capped
		{2, 1500 * time.Millisecond, max, 0.5, 2250 * time.Millisecond},
		// A cap below the base wins.
		{1, time.Minute, time.Second, 0, 500 * time.Millisecond},
		// A cap near the largest duration does not overflow.
		{200, base, math.MaxInt64, 0, math.MaxInt64 / 2},
		{1 << 30, base, math.MaxInt64 - 1, 0, math.MaxInt64/2 - 1},
		{3, 40 * time.Second, 100 * time.Second, 0, 50 * time.Second}, // 160 s step capped
		{3, 40 * time.Second, 100*time.Second + 1, 0, 50 * time.Second},
	} {
		got := Backoff(tc.n, tc.base, tc.max, tc.r)
		if d := got - tc.want; d < -time.Nanosecond || d > time.Nanosecond {
			t.Errorf("Backoff(%d, %v, %v, %v) = %v, want %v", tc.n, tc.base, tc.max, tc.r, got, tc.want)
		}
	}
}

// TestBackoffBounds: for any jitter, attempt n waits between half and all
// of min(base·2^(n-1), max), and never less than the attempt before.
func TestBackoffBounds(t *testing.T) {
	const base, max = time.Second, 4 * time.Minute
	for _, r := range []float64{0, 1e-9, 0.1, 0.5, 0.9, 0.999999999, math.Nextafter(1, 0)} {
		prev := time.Duration(0)
		for n := 1; n <= 40; n++ {
			step := max
			if n <= 9 {
				step = min(base<<(n-1), max)
			}
			got := Backoff(n, base, max, r)
			if got < step/2 || got >= step && r > 0 || got > step {
				t.Errorf("Backoff(%d, r=%v) = %v, want in [%v, %v)", n, r, got, step/2, step)
			}
			if got < prev {
				t.Errorf("Backoff(%d, r=%v) = %v, below attempt %d's %v", n, r, got, n-1, prev)
			}
			prev = got
		}
	}
}
