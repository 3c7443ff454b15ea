#!/usr/bin/env bash
# Install the Debian packages the project needs, if they are missing.
#   system-deps.sh test   -> what the test suite needs (poppler-utils for PDF→PNG checks, xvfb)
#   system-deps.sh gui    -> what a real X11 window needs (Qt's xcb platform plugin libraries)
# Runs apt-get only when something is missing; as root directly, otherwise through sudo if present.
set -eu
what=${1:-test}
pkgs_test="poppler-utils xvfb xauth"
pkgs_gui="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-image0 \
libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1 \
libfontconfig1 libdbus-1-3"
case "$what" in
  test) pkgs="$pkgs_test $pkgs_gui" ;;
  gui) pkgs="$pkgs_gui" ;;
  *) echo "usage: $0 test|gui" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install these system packages with your package manager:$missing" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Missing system packages:$missing — run as root: apt-get install$missing" >&2; exit 1; fi
fi
echo "Installing system packages:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
