#!/usr/bin/env bash
# Install what esmcfg needs to build, run and test on Debian 12.
# As root it runs apt-get directly; otherwise through sudo.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

# Build and runtime libraries, test tools (tmux drives the screen in the
# end-to-end tests; python3 runs them; valgrind and clang for later checks).
packages=(
    build-essential cmake pkg-config
    libncurses-dev libcjson-dev libcmocka-dev libyaml-dev
    tmux python3 locales
    clang libclang-rt-14-dev valgrind
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# The JSON export is checked against botocore's Lambda model, and the CDK
# comparison needs Node.js with npm; use the machine's own when present.
python3 -c "import botocore" 2>/dev/null || missing+=(python3-botocore)
python3 -c "import yaml" 2>/dev/null || missing+=(python3-yaml)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ "${#missing[@]}" -gt 0 ]; then
    echo "deps: installing ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
