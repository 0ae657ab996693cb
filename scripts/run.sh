#!/usr/bin/env bash
# Sets up this machine, builds Tandem and opens it. The first start seeds a
# demo knowledge base and two conversations. Arguments go to the app
# (for example --db FILE).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh"
log "building the app"
(cd "$ROOT" && wails build >/dev/null)
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  die "no display: run this in a desktop session (or under xvfb-run)"
fi
log "starting Tandem"
exec "$ROOT/build/bin/tandem" "$@"
