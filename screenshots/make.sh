#!/usr/bin/env bash
# Renew screenshots/*.png: drive the real esmcfg through the scenes of
# screenshots/scenes.txt in tmux, capture each screen with its colours
# (tmux capture-pane -e), turn it into HTML (ansi2html.py) and photograph
# that with headless Chromium.
#
#   screenshots/make.sh [--only NAME,...] [--html] [--text] [-v]
#
# ESMCFG=path/to/esmcfg uses that binary; otherwise build/ is built (cmake)
# first. Installs tmux, chromium, fonts-dejavu-core and ncurses-bin from
# Debian's packages when missing (as root with apt-get, otherwise sudo).
# Extra arguments go to scenes.py (--html and --text keep NAME.html and
# NAME.txt beside the PNGs, for checking).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(dirname "$here")

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

# tmux runs the program, chromium takes the pictures, DejaVu Sans Mono has
# every box-drawing character, infocmp/tic (ncurses-bin) make the terminfo
# copy without bce (see scenes.py), python3 runs it all.
packages=(tmux chromium fonts-dejavu-core ncurses-bin python3 fontconfig)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "make.sh: installing ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! fc-list 'DejaVu Sans Mono' | grep -q .; then
    echo "make.sh: the font DejaVu Sans Mono is not installed (fonts-dejavu-core)" >&2
    exit 1
fi

if [ -z "${ESMCFG:-}" ]; then
    cmake -S "$src" -B "$src/build" >/dev/null
    cmake --build "$src/build" -j2 --target esmcfg >/dev/null
    ESMCFG="$src/build/esmcfg"
fi

# Fixed surroundings: the scenes set their own TERM, LANG, TZ and HOME;
# this keeps Chromium's own locale and time zone from varying too.
export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8
python3 "$here/scenes.py" --esmcfg "$ESMCFG" --out "$here" --png "$@"

# A picture whose scene is gone would be left behind: say so.
for png in "$here"/*.png; do
    [ -e "$png" ] || continue
    name=$(basename "$png" .png)
    grep -q "^scene $name\$" "$here/scenes.txt" ||
        echo "make.sh: $png has no scene in scenes.txt any more; remove it" >&2
done
