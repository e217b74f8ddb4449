#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on loopback for the test suite, starting them where this
# machine has them installed. Prints `export` lines for the Makefile to evaluate.
# With CI=true a service that cannot be reached is a failure; elsewhere the suite falls back to
# SQLite and skips the tests that need Redis, and says so.
set -u

PG_HOST=127.0.0.1 PG_PORT=5432 REDIS_HOST=127.0.0.1 REDIS_PORT=6379

reachable() { timeout 2 bash -c "</dev/tcp/$1/$2" 2>/dev/null; }

wait_for() {  # host port seconds
  for _ in $(seq 1 "$3"); do reachable "$1" "$2" && return 0; sleep 1; done
  return 1
}

start_postgres() {
  command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 2>&1 || true
  wait_for "$PG_HOST" "$PG_PORT" 15
}

start_redis() {
  command -v redis-server >/dev/null 2>&1 || return 1
  mkdir -p /tmp/coding-roadmap-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp/coding-roadmap-redis --logfile /tmp/coding-roadmap-redis/redis.log >&2 || true
  wait_for "$REDIS_HOST" "$REDIS_PORT" 10
}

# One database name per checkout, so two checkouts on one machine (a clone in CI, a developer's
# tree) never drop each other's test database.
CHECKOUT_ID=$(pwd | cksum | cut -d ' ' -f 1)
DB_NAME="coding_roadmap_$CHECKOUT_ID"
REDIS_DB=$((1 + CHECKOUT_ID % 15))  # never 0, the default a running site would use

missing=()
if reachable "$PG_HOST" "$PG_PORT" || start_postgres; then
  echo "export DATABASE_URL=postgres://postgres@$PG_HOST:$PG_PORT/$DB_NAME"
else
  missing+=("PostgreSQL on $PG_HOST:$PG_PORT")
fi
if reachable "$REDIS_HOST" "$REDIS_PORT" || start_redis; then
  echo "export REDIS_URL=redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB"
else
  missing+=("Redis on $REDIS_HOST:$REDIS_PORT")
fi

if [ ${#missing[@]} -gt 0 ]; then
  for service in "${missing[@]}"; do echo "ensure-services: cannot reach $service" >&2; done
  if [ "${CI:-}" = "true" ]; then
    echo "ensure-services: CI=true, so a missing service fails the run." >&2
    echo "exit 1"
    exit 1
  fi
  echo "ensure-services: running without it (SQLite instead of PostgreSQL; Redis tests skipped)." >&2
fi
