#!/usr/bin/env bash
# Prints the path of the Ollama server the tests use, building it first if
# it is not in the cache. It builds from the Go module proxy (about five
# minutes on two cores, once); newer tags than v0.6.5 do not build that way.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bin="$CACHE_DIR/ollama-$OLLAMA_VERSION/ollama"
if [ ! -x "$bin" ]; then
  log "building ollama $OLLAMA_VERSION into $(dirname "$bin") (once; about 5 minutes)"
  mkdir -p "$(dirname "$bin")"
  (cd "$(mktemp -d)" && GOBIN="$(dirname "$bin")" go install "github.com/ollama/ollama@$OLLAMA_VERSION")
fi
echo "$bin"
