#!/usr/bin/env bash
# Chromium for the browser tests, from Debian (Playwright never downloads a browser).
# Found: nothing to do. Missing: installed when this can (root, with apt-get); otherwise
# one line says what to install, and the exit status stops `make test` before any test.
set -uo pipefail

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1; then exit 0; fi

# ENSURE_CHROMIUM_UID stands in for `id -u` in tests/test_ensure_chromium.py only.
uid="${ENSURE_CHROMIUM_UID:-$(id -u)}"
if [ "$uid" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium with apt-get" >&2
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      && command -v chromium >/dev/null 2>&1; then
    exit 0
  fi
  echo "Chromium is missing and \`apt-get install chromium\` failed (see above): install it and retry" >&2
  exit 1
fi
echo "Chromium is missing: run \`sudo apt-get install chromium\` (Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium binary, and retry" >&2
exit 1
