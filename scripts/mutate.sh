#!/usr/bin/env bash
# Mutation testing of the core modules with mutmut: each small change to the code that no test
# notices ("a surviving mutant") is a test gap. Slow, so not part of `make test` or CI.
#
# Usage: scripts/mutate.sh PYTHON 'module=tests[,tests...] ...'
#   e.g. scripts/mutate.sh .venv/bin/python 'roadmap/rules.py=tests/roadmap/test_rules.py'
# Each module's mutants run only its own fast tests; any failure of the run counts as killing the
# mutant (mutmut itself only counts exit code 1, so a mutant that breaks test collection, exit code
# 2, or the import of a conftest, 4, would pass for a survivor). pytest runs in the runner's own
# process, so mutmut's timeout kills it (a shell in between would leave it running). The run happens in a copy of the tree, so an
# interrupted run never leaves a mutant in the real source. Prints killed / total per module, and
# writes the surviving mutants' diffs to mutation-report/<module>.txt.
set -euo pipefail

python="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"  # the venv's own, not the file it links to
entries=$2
root=$(pwd)
work=$(mktemp -d /tmp/mutate.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/mutation-report"

git ls-files -z --cached --others --exclude-standard | grep -zv '^mutation-report/' |
  xargs -0 tar -cf - | tar -xf - -C "$work"
cd "$work"
unset DATABASE_URL REDIS_URL  # the pure modules' tests need no server; SQLite if any test asks
# A mutant of the same length written within the same second would otherwise be run from the
# previous compiled file (Python checks a .pyc by size and whole-second modification time).
export PYTHONDONTWRITEBYTECODE=1
summary=()
for entry in $entries; do
  module=${entry%%=*}
  tests=${entry#*=}
  tests=${tests//,/ }
  name=$(echo "$module" | tr '/' '-' | sed 's/-$//')
  echo "== $module (tests: $tests)"
  rm -f .mutmut-cache
  "$python" -m mutmut run --paths-to-mutate "$module" --tests-dir tests --no-progress \
    --runner "$python -c 'import sys, pytest; sys.exit(1 if pytest.main(sys.argv[1:]) else 0)' -x -q -p no:cacheprovider $tests" \
    >"$root/mutation-report/$name.log" 2>&1 || true
  "$python" -m mutmut show all >"$root/mutation-report/$name.txt" 2>&1 || true
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
