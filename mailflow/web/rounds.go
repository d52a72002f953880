package web

import "github.com/bangkatengah/mailflow/mailflow/flow"

// stepRounds is a step's working time per round, as the status table
// measures it (each round against the Mutu Baku; a running one last).
func stepRounds(row flow.StatusRow) []tlRound {
	var out []tlRound
	for _, r := range row.Rounds {
		out = append(out, tlRound{Round: r.Round, Minutes: r.Minutes, Active: r.Outcome == "", Outcome: r.Outcome})
	}
	return out
}
