"""Regenerate the client fixtures: python3 gen.py [OUTDIR] (default: the folder above gen/).

Writes OUTDIR/tune and OUTDIR/heldout; files of cases not in the lists
(written by hand) are left alone."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build, tune, heldout

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The order matters: the random header values (boundaries, Message-IDs) come
# from one seeded generator, so cases added later are generated last.
cases = tune.CASES + heldout.CASES + tune.LATE
build.write(cases, root)
print(len(cases), "fixtures")
