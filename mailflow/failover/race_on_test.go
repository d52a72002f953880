//go:build race

package failover

// raceEnabled: this test binary was built with -race.
const raceEnabled = true
