#!/usr/bin/env bash
# Tools the letter and calendar tests call: poppler-utils (pdftoppm,
# pdftotext, pdfinfo read the Undangan PDF) and python3-vobject (a second
# iCalendar parser beside python3-icalendar). Installs only what is missing.
set -euo pipefail
need=()
command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null || need+=(poppler-utils)
/usr/bin/python3 -c 'import vobject' 2>/dev/null || need+=(python3-vobject)
/usr/bin/python3 -c 'import icalendar' 2>/dev/null || need+=(python3-icalendar)
if ((${#need[@]})); then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "letter tools: $(pdftoppm -v 2>&1 | head -n1); python3-vobject $(/usr/bin/python3 -c 'import vobject; print(vobject.VERSION)' 2>/dev/null || echo ok)"
