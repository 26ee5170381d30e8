#!/usr/bin/env bash
# Load benchmark of GET /api/v1/me against a bare Go "hello" server, reported
# as a ratio taken within one run so it does not depend on the machine.
#
#   scripts/bench-me.sh sqlite            # embedded SQLite, in-process cache
#   scripts/bench-me.sh postgres          # PostgreSQL, in-process cache
#   scripts/bench-me.sh postgres redis    # PostgreSQL, Redis cache/limiter/revocation
#   scripts/bench-me.sh sqlite redis
#
# Knobs (environment):
#   DURATION=10s THREADS=2 CONNS=32   wrk settings per measurement
#   ROUNDS=3                          rounds; each round measures every target
#                                     once, in turn, and the median is reported
#   WARMUP=2s                         one untimed wrk run per target first
#   PATHAVANA_DATABASE_URL            PostgreSQL to use as is (not created or
#                                     dropped); default: a fresh database on
#   PG_ADMIN_URL                      postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
#   REDIS_URL                         redis://127.0.0.1:6379/14
#
# Two Pathavana servers run on the same data: one at PATHAVANA_LOG_LEVEL=info
# (the default; one JSON access-log line per request goes to a file) and one
# at warn (no access log). The info server is also the one whose log mailer
# prints the verification link needed to sign the benchmark user in. The rate
# limiter is set so high that it never rejects, but it still runs on every
# request: its cost is part of the measurement. wrk and the servers share the
# machine's cores; every target is measured under the same conditions, one
# after the other, so the ratio is fair even though the absolute numbers are
# lower than on a dedicated load generator.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 sqlite|postgres [redis]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
engine=$1
use_redis=false
case $engine in sqlite|postgres) ;; *) usage ;; esac
if [[ $# -eq 2 ]]; then [[ $2 == redis ]] || usage; use_redis=true; fi

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-2s}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/14}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required (Debian: apt-get install -y $tool)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-me.XXXXXX")
pids=()
wrk_pid=""
created_db=""
redis_prefix=""
cleanup() {
  local pid
  if [[ -n $wrk_pid ]]; then kill "$wrk_pid" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $created_db ]]; then
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $created_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if [[ -n $redis_prefix ]]; then
    redis-cli -u "$REDIS_URL" --scan --pattern "${redis_prefix}*" 2>/dev/null \
      | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
  fi
  if [[ ${KEEP:-} == 1 ]]; then echo "kept logs in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port prints a loopback TCP port nothing listens on right now, below
# the ephemeral range so that no client connection is holding it either.
free_port() {
  local p low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  (( low > 12000 )) || low=32768
  for _ in $(seq 50); do
    p=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}

# wait_http URL PID LOG waits until URL answers 200 while PID stays alive.
wait_http() {
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "server exited; its log:" >&2; tail -n 30 "$3" >&2; return 1; }
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2; tail -n 30 "$3" >&2; return 1
}

echo "== build"
make -s build
go build -trimpath -o bin/benchhello ./tools/benchhello

