#!/usr/bin/env bash
# Make sure Debian's Chromium and a CJK font are installed for the browser tests.
# Playwright drives /usr/bin/chromium; it never downloads a browser of its own.
set -euo pipefail
have_font() { fc-list :lang=zh 2>/dev/null | grep -q .; }
if [ -x /usr/bin/chromium ] && have_font; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Browser tests need Debian's chromium and fonts-noto-cjk: run 'apt-get install -y chromium fonts-noto-cjk' as root." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium fonts-noto-cjk fontconfig >/dev/null
