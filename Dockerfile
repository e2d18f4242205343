# One image for every Confer service; the Helm chart picks the command per Deployment.
# Build and push: see deploy/README.md.

# --- build: the mediasoup worker, npm packages, and every project's build -------------
FROM node:20-bookworm AS build
WORKDIR /src
# The worker is built against Debian's own libraries, exactly as `npm start` does it on a
# developer's machine (scripts/build-mediasoup-worker.sh), and kept at a fixed path.
ENV CONFER_CACHE_DIR=/opt/confer
COPY scripts/build-mediasoup-worker.sh scripts/
RUN bash scripts/build-mediasoup-worker.sh \
 && install -D -m 0755 /opt/confer/mediasoup-worker-3.12.16 /opt/confer/bin/mediasoup-worker
ENV MEDIASOUP_WORKER_BIN=/opt/confer/bin/mediasoup-worker

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
COPY apps/auth/package.json apps/auth/
COPY apps/rooms/package.json apps/rooms/
COPY apps/media/package.json apps/media/
COPY apps/stats/package.json apps/stats/
COPY apps/webhooks/package.json apps/webhooks/
COPY apps/web/package.json apps/web/
COPY libs libs
RUN npm ci --no-audit --no-fund

COPY . .
RUN npx nx run-many -t build --parallel=2 --output-style=static \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf apps/*/src libs/*/src test bench .nx

# --- runtime: Node, the worker's shared libraries, nothing else -----------------------
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libuv1 libsrtp2-1 libusrsctp2 \
      libabsl20220623 libssl3 libnss3 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 confer \
 && useradd --uid 10001 --gid confer --no-create-home --shell /usr/sbin/nologin confer
WORKDIR /app
COPY --from=build /opt/confer/bin/mediasoup-worker /opt/confer/bin/mediasoup-worker
COPY --from=build --chown=root:root /src /app
ENV NODE_ENV=production \
    MEDIASOUP_WORKER_BIN=/opt/confer/bin/mediasoup-worker \
    HOST=0.0.0.0
USER 10001:10001
EXPOSE 8080
# Without a command from the chart: every service and the gateway in one container, for a
# quick look (DATABASE_URL, NATS_URL and SECRET_ENCRYPTION_KEY must be given).
CMD ["node", "deploy/local/start.mjs"]
