#!/bin/sh
# usage: score_fresh.sh BINARY [-v]  — scores the fresh held-out part (see score_fresh.py)
exec python3 "$(dirname "$0")/score_fresh.py" "$@"