# ---- configuration shared by both Pathavana servers -------------------------
export PATHAVANA_ENV=development
export PATHAVANA_DATA_DIR=$work/data
export PATHAVANA_RATE_LIMIT=100000000
export PATHAVANA_AUTH_RATE_LIMIT=100000000
export PATHAVANA_ACCESS_TOKEN_TTL=2h
export PATHAVANA_LOG_FORMAT=json
unset PATHAVANA_SMTP_HOST OTEL_EXPORTER_OTLP_ENDPOINT PATHAVANA_METRICS_ADDR PATHAVANA_REDIS_URL
if [[ $engine == postgres ]]; then
  command -v psql >/dev/null || { echo "psql is required for postgres mode" >&2; exit 1; }
  if [[ -z ${PATHAVANA_DATABASE_URL:-} ]]; then
    created_db=pathavana_bench_$$_$RANDOM
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $created_db" >/dev/null
    base=${PG_ADMIN_URL%%\?*}
    query=${PG_ADMIN_URL#"$base"}
    export PATHAVANA_DATABASE_URL=${base%/*}/$created_db${query:-?sslmode=disable}
  fi
  # Replicas on PostgreSQL share a configured key; 40 random characters.
  secret=$(head -c 64 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')
  export PATHAVANA_JWT_SECRETS="bench:${secret:0:40}"
  ./bin/pathavana migrate up >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
else
  unset PATHAVANA_DATABASE_URL PATHAVANA_JWT_SECRETS
fi
if $use_redis; then
  command -v redis-cli >/dev/null || { echo "redis-cli is required for redis mode" >&2; exit 1; }
  redis_prefix="pathavana-bench-$$-$RANDOM:"
  export PATHAVANA_REDIS_URL=$REDIS_URL PATHAVANA_REDIS_PREFIX=$redis_prefix
fi

# start_pathavana NAME LEVEL starts a server on a free port, sets
# port_NAME and records its PID. Both servers share PATHAVANA_PUBLIC_URL
# (the first server's address): it is the access tokens' issuer, so a token
# signed by one verifies on the other.
start_pathavana() {
  local name=$1 level=$2 port pid
  for _ in 1 2 3; do
    port=$(free_port)
    [[ $name == info ]] && port_info=$port
    PATHAVANA_LOG_LEVEL=$level PATHAVANA_PUBLIC_URL=http://127.0.0.1:$port_info \
      ./bin/pathavana serve --addr "127.0.0.1:$port" >"$work/$name.out" 2>"$work/$name.log" &
    pid=$!
    if wait_http "http://127.0.0.1:$port/healthz" "$pid" "$work/$name.log" 2>"$work/$name.start"; then
      pids+=("$pid")
      printf -v "port_$name" '%s' "$port"
      return 0
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    grep -q 'address already in use' "$work/$name.log" || break # only a port race is worth a retry
  done
  cat "$work/$name.start" >&2
  return 1
}

echo "== start (engine=$engine redis=$use_redis)"
port_info="" port_warn=""
start_pathavana info info
api=http://127.0.0.1:$port_info/api/v1

# ---- a verified user and an access token -----------------------------------
email=bench-$RANDOM@example.com
password='lisbon and porto in may'
creds=$(printf '{"email":"%s","password":"%s"}' "$email" "$password")
curl -fsS -o /dev/null "$api/auth/register" -H 'Content-Type: application/json' -d "$creds"
token=""
for _ in $(seq 100); do # the verification email is sent by the job worker
  token=$(grep -o 'verify-email?token=[A-Za-z0-9_-]*' "$work/info.log" | head -n1 | cut -d= -f2 || true)
  [[ -n $token ]] && break
  sleep 0.1
done
[[ -n $token ]] || { echo "no verification link in the log mailer output" >&2; tail -n 20 "$work/info.log" >&2; exit 1; }
curl -fsS -o /dev/null "$api/auth/verify-email" -H 'Content-Type: application/json' -d "{\"token\":\"$token\"}"
access=$(curl -fsS "$api/auth/login" -H 'Content-Type: application/json' -d "$creds" \
  | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
[[ -n $access ]] || { echo "login returned no access token" >&2; exit 1; }
auth="Authorization: Bearer $access"

# ---- the second server (warn) and the baseline ----------------------------
start_pathavana warn warn
./bin/benchhello -addr 127.0.0.1:0 >"$work/hello.out" 2>"$work/hello.log" &
pids+=($!)
for _ in $(seq 100); do [[ -s $work/hello.out ]] && break; sleep 0.05; done
hello_addr=$(head -n1 "$work/hello.out")
wait_http "http://$hello_addr/" "${pids[-1]}" "$work/hello.log"

declare -A url hdr
url[hello]=http://$hello_addr/
url[me_info]=http://127.0.0.1:$port_info/api/v1/me
url[me_warn]=http://127.0.0.1:$port_warn/api/v1/me
hdr[hello]="X-Bench: 1"
hdr[me_info]=$auth
hdr[me_warn]=$auth
# Issue 3's HTTP target: a flight search answered from the search cache
# (the warm-up fills it), on the warn server, no account needed.
search_date=$(date -u -d '+30 days' +%F)
url[search_warn]="http://127.0.0.1:$port_warn/api/v1/search/flights?from=LIS&to=JFK&date=$search_date&adults=2"
hdr[search_warn]="X-Bench: 1"
targets=(hello me_info me_warn search_warn)

for t in me_info me_warn; do
  body=$(curl -fsS "${url[$t]}" -H "${hdr[$t]}")
  [[ $body == *"\"email\":\"$email\""* ]] || { echo "$t: unexpected /me answer: $body" >&2; exit 1; }
done

# pid_ticks PID: CPU time (user+system, clock ticks) the process has used.
pid_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0; }
# machine_ticks: busy ticks summed over every core (all but idle and iowait).
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
hz=$(getconf CLK_TCK)
declare -A pid_of
pid_of[me_info]=${pids[0]}
pid_of[me_warn]=${pids[1]}
pid_of[hello]=${pids[2]}
pid_of[search_warn]=${pids[1]}

# run_wrk TARGET DURATION sets $out to wrk's report followed by one line
# "cpu SERVER_TICKS WRK_SECONDS MACHINE_TICKS ELAPSED_SECONDS". It fails on
# any non-2xx answer (a rejected request is not a fast one: check the rate
# limit and the token) and warns about socket errors and timeouts (> 2 s),
# which a machine overloaded by other work can cause. wrk runs in the
# background so that Ctrl-C interrupts `wait` at once and the exit trap
# stops it; `times` (children's CPU, read before and after) measures it.
run_wrk() {
  local s0 m0 t0 c0 s1 m1 t1 c1
  s0=$(pid_ticks "${pid_of[$1]}"); m0=$(machine_ticks); t0=$(date +%s.%N)
  times >"$work/times0"
  wrk --latency -t"$THREADS" -c"$CONNS" -d"$2" -H "${hdr[$1]}" "${url[$1]}" >"$work/wrk.out" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=""
  times >"$work/times1"
  s1=$(pid_ticks "${pid_of[$1]}"); m1=$(machine_ticks); t1=$(date +%s.%N)
  out=$(<"$work/wrk.out")
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "$1: wrk saw error responses:" >&2; echo "$out" >&2; return 1
  fi
  if grep -q 'Socket errors' <<<"$out"; then
    echo "  warning: $1: $(grep 'Socket errors' <<<"$out" | sed 's/^ *//')" >&2
  fi
  c0=$(tail -n1 "$work/times0" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] } print s }')
  c1=$(tail -n1 "$work/times1" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] } print s }')
  out+=$'\n'"cpu $((s1 - s0)) $(awk -v a="$c0" -v b="$c1" 'BEGIN {print b - a}') $((m1 - m0)) $(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')"
}

