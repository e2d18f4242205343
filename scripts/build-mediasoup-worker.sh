#!/usr/bin/env bash
# Builds mediasoup's C++ worker on Debian 12 without reaching anything but the npm
# registry and Debian's packages, and caches the binary by version outside the clone.
# Prints the binary's path on stdout; a second run only prints it.
#
# Why: mediasoup's own install downloads a prebuilt worker from GitHub, or else builds
# it with meson sub-projects that are also downloaded from GitHub. Version 3.12.16
# matches Debian 12's own libsrtp 2.5, abseil 20220623, libuv 1.44, OpenSSL 3.0,
# usrsctp and nlohmann-json, so we point its meson files at those instead.
# With MEDIASOUP_WORKER_BIN set to the printed path, `npm ci` skips mediasoup's
# download/build and the library spawns this binary at run time.
set -euo pipefail
version=3.12.16
cache_dir=${CONFER_CACHE_DIR:-$HOME/.cache/confer}
bin=$cache_dir/mediasoup-worker-$version
log() { printf '\033[1m[mediasoup-worker]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

# --- build packages ----------------------------------------------------------
packages=(meson ninja-build pkg-config g++ make python3 libssl-dev libuv1-dev libsrtp2-dev
  libusrsctp-dev libabsl-dev nlohmann-json3-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing build packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- source, from the npm registry's tarball ----------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "fetching mediasoup@$version from the npm registry"
(cd "$work" && npm pack --silent "mediasoup@$version" >/dev/null 2>&1)
tar -xzf "$work/mediasoup-$version.tgz" -C "$work"
worker=$work/package/worker

# --- point meson at the system libraries ---------------------------------------
log "patching meson.build for Debian's libraries"
python3 - "$worker" <<'PY'
import pathlib, re, sys

worker = pathlib.Path(sys.argv[1])

def subproject_block(name):
    # `<name>_proj = subproject('...', default_options: [...],\n)` up to its closing line.
    return re.compile(r"^%s_proj = subproject\(\n.*?^\)\n" % name, re.M | re.S)

def patch(path, edits):
    text = path.read_text()
    for pattern, replacement in edits:
        text, count = re.subn(pattern, replacement, text, flags=re.M | re.S) if isinstance(pattern, str) \
            else pattern.subn(replacement, text)
        if count == 0:
            sys.exit(f"{path.name}: nothing matched {pattern}")
    path.write_text(text)

patch(worker / "meson.build", [
    # Debian 12 has meson 1.0.1; nothing here needs 1.1.
    (r"meson_version: '>= 1\.1\.0'", "meson_version: '>= 1.0.1'"),
    (subproject_block("openssl"), "openssl_dep = dependency('openssl', version: '>= 3.0')\n"),
    (subproject_block("nlohmann_json"), "nlohmann_json_dep = dependency('nlohmann_json')\n"),
    (subproject_block("libuv"), "libuv_dep = dependency('libuv')\n"),
    # Debian installs srtp.h under /usr/include/srtp2 and its .pc file does not say so.
    (subproject_block("libsrtp2"),
     "libsrtp2_dep = declare_dependency(\n"
     "  dependencies: dependency('libsrtp2'),\n"
     "  compile_args: ['-I/usr/include/srtp2'],\n"
     ")\n"),
    (subproject_block("usrsctp"), "usrsctp_dep = dependency('usrsctp')\n"),
    (subproject_block("abseil_cpp"),
     "absl_container_dep = [dependency('absl_flat_hash_map'), dependency('absl_flat_hash_set')]\n"),
    (subproject_block("catch2"), ""),
    (r"abseil_cpp_proj\.get_variable\('absl_container_dep'\)", "absl_container_dep"),
    (r"\w+_proj\.get_variable\('(openssl_dep|nlohmann_json_dep|libuv_dep|libsrtp2_dep|usrsctp_dep)'\)", r"\1"),
    # The system libraries are shared: only the bundled libwebrtc is linked whole.
    (r"^link_whole = \[\n.*?^\]\n", "link_whole = [\n  libwebrtc,\n]\n"),
    # The catch2 unit-test executables (and their test() entries) need catch2: drop them.
    (r"^test_sources = \[\n.*?(?=^executable\(\n  'mediasoup-worker-fuzzer')", ""),
])

patch(worker / "deps" / "libwebrtc" / "meson.build", [
    (subproject_block("abseil_cpp"),
     "absl_strings_dep = dependency('absl_strings')\n"
     "absl_types_dep = dependency('absl_optional')\n"),
    (r"abseil_cpp_proj\.get_variable\('(absl_strings_dep|absl_types_dep)'\)", r"\1"),
    (r"\w+_proj\.get_variable\('(openssl_dep|nlohmann_json_dep|libuv_dep)'\)", r"\1"),
])
PY

# --- build ---------------------------------------------------------------------
log "building mediasoup-worker $version (a few minutes, once)"
if ! (cd "$worker" && meson setup --buildtype release -Db_ndebug=true build >"$work/build.log" 2>&1 &&
  ninja -C build mediasoup-worker >>"$work/build.log" 2>&1); then
  tail -n 40 "$work/build.log" >&2
  log "build failed"
  exit 1
fi

mkdir -p "$cache_dir"
install -m 755 "$worker/build/mediasoup-worker" "$bin.tmp.$$"
mv -f "$bin.tmp.$$" "$bin"
log "cached $bin"
echo "$bin"
