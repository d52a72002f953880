package mailout

import "time"

// The retry schedule: 1, 2, 4, 8, 16, 32 minutes, then hourly, each
// spread by ±20 % jitter so that many failed mails do not retry in step;
// after GiveUpAfter of nominal waiting the mail is failed for good.
const (
	BackoffBase = time.Minute
	BackoffCap  = time.Hour
	GiveUpAfter = 48 * time.Hour
	JitterShare = 0.2
)

// Backoff returns how long to wait after failed attempt number attempt
// (1-based) before the next one, and whether to give up instead. jitter is
// a uniform random number in [0, 1); 0.5 means no jitter. It is pure.
func Backoff(attempt int, jitter float64) (time.Duration, bool) {
	if attempt < 1 {
		attempt = 1
	}
	if nominalTotal(attempt) >= GiveUpAfter {
		return 0, true
	}
	d := nominal(attempt)
	if jitter < 0 {
		jitter = 0
	} else if jitter >= 1 {
		jitter = 0.999999
	}
	// Scale in float seconds, then convert: time.Duration(f) would
	// truncate a fraction like 1.2 to 1.
	f := float64(d) * (1 - JitterShare + 2*JitterShare*jitter)
	return time.Duration(f).Round(time.Second), false
}

// nominal is the wait after attempt n without jitter, doubling from
// BackoffBase up to BackoffCap (no overflow: the shift stops at the cap).
func nominal(n int) time.Duration {
	d := BackoffBase
	for i := 1; i < n && d < BackoffCap; i++ {
		d *= 2
	}
	return min(d, BackoffCap)
}

// nominalTotal is the waiting before attempt n+1 under the schedule.
func nominalTotal(n int) time.Duration {
	var t time.Duration
	for i := 1; i <= n; i++ {
		t += nominal(i)
		if t >= GiveUpAfter {
			break
		}
	}
	return t
}
