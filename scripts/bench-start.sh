#!/usr/bin/env bash
# Start-up time and memory of `pathavana serve` with the sandbox catalog:
# time from exec to the first 200 from /readyz, then resident memory after a
# few searches have touched the indexes. Runs ROUNDS fresh starts (each on a
# new SQLite data directory) and prints every round and the medians.
#   ROUNDS=5 scripts/bench-start.sh
# Issue 3's targets: ready in < 2 s, resident size < 200 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
make -s build >/dev/null
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
day=$(date -u -d '+30 days' +%F)
ready=() rss=() hwm=()
for r in $(seq "$rounds"); do
  port=$(free_port)
  dir="$tmp/data$r"
  start=$(now_ms)
  PATHAVANA_DATA_DIR=$dir PATHAVANA_LOG_LEVEL=warn bin/pathavana serve --addr "127.0.0.1:$port" 2>"$tmp/log$r" &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/log$r"; exit 1; }
    sleep 0.01
  done
  t=$(( $(now_ms) - start ))
  for q in "search/flights?from=LIS&to=JFK&date=$day" "search/flights?from=Tokyo&to=Sao%20Paulo&date=$day" \
           "search/stays?city=Lisbon&check_in=$day&check_out=$(date -u -d '+33 days' +%F)" "places?q=sna%20francisco"; do
    curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/$q"
  done
  m=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  h=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  printf 'round %d  ready %5d ms  rss %4d MB  peak rss %4d MB\n' "$r" "$t" "$m" "$h"
  ready+=("$t") rss+=("$m") hwm+=("$h")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: ready $(median "${ready[@]}") ms (target < 2000), rss $(median "${rss[@]}") MB, peak rss $(median "${hwm[@]}") MB (target < 200)"
