#!/usr/bin/env bash
# The console's browser test (mailflow/web TestBrowser) drives headless
# Chromium; it skips only when none is installed. Install Debian's.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
	echo "chromium: $(chromium --version 2>/dev/null || echo present)"
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
chromium --version
