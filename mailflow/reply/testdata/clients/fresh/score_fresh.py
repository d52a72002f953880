#!/usr/bin/env python3
"""Score a mailflow binary on the fresh held-out part: python3 score_fresh.py BINARY [-v]

score.py accepts only tune/heldout/all as part names, so this imports it and
scores the 'fresh' folder with the same metrics (score.py is not edited)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import score  # noqa: E402

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    if not args:
        print(__doc__.strip())
        sys.exit(0)
    score.score_part(os.path.abspath(args[0]), "fresh", len(args) != len(sys.argv) - 1)
