#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/ui), unless it is already there.
# Never downloads a browser through Playwright: `playwright install` is not used.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    echo "chromium already installed: $(command -v chromium)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium
echo "installed: $(command -v chromium)"
