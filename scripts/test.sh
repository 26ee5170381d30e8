#!/usr/bin/env bash
# Runs every test. When PostgreSQL and Redis answer on loopback (or their
# URLs are given), the store, HTTP and cache suites also run against them.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_url=${PATHAVANA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
redis_url=${PATHAVANA_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

if command -v psql >/dev/null && psql "$pg_url" -qtAc 'select 1' >/dev/null 2>&1; then
  psql "$pg_url" -qtAc "select 1 from pg_database where datname='pathavana_test'" | grep -q 1 \
    || psql "$pg_url" -qc 'create database pathavana_test' >/dev/null
  export PATHAVANA_TEST_DATABASE_URL=${pg_url/\/postgres\?/\/pathavana_test?}
  echo "PostgreSQL: $PATHAVANA_TEST_DATABASE_URL"
else
  echo "PostgreSQL: not reachable at $pg_url; PostgreSQL suites will be skipped"
  unset PATHAVANA_TEST_DATABASE_URL
fi
if command -v redis-cli >/dev/null && redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
  export PATHAVANA_TEST_REDIS_URL=$redis_url
  echo "Redis: $PATHAVANA_TEST_REDIS_URL"
else
  echo "Redis: not reachable at $redis_url; Redis suites will be skipped"
  unset PATHAVANA_TEST_REDIS_URL
fi

go vet ./...
go test -race -count=1 -timeout 20m ./...
FUZZTIME=${FUZZTIME:-5s} ./scripts/fuzz.sh
