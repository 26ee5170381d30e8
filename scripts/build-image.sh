#!/usr/bin/env bash
# build-image.sh: build the Pathavana container image without a Docker daemon.
#
# Base images cannot be pulled on the build machines, so instead of running
# the Dockerfile's golang stage this script builds the static binary with the
# host's Go toolchain and assembles the Dockerfile's final (scratch) stage with
# buildah: same files (scripts/image-rootfs.sh), same user, env, ports,
# entrypoint. People with Docker use `docker build .` and get the same image.
#
#   scripts/build-image.sh                       # → localhost/pathavana:<version> and :latest
#   IMAGE=localhost/pathavana:test scripts/build-image.sh
#   ARCHIVE=/tmp/pathavana.tar scripts/build-image.sh   # also write an OCI archive (for trivy --input, skopeo)
#
# Environment: IMAGE (tag), VERSION (stamped into the binary; default git
# describe), STORAGE_DRIVER (buildah storage, default vfs: works without
# overlayfs), ARCHIVE (optional OCI archive path), GO (go binary).
# Requires: go, buildah (Debian: apt-get install buildah), root or rootless buildah.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
VERSION=${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}
IMAGE=${IMAGE:-localhost/pathavana:${VERSION}}
STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
export STORAGE_DRIVER
command -v buildah >/dev/null || { echo "build-image.sh: buildah not found (apt-get install buildah, or scripts/install-tools.sh)" >&2; exit 1; }

work=$(mktemp -d)
ctr=
cleanup() {
  [ -z "$ctr" ] || buildah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "build-image: compiling pathavana $VERSION (static, trimpath)"
CGO_ENABLED=0 GOOS=linux GOFLAGS=-buildvcs=false "$GO" build -trimpath -tags timetzdata \
  -ldflags "-s -w -X pathavana/internal/cli.version=${VERSION}" \
  -o "$work/pathavana" ./cmd/pathavana
if ldd "$work/pathavana" >/dev/null 2>&1; then
  echo "build-image.sh: binary is dynamically linked; the scratch image needs a static one" >&2
  exit 1
fi
sh scripts/image-rootfs.sh "$work/image"

echo "build-image: assembling $IMAGE from scratch with buildah ($STORAGE_DRIVER)"
# The image this tag names now, removed below once nothing names it (vfs
# storage keeps full copies, so repeated test builds would pile up).
previous=$(buildah images --quiet --noheading "$IMAGE" 2>/dev/null | head -1 || true)
ctr=$(buildah from scratch)
buildah copy --quiet "$ctr" "$work/image/root/" / >/dev/null
buildah copy --quiet --chown 65532:65532 "$ctr" "$work/image/nonroot/" / >/dev/null
buildah copy --quiet --chmod 0755 "$ctr" "$work/pathavana" /usr/local/bin/pathavana >/dev/null
# Mirrors the runtime stage of the Dockerfile, instruction by instruction.
buildah config \
  --label org.opencontainers.image.title=pathavana \
  --label "org.opencontainers.image.description=Pathavana travel platform: API server, job worker and operator commands in one binary" \
  --label "org.opencontainers.image.version=${VERSION}" \
  --label org.opencontainers.image.source=https://github.com/pathavana/pathavana \
  --env PATH=/usr/local/bin \
  --env PATHAVANA_ADDR=:8080 \
  --env PATHAVANA_DATA_DIR=/data \
  --user 65532:65532 \
  --workingdir /data \
  --volume /data \
  --port 8080/tcp \
  --entrypoint '["/usr/local/bin/pathavana"]' \
  --cmd '["serve"]' \
  "$ctr"
buildah commit --quiet --rm --format oci "$ctr" "$IMAGE" >/dev/null
ctr=
latest=${IMAGE%:*}:latest
[ "$latest" = "$IMAGE" ] || buildah tag "$IMAGE" "$latest"
if [ -n "$previous" ]; then
  # Fails, harmlessly, while another tag still names it.
  buildah rmi "$previous" >/dev/null 2>&1 || true
fi
if [ -n "${ARCHIVE:-}" ]; then
  rm -f "$ARCHIVE"
  buildah push --quiet "$IMAGE" "oci-archive:${ARCHIVE}:${IMAGE}"
  echo "build-image: wrote $ARCHIVE"
fi
echo "build-image: built $IMAGE ($(buildah inspect --type image --format '{{.OCIv1.Config.User}}' "$IMAGE") user)"
