# syntax=docker/dockerfile:1
#
# Pathavana container image: one static Go binary on an empty (scratch) base,
# running as the non-root user 65532 with nothing writable but /data and /tmp.
#
#   docker build -t pathavana .                       # needs Docker/BuildKit and the golang image
#   docker build --target toolbox -t pathavana:toolbox .   # + pg_dump/pg_restore, for the backup CronJob
#   scripts/build-image.sh                            # daemonless (buildah), no base image to pull
#
#   docker run --read-only --tmpfs /tmp -v pathavana-data:/data -p 8080:8080 pathavana
#   docker run --rm pathavana migrate status          # any command: the entrypoint is the binary
#
# No HEALTHCHECK instruction: the image has no shell, curl or wget to probe
# with, and the binary has no self-probe command yet. Kubernetes ignores
# HEALTHCHECK anyway and uses the Deployment's probes on /healthz (liveness,
# startup) and /readyz (readiness); docker-compose.yml relies on restart
# policies. If `pathavana healthcheck` is added to the CLI, enable:
#   HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/pathavana", "healthcheck"]
#
# scripts/build-image.sh assembles the same final stage with buildah from a
# binary built on the host; deploy/dockerfile_test.go keeps the two in step.

ARG GO_VERSION=1.26.8
ARG DEBIAN_RELEASE=bookworm
ARG POSTGRES_VERSION=15.14

FROM golang:${GO_VERSION}-${DEBIAN_RELEASE} AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOOS=linux GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
# Static (CGO off, pure-Go SQLite), reproducible paths (-trimpath), the IANA
# time zone database embedded (timetzdata: scratch has no /usr/share/zoneinfo).
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -tags timetzdata \
      -ldflags "-s -w -X pathavana/internal/cli.version=${VERSION}" \
      -o /out/pathavana ./cmd/pathavana \
 && /out/pathavana version \
 && sh scripts/image-rootfs.sh /out/image

# toolbox: the same binary on PostgreSQL's client tools, for `pathavana backup`
# and `restore` against PostgreSQL (they run pg_dump/pg_restore). Build it with
# --target toolbox; the default target below stays shell-less.
FROM postgres:${POSTGRES_VERSION}-${DEBIAN_RELEASE} AS toolbox
COPY --from=build /out/pathavana /usr/local/bin/pathavana
COPY --from=build /out/image/root/etc/passwd /out/image/root/etc/group /etc/
COPY --from=build --chown=65532:65532 /out/image/nonroot/ /
ENV PATHAVANA_DATA_DIR=/data
USER 65532:65532
WORKDIR /data
ENTRYPOINT ["/usr/local/bin/pathavana"]
CMD ["backup", "--out", "/backups"]

FROM scratch AS runtime
ARG VERSION=dev
LABEL org.opencontainers.image.title="pathavana" \
      org.opencontainers.image.description="Pathavana travel platform: API server, job worker and operator commands in one binary" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/pathavana/pathavana"
COPY --from=build /out/image/root/ /
COPY --from=build --chown=65532:65532 /out/image/nonroot/ /
COPY --from=build /out/pathavana /usr/local/bin/pathavana
ENV PATH=/usr/local/bin \
    PATHAVANA_ADDR=:8080 \
    PATHAVANA_DATA_DIR=/data
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/pathavana"]
CMD ["serve"]
