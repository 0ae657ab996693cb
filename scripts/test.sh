#!/usr/bin/env bash
# Sets up this machine and runs every test: Go unit and integration tests
# (against a real Ollama server with the tiny model from ../shared/models),
# the frontend's type check and Vitest tests, and a desktop smoke test of
# the built app under Xvfb. Screenshots land in test-output/desktop/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --test
TANDEM_OLLAMA_BIN="$("$ROOT/scripts/ollama-bin.sh")"
export TANDEM_OLLAMA_BIN TANDEM_REQUIRE_OLLAMA=1

log "building the app (frontend, bindings, binary)"
wails build >/dev/null

log "frontend: type check and unit tests"
(cd frontend && npm run --silent check && npm test --silent)

log "go vet"
go vet ./...

log "go test with the race detector (real Ollama server: $TANDEM_OLLAMA_BIN)"
go test -race -count=1 ./...

log "desktop smoke test"
"$ROOT/scripts/desktop-smoke.sh"
