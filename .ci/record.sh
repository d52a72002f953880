#!/usr/bin/env bash
# Tools for the SOP compliance record's tests: pdftotext (poppler-utils)
# reads the Formulir Monitoring back (mailflow/report, cmd/mailflow).
set -euo pipefail
if ! command -v pdftotext >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends poppler-utils
fi
echo "pdftotext: $(command -v pdftotext)"
