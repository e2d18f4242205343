#!/usr/bin/env bash
# Everything Confer needs before it starts or is tested, on Debian 12 with Node 20:
# system packages, PostgreSQL and NATS (JetStream) running, npm packages, a build,
# a local .env, and database migrations. Safe to run again: each step checks first.
#   scripts/setup.sh          for npm start
#   scripts/setup.sh --test   for npm test (also prepares the test database)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- system packages -------------------------------------------------------
need=()
command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
command -v psql >/dev/null || need+=(postgresql postgresql-client)
if ! listening 5432 && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then need+=(postgresql); fi
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
# The browser tests drive Debian's own Chromium (playwright-core downloads no browser).
if [ "$mode" = --test ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
# The recording service encodes with ffmpeg (and its tests inspect with ffprobe); synthetic
# peers (bench/support/synthetic-publisher.mjs) send ffmpeg's test pattern as RTP.
command -v ffmpeg >/dev/null || need+=(ffmpeg)
if [ ${#need[@]} -gt 0 ]; then
  log "installing system packages: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- PostgreSQL ------------------------------------------------------------
if ! listening 5432; then
  log "starting PostgreSQL"
  cluster_version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start 2>/dev/null || as_root pg_ctlcluster "$cluster_version" main start
  for _ in $(seq 1 30); do listening 5432 && break; sleep 1; done
fi
# A role with a password works under both trust and scram-sha-256 authentication.
psql_admin() {
  if psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -tAq "$@"
  else
    as_root su postgres -c "psql -d postgres -v ON_ERROR_STOP=1 -tAq $(printf '%q ' "$@")"
  fi
}
if [ "$(psql_admin -c "select 1 from pg_roles where rolname = 'confer'")" != 1 ]; then
  log "creating database role confer"
  psql_admin -c "create role confer login password 'confer'"
fi
for db in confer confer_test; do
  if [ "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
    log "creating database $db"
    psql_admin -c "create database $db owner confer"
  fi
done

# --- NATS with JetStream ---------------------------------------------------
if ! listening 4222; then
  log "starting NATS with JetStream"
  mkdir -p var/nats
  nats_bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  nohup "$nats_bin" -a 127.0.0.1 -p 4222 -js -sd "$PWD/var/nats" >var/nats/nats.log 2>&1 &
  for _ in $(seq 1 30); do listening 4222 && break; sleep 0.5; done
  listening 4222 || { log "NATS did not start: see var/nats/nats.log"; exit 1; }
fi

# --- mediasoup worker -------------------------------------------------------
# Built once from source against Debian's libraries and cached by version outside the
# clone; mediasoup's own install would download one, which cannot work offline.
MEDIASOUP_WORKER_BIN=$(bash scripts/build-mediasoup-worker.sh)
export MEDIASOUP_WORKER_BIN

# --- npm packages and build ------------------------------------------------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund
fi
log "building"
npx nx run-many -t build --parallel=2 --output-style=static >/dev/null

# --- local configuration ---------------------------------------------------
if [ ! -f .env ]; then
  log "writing .env with a fresh SECRET_ENCRYPTION_KEY (keep it: it decrypts stored secrets)"
  umask 077
  {
    echo "DATABASE_URL=postgres://confer:confer@127.0.0.1:5432/confer"
    echo "NATS_URL=nats://127.0.0.1:4222"
    echo "SECRET_ENCRYPTION_KEY=$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('hex'))")"
    # A developer's own machine: callbacks to local test servers are fine here.
    echo "OUTBOUND_ALLOWED_HOSTS=localhost,127.0.0.1,::1"
    # A developer's own machine: webhooks to http and loopback endpoints work at once.
    echo "WEBHOOKS_ALLOW_HTTP=true"
  } >.env
fi
if ! grep -q '^MEDIASOUP_WORKER_BIN=' .env; then
  echo "MEDIASOUP_WORKER_BIN=$MEDIASOUP_WORKER_BIN" >>.env
fi

# --- migrations ------------------------------------------------------------
if [ "$mode" = run ]; then
  log "applying database migrations"
  set -a; . ./.env; set +a
  npx nx run-many -t migrate --parallel=1 --output-style=static >/dev/null
fi
log "ready"
