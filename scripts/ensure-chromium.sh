#!/usr/bin/env bash
# Makes sure Debian's Chromium is present for the end-to-end tests. Browser downloads by test tools cannot
# work offline; Debian's package can. Installs it when running as root with apt, else says how.
set -euo pipefail
CHROMIUM="${PARLEY_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium package (about a minute)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "Chromium not found at $CHROMIUM. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set PARLEY_CHROMIUM to a Chromium binary." >&2
exit 1
