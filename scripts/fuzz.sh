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
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$out" 2>&1; then
      cat "$out"
      find "$pkg/testdata/fuzz/$target" -type f -newer "$stamp" -exec sh -c 'echo "--- $1"; cat "$1"' _ {} \; 2>/dev/null || true
      status=1
    fi
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' internal | sort)
exit $status
