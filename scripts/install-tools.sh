#!/usr/bin/env bash
# install-tools.sh: install the tools the deploy/ tests use when present, so
# that CI runs every check instead of skipping it. Idempotent: each tool is
# installed only when missing (or at another version), so a warm machine
# spends no time here.
#
#   helm        go install helm.sh/helm/v3/cmd/helm@v3.22.0         (~3 min cold)
#   actionlint  go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 (~15 s)
#   promtool    Debian package prometheus                          (~25 s with buildah)
#   amtool      Debian package prometheus-alertmanager
#   buildah     Debian package buildah (daemonless image build and run)
#   ShellCheck  Debian package shellcheck (also used by actionlint)
#
# Go binaries land in $(go env GOPATH)/bin; add it to PATH (the script prints
# it). Needs root for apt-get. Set SKIP_APT=1 or SKIP_GO=1 to skip a half.
set -euo pipefail

HELM_VERSION=v3.22.0
ACTIONLINT_VERSION=v1.7.12

export PATH=$PATH:/usr/local/go/bin
gobin=$(go env GOPATH)/bin
export PATH=$PATH:$gobin

log() { echo "install-tools: $*"; }

if [ -z "${SKIP_APT:-}" ]; then
  missing=()
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
  command -v buildah >/dev/null 2>&1 || missing+=(buildah)
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    # --no-install-recommends keeps the prometheus packages from pulling in
    # exporters; policy-rc.d stops Debian starting their daemons.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

go_tool() { # go_tool NAME PACKAGE VERSION EXPECTED-OUTPUT VERSION-COMMAND...
  local name=$1 pkg=$2 version=$3 expect=$4
  shift 4
  if command -v "$name" >/dev/null 2>&1 && "$@" 2>/dev/null | grep -qF "$expect"; then
    return 0
  fi
  log "go install $pkg@$version"
  local start=$SECONDS
  # Outside the module: its go.mod and GOFLAGS must not affect the tool build.
  (cd / && GOFLAGS='' GOTOOLCHAIN=local go install "$pkg@$version")
  log "$name installed in $((SECONDS - start)) s"
}

if [ -z "${SKIP_GO:-}" ]; then
  # A go-installed helm reports "v3.22" (no patch number): match on that.
  go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" "${HELM_VERSION%.*}" helm version --short
  go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" "${ACTIONLINT_VERSION#v}" actionlint --version
fi

for tool in helm actionlint promtool amtool buildah shellcheck; do
  if p=$(command -v "$tool"); then log "$tool: $p"; else log "$tool: missing"; fi
done
log "Go tools are in $gobin (add it to PATH)"
