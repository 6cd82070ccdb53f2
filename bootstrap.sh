#!/usr/bin/env bash
# debtdesk: one command from a fresh Debian 12 machine.
#
#   ./bootstrap.sh run     install what is needed, then start the app on demo data
#   ./bootstrap.sh test    install what is needed, then run the test suite
#
# Also accepted: setup, check, bench (passed to make the same way).
# Steps: (1) Debian packages via apt-get (skipped entirely when all are installed;
# uses sudo when not root), (2) pick a Python >= 3.11, (3) exec make <target>, which
# creates .venv and pip-installs the project when needed.
set -euo pipefail

say() { printf '[bootstrap] %s\n' "$*"; }
die() { printf '[bootstrap] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    cat >&2 <<'EOF'
usage: ./bootstrap.sh run|test

  run    install everything needed, then start debtdesk on a demo database
         (needs a desktop session)
  test   install everything needed, then run the tests (SQLite and PostgreSQL)

Other targets (setup, check, bench) are passed to make as well.
EOF
    exit 2
}

[ $# -eq 1 ] || usage
target=$1
case "$target" in
    run | test | setup | check | bench) ;;
    -h | --help | help) usage ;;
    *) printf '[bootstrap] unknown target: %s\n\n' "$target" >&2; usage ;;
esac

cd "$(dirname "$(readlink -f "$0")")"

# Fail fast, before installing anything, when the app could not show a window anyway.
if [ "$target" = run ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    die "debtdesk needs a desktop session (no DISPLAY or WAYLAND_DISPLAY is set).
  Run ./bootstrap.sh run from a terminal in your desktop, or ./bootstrap.sh test
  to run the test suite, which needs no display."
fi

# ---------------------------------------------------------------- system packages
packages=(
    make python3 python3-venv python3-pip
    # Qt runtime libraries (TECH.md: offscreen and under Xvfb)
    libegl1 libgl1 libopengl0 libglib2.0-0 libdbus-1-3 libfontconfig1 fontconfig
    libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
    libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
    libxcb-xinerama0
    # Xvfb for real windows in tests/screenshots (xvfb-run needs xauth)
    xvfb xauth
    # pdftotext, pdftoppm, pdffonts
    poppler-utils
)
# Only the tests need these (about 1 GB with LibreOffice and Wine): `run` goes without.
test_packages=(
    # LibreOffice Calc without a GUI (soffice --headless): the workbook check converts
    # each report's workbook and checks it opens and its totals compute (tests/reports)
    libreoffice-calc-nogui
    # PostgreSQL 15 server: the tests start a private throwaway instance
    postgresql
    # The bundle (make bundle-test): PyInstaller reads shared libraries with objdump
    # (binutils); makensis compiles the Windows installer script, and 64-bit Wine runs
    # that installer, its upgrade and its uninstaller in tests/release
    binutils nsis wine64
)
if [ "$target" = test ]; then packages+=("${test_packages[@]}"); fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    die "this script needs a Debian-based system (dpkg and apt-get); Debian 12 is supported."
fi
if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    os_id=$(. /etc/os-release && echo "${ID:-}:${VERSION_ID:-}")
    [ "$os_id" = "debian:12" ] || say "note: tested on Debian 12; this is ${os_id} - package names may differ."
fi

# Status-Abbrev is e.g. "ii " for installed; unknown packages print nothing.
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${packages[@]}" 2>/dev/null \
    | awk 'substr($1, 2, 1) == "i" { print $2 }' || true)
missing=()
for pkg in "${packages[@]}"; do
    grep -qxF -- "$pkg" <<<"$installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
    say "system packages: all ${#packages[@]} already installed"
else
    if [ "$(id -u)" -eq 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
        say "installing system packages with sudo (you may be asked for your password)"
    else
        die "these Debian packages are missing and sudo is not available:
  ${missing[*]}
  Install them as root (apt-get install ...) or install sudo, then run this again."
    fi
    say "missing system packages: ${missing[*]}"
    t0=$SECONDS
    apt_log=$(mktemp -t debtdesk-apt.XXXXXX)
    trap 'rm -f "$apt_log"' EXIT
    # Wait for a running apt/unattended-upgrades instead of failing on the dpkg lock.
    apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600)
    say "apt-get update"
    if ! "${as_root[@]}" "${apt_get[@]}" update >"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        die "apt-get update failed (network or apt sources?)"
    fi
    say "apt-get install ${#missing[@]} packages (a minute or two on a fresh machine)"
    if ! "${as_root[@]}" "${apt_get[@]}" install -y --no-install-recommends "${missing[@]}" \
        >"$apt_log" 2>&1; then
        tail -n 40 "$apt_log" >&2
        die "apt-get install failed (output above)"
    fi
    rm -f "$apt_log"
    trap - EXIT
    say "system packages installed in $((SECONDS - t0)) s"
fi

# ---------------------------------------------------------------- Python >= 3.11
# The python3 on PATH first (e.g. pyenv), then versioned names, then Debian's own.
python=""
for candidate in python3 python3.13 python3.12 python3.11 /usr/bin/python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    exe=$("$candidate" -c 'import sys; print(sys.executable if sys.version_info >= (3, 11) else "")' \
        2>/dev/null) || continue
    if [ -n "$exe" ] && "$exe" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        python=$exe
        break
    fi
done
[ -n "$python" ] || die "no Python >= 3.11 with the venv module found (on Debian 12: apt-get install python3 python3-venv)."
say "python: $python ($("$python" -V 2>&1))"

# ---------------------------------------------------------------- make
say "make $target"
exec make --no-print-directory "$target" PYTHON="$python"
