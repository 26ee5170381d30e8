#!/usr/bin/env bash
# test-image.sh: build the image daemonlessly and prove it works as deployed:
#   1. the image config: non-root USER 65532, entrypoint = the binary, port 8080;
#   2. `buildah run` executes one-shot commands in it (version, help);
#   3. `serve` from the image's root filesystem, mounted READ-ONLY, as uid
#      65532 in its own mount and PID namespaces, with /data bound to a
#      writable temporary directory and /tmp on tmpfs (as Kubernetes runs it):
#      /healthz and /readyz answer 200, a sign-up works, and the process runs
#      as 65532, not root, on a read-only root.
#
#   scripts/test-image.sh                     # builds localhost/pathavana:test first
#   SKIP_BUILD=1 IMAGE=localhost/pathavana:x scripts/test-image.sh
#
# Needs root (mount namespaces, chroot), buildah, curl, jq, ss (iproute2).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/pathavana:test}
export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
fail() { echo "test-image: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "must run as root (mount namespace + chroot)"
for c in buildah curl jq ss unshare chroot; do command -v "$c" >/dev/null || fail "$c not found"; done

if [ -z "${SKIP_BUILD:-}" ]; then
  IMAGE=$IMAGE scripts/build-image.sh
fi

# 1. Image configuration.
cfg=$(buildah inspect --type image "$IMAGE" | jq '.OCIv1.config')
user=$(jq -r '.User // ""' <<<"$cfg")
case "$user" in
  "" | 0 | 0:* | root | root:*) fail "image user is '$user', want a non-root uid" ;;
esac
[ "$user" = "65532:65532" ] || fail "image user is $user, want 65532:65532"
[ "$(jq -r '.Entrypoint | join(" ")' <<<"$cfg")" = /usr/local/bin/pathavana ] || fail "unexpected entrypoint: $(jq -c .Entrypoint <<<"$cfg")"
jq -e '.ExposedPorts | has("8080/tcp")' <<<"$cfg" >/dev/null || fail "port 8080 not exposed"
jq -e '.Volumes | has("/data")' <<<"$cfg" >/dev/null || fail "/data is not a volume"
echo "test-image: config ok (user $user, entrypoint $(jq -c .Entrypoint <<<"$cfg"), cmd $(jq -c .Cmd <<<"$cfg"))"

ctr=
tmpd=
serve_pid=
cleanup() {
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    # unshare --fork ignores SIGTERM while it waits; SIGKILL makes
    # --kill-child take the server down with it.
    kill -KILL "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  if [ -n "$ctr" ]; then
    buildah umount "$ctr" >/dev/null 2>&1 || true
    buildah rm "$ctr" >/dev/null 2>&1 || true
  fi
  [ -z "$tmpd" ] || rm -rf "$tmpd"
}
trap cleanup EXIT

# 2. One-shot commands through buildah run (chroot isolation, image config).
ctr=$(buildah from "$IMAGE")
v=$(buildah run --isolation chroot "$ctr" -- /usr/local/bin/pathavana version)
echo "test-image: buildah run version → $v"
buildah run --isolation chroot "$ctr" -- /usr/local/bin/pathavana help | grep -q "Usage: pathavana" || fail "help did not print usage"

# 3. serve on a read-only root as the image user.
mnt=$(buildah mount "$ctr")
tmpd=$(mktemp -d /tmp/pathavana-image-test.XXXXXX)
root=$tmpd/root data=$tmpd/data
mkdir "$root" "$data"
chown "${user}" "$data"
chmod 0750 "$data"
port=
for _ in $(seq 1 50); do
  p=$(( (RANDOM % 12000) + 20000 ))  # below the ephemeral range that port-0 listeners use
  if [ -z "$(ss -Htln "sport = :$p")" ]; then port=$p; break; fi
done
[ -n "$port" ] || fail "no free port"

# The image's own environment, then the test's overrides.
mapfile -t image_env < <(jq -r '.Env[]?' <<<"$cfg")
log=$tmpd/serve.log
# shellcheck disable=SC2016 # the inner script expands its own arguments
unshare --mount --pid --fork --kill-child bash -c '
  set -e
  root=$1 mnt=$2 data=$3 user=$4 chroot=$5; shift 5
  mount --make-rprivate /
  mount --bind "$mnt" "$root"
  mount -o remount,bind,ro "$root"
  mount --bind "$data" "$root/data"
  mount -t tmpfs -o mode=1777,size=16m tmpfs "$root/tmp"
  exec env -i "$@" "$chroot" --userspec="$user" "$root" /usr/local/bin/pathavana serve
' test-image "$root" "$mnt" "$data" "$user" "$(command -v chroot)" \
  "${image_env[@]}" \
  PATHAVANA_ADDR="127.0.0.1:$port" \
  PATHAVANA_PUBLIC_URL="http://127.0.0.1:$port" \
  PATHAVANA_LOG_FORMAT=text \
  >"$log" 2>&1 &
serve_pid=$!

ready=
for _ in $(seq 1 100); do
  kill -0 "$serve_pid" 2>/dev/null || { cat "$log" >&2; fail "serve exited"; }
  code=$(curl -s -o "$tmpd/readyz.json" -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
  if [ "$code" = 200 ]; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || { cat "$log" >&2; cat "$tmpd/readyz.json" >&2 2>/dev/null || true; fail "/readyz did not answer 200 (last: ${code:-none})"; }
jq -e '.ready == true' "$tmpd/readyz.json" >/dev/null || fail "/readyz body is not ready: $(cat "$tmpd/readyz.json")"
echo "test-image: /readyz 200 $(jq -c '[.checks[] | {(.name): .status}] | add' "$tmpd/readyz.json")"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] || fail "/healthz not 200"

# A write path end to end: sign-up stores a user in SQLite under /data.
code=$(curl -s -o "$tmpd/signup.json" -w '%{http_code}' "http://127.0.0.1:$port/api/v1/auth/register" \
  -H 'Content-Type: application/json' \
  -d '{"email":"image-test@example.com","password":"lisbon and porto in may"}')
case "$code" in 201 | 202) ;; *) fail "sign-up answered $code: $(cat "$tmpd/signup.json")" ;; esac
written=$(find "$data" -mindepth 1 -maxdepth 1 -printf '%f ')
[ -n "$written" ] || fail "nothing written to the data volume"
echo "test-image: sign-up $code, data volume holds: $written"

# The listening process: not root, and its root filesystem is read-only.
pid=$(ss -Htlnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$pid" ] || fail "cannot find the serving process"
uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
gids=$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
[ "$uids" = "65532 65532 65532 65532" ] || fail "serve runs with uids $uids"
[ "$gids" = "65532 65532 65532 65532" ] || fail "serve runs with gids $gids"
[ "$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")" = 0000000000000000 ] || fail "serve has effective capabilities"
awk '$5 == "/" {print $6}' "/proc/$pid/mountinfo" | grep -qE '(^|,)ro(,|$)' || fail "root filesystem is not read-only"
echo "test-image: serve pid $pid runs as uid/gid 65532 with no capabilities on a read-only root"

# Graceful stop: SIGTERM to the server drains and exits 0 (unshare passes its status on).
kill -TERM "$pid"
rc=0
wait "$serve_pid" || rc=$?
serve_pid=
[ "$rc" = 0 ] || { cat "$log" >&2; fail "serve exited $rc on SIGTERM"; }
echo "test-image: PASS ($IMAGE)"
