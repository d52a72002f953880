package mailout_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/bangkatengah/mailflow/mailflow/mailout"
)

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		attempt int
		jitter  float64
		want    time.Duration
		giveUp  bool
	}{
		{1, 0.5, time.Minute, false},
		{1, 0, 48 * time.Second, false},        // -20 %
		{1, 0.999999, 72 * time.Second, false}, // +20 %, not truncated to 1m
		{2, 0.5, 2 * time.Minute, false},
		{3, 0.75, 264 * time.Second, false}, // 4m * 1.1
		{6, 0.5, 32 * time.Minute, false},
		{7, 0.5, time.Hour, false}, // capped
		{40, 0.5, time.Hour, false},
		{52, 0.5, time.Hour, false},
		{53, 0.5, 0, true}, // 48 h of waiting reached
		{1000, 0.5, 0, true},
		{0, 0.5, time.Minute, false}, // nonsense input is attempt 1
	} {
		got, giveUp := mailout.Backoff(c.attempt, c.jitter)
		if got != c.want || giveUp != c.giveUp {
			t.Errorf("Backoff(%d, %v) = %v, %v; want %v, %v", c.attempt, c.jitter, got, giveUp, c.want, c.giveUp)
		}
	}
}

// ExampleBackoff prints the retry schedule (without jitter).
func ExampleBackoff() {
	var total time.Duration
	fmt.Println("attempt  wait     total waited")
	for a := 1; ; a++ {
		d, giveUp := mailout.Backoff(a, 0.5)
		if giveUp {
			fmt.Printf("%7d  give up after %v\n", a, total)
			break
		}
		total += d
		if a <= 8 || a%10 == 0 {
			fmt.Printf("%7d  %-7v  %v\n", a, d, total)
		}
	}
	// Output:
	// attempt  wait     total waited
	//       1  1m0s     1m0s
	//       2  2m0s     3m0s
	//       3  4m0s     7m0s
	//       4  8m0s     15m0s
	//       5  16m0s    31m0s
	//       6  32m0s    1h3m0s
	//       7  1h0m0s   2h3m0s
	//       8  1h0m0s   3h3m0s
	//      10  1h0m0s   5h3m0s
	//      20  1h0m0s   15h3m0s
	//      30  1h0m0s   25h3m0s
	//      40  1h0m0s   35h3m0s
	//      50  1h0m0s   45h3m0s
	//      53  give up after 47h3m0s
}
