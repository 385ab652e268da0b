#!/usr/bin/env bash
# Make sure the Debian packages the tests drive are installed:
# - Chromium and a CJK font for the browser tests (Playwright drives /usr/bin/chromium; it never
#   downloads a browser of its own);
# - LibreOffice Calc (no GUI), which writes one of the county-form test workbooks as towns'
#   LibreOffice/WPS users save them;
# - PostgreSQL's server binaries (initdb, pg_ctl), with which the tests start a throwaway server
#   of their own: the store, import, undo and page tests run against it as well as SQLite.
set -euo pipefail
have_font() { fc-list :lang=zh 2>/dev/null | grep -q .; }
have_postgres() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
if [ -x /usr/bin/chromium ] && have_font && command -v soffice >/dev/null 2>&1 && have_postgres; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "The tests need Debian's chromium, fonts-noto-cjk, libreoffice-calc-nogui and postgresql: run 'apt-get install -y chromium fonts-noto-cjk libreoffice-calc-nogui postgresql' as root." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium fonts-noto-cjk fontconfig libreoffice-calc-nogui postgresql >/dev/null
