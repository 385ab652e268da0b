#!/usr/bin/env bash
# Make sure the Debian packages the tests drive are installed:
# - Chromium and a CJK font for the browser tests (Playwright drives /usr/bin/chromium; it never
#   downloads a browser of its own);
# - LibreOffice Calc (no GUI), which writes one of the county-form test workbooks as towns'
#   LibreOffice/WPS users save them;
# - PostgreSQL's server binaries (initdb, pg_ctl), with which the tests start a throwaway server
#   of their own: the store, import, undo and page tests run against it as well as SQLite.
#
# `--check` only says what is missing (exit 1 if anything is) and installs nothing. TOOLS_ROOT
# (default: none, i.e. /) is where the files are looked for, so a test can point it at a made-up
# machine.
set -euo pipefail
R="${TOOLS_ROOT:-}"
# Each component is checked by what the tests call, never by a binary several packages share:
# `soffice` comes with Writer alone too, and a machine with Writer but not Calc cannot convert a
# workbook; Calc's own library (libsclo.so, of libreoffice-calc-nogui / libreoffice-calc) says Calc is there.
have_chromium() { [ -x "$R/usr/bin/chromium" ]; }
have_font() { fc-list :lang=zh 2>/dev/null | grep -q .; }
have_calc() { command -v soffice >/dev/null 2>&1 && [ -e "$R/usr/lib/libreoffice/program/libsclo.so" ]; }
have_postgres() {
  ls "$R"/usr/lib/postgresql/*/bin/initdb "$R"/usr/lib/postgresql/*/bin/pg_ctl "$R"/usr/lib/postgresql/*/bin/postgres \
    >/dev/null 2>&1
}
missing=()
have_chromium || missing+=(chromium)
have_font || missing+=(fonts-noto-cjk fontconfig)
have_calc || missing+=(libreoffice-calc-nogui)
have_postgres || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "missing: ${missing[*]}"
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "The tests need Debian packages that are missing: run 'apt-get install -y ${missing[*]}' as root." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
echo "Installing what the tests need: ${missing[*]}" >&2
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
