#!/usr/bin/env bash
# Debian's chromium, for the browser tests (tests/test_browser.py, marker `browser`).
# Idempotent: does nothing when /usr/bin/chromium is already there.
# The Python side is the `playwright` package only (pip); its own browser
# downloads (`playwright install`) are not used: the tests launch /usr/bin/chromium.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
