#!/usr/bin/env bash
# Make sure the load benchmark has wrk, from Debian's package (a C load generator: it needs a small
# part of one core where a Python one would take the server's CPU). Prints its path.
set -u
wrk=$(command -v wrk || true)
if [ -z "$wrk" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-wrk: installing Debian's wrk (once per machine)..." >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >&2 || true
  wrk=$(command -v wrk || true)
fi
if [ -z "$wrk" ]; then
  echo "ensure-wrk: wrk is not installed and could not be installed (apt-get install wrk)." >&2
  exit 1
fi
echo "$wrk"