echo "== warm-up ($WARMUP each)"
for t in "${targets[@]}"; do run_wrk "$t" "$WARMUP"; done

echo "== measure: wrk -t$THREADS -c$CONNS -d$DURATION --latency, $ROUNDS round(s)"
echo "   srv = CPU of the server process per request; cores used by the server, by wrk, and by"
echo "   everything else (PostgreSQL and Redis, and any other load on the machine)"
results=$work/results.tsv # round target rps p50 p99 srv_us srv_cores wrk_cores machine_cores
: >"$results"
for r in $(seq "$ROUNDS"); do
  for t in "${targets[@]}"; do
    run_wrk "$t" "$DURATION"
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    line=$(awk -v hz="$hz" '
      / requests in / { n = $1 }
      $1 == "cpu" { el = $5; printf "%.1f\t%.2f\t%.2f\t%.2f", $2 / hz * 1e6 / n, $2 / hz / el, $3 / el, $4 / hz / el }' <<<"$out")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$t" "$rps" "$p50" "$p99" "$line" >>"$results"
    IFS=$'\t' read -r srv_us srv_c wrk_c mach_c <<<"$line"
    other=$(awk -v m="$mach_c" -v s="$srv_c" -v w="$wrk_c" 'BEGIN {printf "%.2f", m - s - w}')
    printf '  round %s  %-8s %10s req/s  p50 %-9s p99 %-9s srv %6s us/req  cores: srv %s wrk %s other %s\n' \
      "$r" "$t" "$rps" "$p50" "$p99" "$srv_us" "$srv_c" "$wrk_c" "$other"
    # hello has no database, so CPU used by anything but it and wrk is
    # someone else's work competing for the cores.
    if [[ $t == hello ]] && awk -v o="$other" 'BEGIN {exit !(o > 0.3)}'; then
      echo "  warning: $other cores of other load during hello: this round's ratio is unreliable (ROUNDS=5 helps)" >&2
    fi
  done
done

# Medians per target; the ratio is taken per round (same minutes, same
# machine state) and its median reported.
echo
echo "== result: engine=$engine redis=$use_redis cores=$(nproc) $(go env GOVERSION) rounds=$ROUNDS duration=$DURATION threads=$THREADS conns=$CONNS"
awk -F'\t' '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
  }
  function ms(s) {   # wrk latency with its unit -> milliseconds
    if (s ~ /us$/) return substr(s, 1, length(s)-2) / 1000
    if (s ~ /ms$/) return substr(s, 1, length(s)-2) + 0
    if (s ~ /s$/)  return substr(s, 1, length(s)-1) * 1000
    return s + 0
  }
  { rps[$2, $1] = $3; p50[$2, $1] = ms($4); p99[$2, $1] = ms($5); us[$2, $1] = $6; if ($1 > rounds) rounds = $1 }
  END {
    printf "%-11s %10s %8s %8s %11s %14s %12s\n", "target", "req/s", "p50 ms", "p99 ms", "srv us/req", "ratio (req/s)", "ratio (cpu)"
    n = split("hello me_info me_warn search_warn", ts, " ")
    for (k = 1; k <= n; k++) {
      t = ts[k]
      for (r = 1; r <= rounds; r++) {
        a[r] = rps[t, r]; b[r] = p50[t, r]; c[r] = p99[t, r]; d[r] = us[t, r]
        q[r] = rps[t, r] / rps["hello", r]; e[r] = us["hello", r] / us[t, r]
      }
      printf "%-11s %10.0f %8.2f %8.2f %11.1f %14.3f %12.3f\n", t, median(a, rounds), median(b, rounds), median(c, rounds),
        median(d, rounds), median(q, rounds), median(e, rounds)
    }
  }' "$results"
echo "ratio (req/s) is the acceptance number: req/s of the target over req/s of hello in the same round."
echo "ratio (cpu) is hello's server CPU per request over the target's: the same comparison without"
echo "the noise of other load on the machine (it ignores PostgreSQL, Redis and wrk)."
echo "(me_info: PATHAVANA_LOG_LEVEL=info, the default, access log to a file; me_warn: no access log;"
echo " search_warn: a cached GET /api/v1/search/flights on the warn server, issue 3's target ≥ 0.5)"
