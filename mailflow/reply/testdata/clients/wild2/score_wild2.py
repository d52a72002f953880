#!/usr/bin/env python3
"""Score a mailflow binary on the wild2/ reply fixtures, with score.py's metrics.

usage: python3 score_wild2.py BINARY [tune|heldout|all] [-v]
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import score  # noqa: E402  (clients/score.py: the same metrics, pointed at wild2/)

score.HERE = HERE

if __name__ == "__main__":
    sys.exit(score.main(sys.argv))
