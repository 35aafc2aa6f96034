#!/usr/bin/env bash
# Debian packages the editor tests need: chromium (the browser that drives code-server) and, to build
# code-server's native modules, libkrb5-dev and pkg-config. Installs only what is missing; fails loudly.
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists krb5-gssapi 2>/dev/null || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
/usr/bin/chromium --version
pkg-config --modversion krb5-gssapi >/dev/null
