#!/usr/bin/env bash
# Make sure the end-to-end tests have Debian's Chromium and axe-core (from package-lock.json).
# Prints `export` lines for the Makefile. Playwright never downloads a browser of its own here.
# With CI=true anything missing is a failure; elsewhere the browser tests are skipped, and say so.
set -u

fail_or_skip() {
  echo "ensure-browser: $1" >&2
  if [ "${CI:-}" = "true" ]; then echo "exit 1"; exit 1; fi
  echo "ensure-browser: the browser tests will be skipped." >&2
  exit 0
}

chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-browser: installing Debian's chromium (once per machine)..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2 || true
    chromium=$(command -v chromium || true)
  fi
  [ -n "$chromium" ] || fail_or_skip "chromium is not installed and could not be installed."
fi
echo "export E2E_CHROMIUM=$chromium"

if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null 2>&1 || fail_or_skip "npm is missing, so axe-core cannot be installed."
  npm ci --no-audit --no-fund --silent >&2 || fail_or_skip "npm ci failed, so axe-core is missing."
fi
echo "export E2E_AXE=$(pwd)/node_modules/axe-core/axe.min.js"
