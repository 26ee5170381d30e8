#!/bin/sh
# image-rootfs.sh DIR: write the few files the scratch-based image needs
# besides the binary, in two trees:
#   DIR/root/     owned by root: CA certificates for outbound TLS (PostgreSQL
#                 with sslmode=require, SMTP, OIDC, providers, OTLP),
#                 /etc/passwd and /etc/group naming the non-root user 65532
#                 ("nonroot", as in distroless), /etc/nsswitch.conf, /tmp
#   DIR/nonroot/  to be copied with owner 65532:65532: /data, the
#                 embedded-mode data directory (a volume in every deployment)
# Copy each tree's contents to / (COPY --chown for the second), so /data
# itself is owned by the runtime user whatever the copy tool's defaults.
#
# Used by both the multi-stage Dockerfile (inside the golang builder) and
# scripts/build-image.sh (on the host), so both images hold the same files.
# POSIX sh on purpose: the builder stage has no bash guarantee.
set -eu
dir=${1:?usage: image-rootfs.sh DIR}
ca=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
[ -s "$ca" ] || { echo "image-rootfs.sh: no CA bundle at $ca (install ca-certificates)" >&2; exit 1; }

root=$dir/root
mkdir -p "$root/etc/ssl/certs" "$root/tmp" "$dir/nonroot/data"
cp "$ca" "$root/etc/ssl/certs/ca-certificates.crt"
cat >"$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/data:/sbin/nologin
P
cat >"$root/etc/group" <<'G'
root:x:0:
nogroup:x:65534:
nonroot:x:65532:
G
# nsswitch.conf makes Go's resolver consult /etc/hosts before DNS, as glibc does.
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
chmod 0755 "$root" "$root/etc" "$root/etc/ssl" "$root/etc/ssl/certs"
chmod 0644 "$root/etc/passwd" "$root/etc/group" "$root/etc/nsswitch.conf" "$root/etc/ssl/certs/ca-certificates.crt"
chmod 1777 "$root/tmp"
chmod 0750 "$dir/nonroot/data"
if [ "$(id -u)" = 0 ]; then chown 65532:65532 "$dir/nonroot/data"; fi
