#!/usr/bin/env bash
# nginx for `make serve` and its tests, from Debian (as tools/ensure-chromium.sh gets Chromium).
# Found: nothing to do. Missing: installed when this can (root, with apt-get); otherwise
# one line says what to install, and the exit status stops make before anything starts.
set -uo pipefail

# Debian puts it in /usr/sbin, which is not on every user's PATH. (ENSURE_NGINX_SBIN and
# ENSURE_NGINX_UID, for `id -u`, stand in for the real ones in tests/test_ensure_nginx.py.)
sbin="${ENSURE_NGINX_SBIN:-/usr/sbin}"
found() { command -v nginx >/dev/null 2>&1 || [ -x "$sbin/nginx" ]; }
if found; then exit 0; fi

uid="${ENSURE_NGINX_UID:-$(id -u)}"
if [ "$uid" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "nginx is missing: installing Debian's nginx with apt-get" >&2
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null && found; then
    exit 0
  fi
  echo "nginx is missing and \`apt-get install nginx\` failed (see above): install it and retry" >&2
  exit 1
fi
echo "nginx is missing: run \`sudo apt-get install nginx\` (Debian/Ubuntu), and retry" >&2
exit 1
