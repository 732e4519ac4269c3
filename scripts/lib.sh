# scripts/lib.sh: shared by scripts/run and scripts/test (sourced, not run).
# Debian / Raspberry Pi OS packages Waymark needs, and a helper that
# installs the missing ones.

# Building and running the booth (and the libraries its later parts use:
# signatures, bundle archives, QR codes, systemd readiness).
WAYMARK_RUN_PACKAGES="build-essential cmake pkg-config libsdl2-dev libfreetype-dev
  libharfbuzz-dev libfribidi-dev libunibreak-dev libcjson-dev libpng-dev
  libsodium-dev libarchive-dev libqrencode-dev libsystemd-dev fonts-noto-core tzdata"

# Tests: git (the format check lists the tree's files), Check, Unicode
# conformance data, hb-shape, the format checker, clang and libFuzzer for
# the fuzz targets (libclang-rt-dev: apt leaves it out as a mere
# recommendation), the ecosystem's own checkers (zbar's QR reader,
# minisign, promtool, systemd-analyze), strace, and Pango as the text benchmark's peer
# (waymark-bench-pango; the booth never links it).
WAYMARK_TEST_PACKAGES="git check unicode-data libharfbuzz-bin clang-format clang libclang-rt-dev
  zbar-tools minisign prometheus strace systemd libpango1.0-dev"

# Packages (scripts/package, scripts/cross-arm64): Debian's checker, the
# tools that make a chroot to install into, the arm64 cross-compiler and
# qemu-user to run its test suites (the :arm64 -dev packages are added by
# scripts/cross-arm64, after `dpkg --add-architecture arm64`).
WAYMARK_PACKAGE_PACKAGES="lintian debootstrap gzip"
WAYMARK_CROSS_PACKAGES="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static"

# Fuzzing (scripts/fuzz): clang with libFuzzer's runtime.
WAYMARK_FUZZ_PACKAGES="clang libclang-rt-dev"

WAYMARK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

wm_say() {
    printf 'waymark: %s\n' "$*" >&2
}

# wm_install_packages PKG...: apt-get installs the packages not yet
# installed (through sudo when not root).
wm_install_packages() {
    local missing=() p sudo=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { wm_say "need root or sudo to install: ${missing[*]}"; return 1; }
        sudo="sudo"
    fi
    wm_say "installing: ${missing[*]}"
    $sudo apt-get update -q >/dev/null || { wm_say "apt-get update failed"; return 1; }
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >/dev/null || { wm_say "apt-get install failed: ${missing[*]}"; return 1; }
}

wm_jobs() {
    nproc 2>/dev/null || echo 2
}
