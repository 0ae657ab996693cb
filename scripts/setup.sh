#!/usr/bin/env bash
# Installs what Tandem needs to build and run on Debian 12: system libraries
# for the Wails window, the Wails CLI and the frontend's npm packages.
# With --test it also installs what the tests need (Xvfb, screenshot tools)
# and builds the Ollama server the integration tests run. Safe to re-run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

command -v go >/dev/null || die "Go is not installed: see https://go.dev/doc/install"
command -v node >/dev/null || die "Node.js 20.19+ is not installed"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' \
  || die "Node.js $(node --version) is too old: Vite 8 needs 20.19 or newer"

pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev fonts-noto-cjk)
[ $with_tests = 1 ] && pkgs+=(xvfb xdotool xclip imagemagick x11-utils curl openssl)
apt_install "${pkgs[@]}"

if [ "$(wails version 2>/dev/null | head -1)" != "$WAILS_VERSION" ]; then
  log "building the Wails CLI $WAILS_VERSION"
  # 'go install ...wails@v2.9.2' fails on Go 1.26: the golang.org/x/tools it
  # pins no longer compiles. Build it in a scratch module with a newer x/tools.
  tmp="$(mktemp -d)"
  (
    cd "$tmp"
    go mod init wailscli >/dev/null 2>&1
    go get "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION" golang.org/x/tools@latest >/dev/null 2>&1
    go build -o "$GOBIN_DIR/wails" github.com/wailsapp/wails/v2/cmd/wails
  )
  rm -rf "$tmp"
fi

log "installing frontend packages"
(cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)

if [ $with_tests = 1 ]; then
  "$ROOT/scripts/ollama-bin.sh" >/dev/null
fi
