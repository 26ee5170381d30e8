#!/usr/bin/env bash
# Runs every Fuzz* target for FUZZTIME each (go test -fuzz takes one target
# per package at a time). A failing target prints its output, including the
# path of the crashing input that go test saved under testdata/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
out=$(mktemp)
stamp=$(mktemp)
trap 'rm -f "$out" "$stamp"' EXIT
status=0
while read -r file; do
  pkg=./$(dirname "$file")
  for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
    echo "fuzz $pkg $target ($fuzztime)"
    touch "$stamp"
    ok=true
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$out" 2>&1 || ok=false
    # Go's fuzzer can report "context deadline exceeded" when time runs out
    # while it is still minimising or shutting workers down on a busy
    # machine; that is not a finding (no input is saved), so run it again.
    if ! $ok && grep -q 'context deadline exceeded' "$out" && ! find "$pkg/testdata/fuzz/$target" -type f -newer "$stamp" 2>/dev/null | grep -q .; then
      echo "  (fuzzer timed out without a finding; running it again)"
      ok=true
      go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$out" 2>&1 || ok=false
    fi
    if ! $ok; then
      cat "$out"
      find "$pkg/testdata/fuzz/$target" -type f -newer "$stamp" -exec sh -c 'echo "--- $1"; cat "$1"' _ {} \; 2>/dev/null || true
      status=1
    fi
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' internal | sort)
exit $status
