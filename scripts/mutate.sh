#!/usr/bin/env bash
# Mutation testing of the core modules with mutmut: each small change to the code that no test
# notices ("a surviving mutant") is a test gap. Slow, so not part of `make test` or CI.
#
# Usage: scripts/mutate.sh PYTHON '[flag:]module=tests[,tests...] ...'
#   e.g. scripts/mutate.sh .venv/bin/python 'roadmap/rules.py=tests/roadmap/test_rules.py'
# Without a flag the tests run without PostgreSQL or Redis (SQLite if a test asks for a database). Flags:
#   services:  the tests need the real servers (row locks, a second connection): they get PostgreSQL and
#              Redis (scripts/ensure-services.sh, run in the copy, so the database is named after the
#              copy, never a checkout's), and each mutant a test database created afresh. Without
#              PostgreSQL the module is not measured (its tests would skip, and its mutants survive).
#   keepdb:    a pure module (it imports no django, so no mutant can write a row) whose tests read the
#              loaded ladder: every mutant reuses the one PostgreSQL test database the first run
#              created, instead of migrating and loading its own (SQLite, afresh, without PostgreSQL).
# Each module's mutants run only its own fast tests; any failure of the run counts as killing the
# mutant (mutmut itself only counts exit code 1, so a mutant that breaks test collection, exit code
# 2, or the import of a conftest, 4, would pass for a survivor). pytest runs in the runner's own
# process, so mutmut's timeout kills it (a shell in between would leave it running). The run happens
# in a copy of the tree, so an interrupted run never leaves a mutant in the real source. Prints
# killed / total per module, and writes the surviving mutants' diffs to mutation-report/<module>.txt.
# With MUTATE_RESUME=1 a module starts from the mutmut cache its last run kept in mutation-report/: the
# mutants killed then count as killed (tests were only added since, or the run is not comparable), and
# only the others run again; use it after adding tests, not after changing the module.
set -euo pipefail

python="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"  # the venv's own, not the file it links to
entries=$2
root=$(pwd)
work=$(mktemp -d /tmp/mutate.XXXXXX)
mkdir -p "$root/mutation-report"

git ls-files -z --cached --others --exclude-standard | grep -zv '^mutation-report/' |
  xargs -0 tar -cf - | tar -xf - -C "$work"
cd "$work"
unset DATABASE_URL REDIS_URL  # the pure modules' tests need no server; SQLite if any test asks
servers=""
if [[ " $entries" == *" services:"* || " $entries" == *" keepdb:"* ]]; then  # only when an entry asks
  servers=$(bash scripts/ensure-services.sh 2>/dev/null | sed -n 's/^export //p') || servers=""
fi
database_url=$(echo "$servers" | sed -n 's/^DATABASE_URL=//p')
drop_test_database() {  # the one a keepdb entry kept, or a mutant killed by the timeout left behind
  [ -n "$database_url" ] || return 0
  "$python" - "$database_url" <<'EOF'
import sys
from urllib.parse import urlsplit

import psycopg

url = urlsplit(sys.argv[1])
server = {"host": url.hostname, "port": url.port or 5432, "user": url.username, "password": url.password}
with psycopg.connect(**server, dbname="postgres", autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "test_{url.path.lstrip("/")}" WITH (FORCE)')
EOF
}
trap 'drop_test_database || true; rm -rf "$work"' EXIT
trap 'exit 143' INT TERM  # so that an interrupted run cleans up too
# A mutant of the same length written within the same second would otherwise be run from the
# previous compiled file (Python checks a .pyc by size and whole-second modification time).
export PYTHONDONTWRITEBYTECODE=1
summary=()
for entry in $entries; do
  flag=""
  case $entry in
    services:* | keepdb:*) flag=${entry%%:*} entry=${entry#*:} ;;
  esac
  module=${entry%%=*}
  tests=${entry#*=}
  tests=${tests//,/ }
  name=$(echo "$module" | tr '/' '-' | sed 's/-$//')
  echo "== $module (tests: $tests${flag:+; $flag})"
  environment=() reuse=""
  if [ -n "$flag" ] && [ -n "$database_url" ]; then
    read -ra environment <<<"$(echo $servers)"
    if [ "$flag" = keepdb ]; then reuse="--reuse-db"; fi
    drop_test_database
  elif [ "$flag" = services ]; then
    summary+=("$module: not measured, its tests need PostgreSQL and scripts/ensure-services.sh found none")
    echo "${summary[-1]}"
    continue
  fi
  rm -f .mutmut-cache
  if [ -n "${MUTATE_RESUME:-}" ] && [ -f "$root/mutation-report/$name.mutmut-cache" ]; then
    cp "$root/mutation-report/$name.mutmut-cache" .mutmut-cache  # mutmut keeps its kills, tests the rest again
    echo "(resumed from mutation-report/$name.mutmut-cache: only the mutants not killed there are run)"
  fi
  env "${environment[@]}" "$python" -m mutmut run --paths-to-mutate "$module" --tests-dir tests --no-progress \
    --runner "$python -c 'import sys, pytest; sys.exit(1 if pytest.main(sys.argv[1:]) else 0)' -x -q -p no:cacheprovider $reuse $tests" \
    >"$root/mutation-report/$name.log" 2>&1 || true
  "$python" -m mutmut show all >"$root/mutation-report/$name.txt" 2>&1 || true
  cp .mutmut-cache "$root/mutation-report/$name.mutmut-cache"  # for `mutmut results` and `mutmut show <id>`
  line=$("$python" - "$module" <<'EOF'
import sqlite3
import sys

statuses = dict(
    sqlite3.connect(".mutmut-cache").execute("SELECT status, COUNT(*) FROM Mutant GROUP BY status").fetchall()
)
killed = statuses.get("ok_killed", 0) + statuses.get("ok_suspicious", 0) + statuses.get("bad_timeout", 0)
total = sum(statuses.values())
rate = 100 * killed / total if total else 0
print(f"{sys.argv[1]}: {killed} / {total} mutants killed ({rate:.1f} %); survived {statuses.get('bad_survived', 0)}, "
      f"timed out {statuses.get('bad_timeout', 0)}, untested {statuses.get('untested', 0)}")
EOF
  )
  echo "$line"
  summary+=("$line")
done
echo
echo "== Kill rate per module (surviving mutants: mutation-report/<module>.txt)"
printf '%s\n' "${summary[@]}"
