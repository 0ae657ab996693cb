#!/usr/bin/env bash
# Desktop smoke test: runs the built app (build/bin/tandem) in a real window
# under Xvfb against a temporary database and a real Ollama server, and
# checks what the window shows by the colours of its status bar:
#   1. the window appears, with the demo, status bar healthy (green dot), and the Knowledge panel
#      shows highlighted passages and a "solved before" answer for the Chinese and English demo;
#   2. Ollama is killed: the status bar turns into the error message;
#   3. Ollama is started again: the error clears by itself;
#   4. Ctrl+, opens the Settings dialog;
#   (and before that: a conversation posted to the app's ingest API shows up, and a
#   reply typed into the composer reaches it, read back through the API; text copied with the
#   clipboard watch on becomes the customer's next message; a transcript imported through the
#   file dialog ends in a report; Ctrl+K opens the knowledge base, a CSV imported through the
#   file dialog and then watched follows a change to the file, and an article deleted after
#   the confirmation is gone from the database, all read back with `tandem kb list`)
#   5. the demo in Simplified Chinese, status bar healthy, its Knowledge panel, and its knowledge base (Ctrl+K);
#   6. live suggestions: a customer message posted to the ingest API gets a reply draft in the
#      Suggestions panel, in the English window and, for an English customer of a Chinese-speaking
#      agent (agentLang=zh-CN), in the Chinese one with its translation; Alt+I inserts the draft.
# Screenshots: test-output/desktop/*.png. Fails if the window never appears.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

APP="$ROOT/build/bin/tandem"
OUT="$ROOT/test-output/desktop"
[ -x "$APP" ] || die "$APP is missing: run 'wails build' first"
OLLAMA_BIN="${TANDEM_OLLAMA_BIN:-$("$ROOT/scripts/ollama-bin.sh")}"
MODELFILE="${TANDEM_SHARED_MODELS:-$ROOT/../shared/models}/Modelfile.tiny-chat"
[ -f "$MODELFILE" ] || die "$MODELFILE is missing (set TANDEM_SHARED_MODELS)"

rm -rf "$OUT" && mkdir -p "$OUT"
WORK="$(mktemp -d)"
pids=()
cleanup() {
  [ -n "${ollama_pid:-}" ] && kill -- "-$ollama_pid" 2>/dev/null
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK" ${KBDIR:+"$KBDIR"}
}
trap cleanup EXIT

# A display and a loopback port of our own.
disp=90
while [ -e "/tmp/.X11-unix/X$disp" ] || [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1366x860x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$disp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HOST="127.0.0.1:$port"

ollama_pid=
start_ollama() {
  # setsid: a process group of its own, so that killing it also ends its model runners.
  OLLAMA_HOST="$HOST" OLLAMA_MODELS="$WORK/models" setsid "$OLLAMA_BIN" serve >>"$WORK/ollama.log" 2>&1 &
  ollama_pid=$!
  pids+=($ollama_pid)
  for _ in $(seq 100); do
    curl -fsS "http://$HOST/api/version" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$WORK/ollama.log" >&2
  die "ollama did not start on $HOST"
}
start_ollama
OLLAMA_HOST="$HOST" "$OLLAMA_BIN" create tiny -f "$MODELFILE" >/dev/null 2>&1 || die "ollama create failed"

# pixels COLOUR FILE: how many pixels of exactly COLOUR the status bar (the
# window's bottom 20 rows) has in the screenshot FILE.
pixels() {
  local h
  h=$(identify -format %h "$2")
  convert "$2" -crop "x20+0+$((h - 22))" +repage -fill black +opaque "$1" -fill white -opaque "$1" \
    -format '%[fx:round(mean*w*h)]' info:
}

# panel_pixels COLOUR FILE: how many pixels of exactly COLOUR the suggestion panel (the window's
# right 370 columns) has: highlighted words are #FFF0B3, a "solved before" answer stands on #EEF6F0.
panel_pixels() {
  local w
  w=$(identify -format %w "$2")
  convert "$2" -crop "370x700+$((w - 370))+50" +repage -fill black +opaque "$1" -fill white -opaque "$1" \
    -format '%[fx:round(mean*w*h)]' info:
}
HIGHLIGHT='#FFF0B3'
ANSWER='#EEF6F0'

# knowledge_shown NAME: screenshots until the panel shows highlighted words and a "solved before"
# answer (both, for the demo's open conversations), for at most 5 s.
knowledge_shown() {
  for _ in $(seq 25); do
    shot "$1"
    [ "$(panel_pixels "$HIGHLIGHT" "$OUT/$1.png")" -gt 50 ] && [ "$(panel_pixels "$ANSWER" "$OUT/$1.png")" -gt 500 ] && return 0
    sleep 0.2
  done
  return 1
}

# draft_pixels FILE: how many pixels of the suggestion panel (right 370 columns, header and status
# bar left out) have the tint of a reply draft, #F4F8FF (SuggestionPanel.svelte's .draft).
DRAFT_BG='#F4F8FF'
draft_pixels() {
  local w h
  w=$(identify -format %w "$1")
  h=$(identify -format %h "$1")
  convert "$1" -crop "370x$((h - 80))+$((w - 370))+45" +repage -fill black +opaque "$DRAFT_BG" -fill white -opaque "$DRAFT_BG" \
    -format '%[fx:round(mean*w*h)]' info:
}

# draft_shown NAME SECONDS: screenshots until the panel shows a reply draft, scrolling the panel down
# a little each time (the Knowledge section comes first), for at most SECONDS.
draft_shown() {
  local end=$(($(date +%s) + $2))
  xdotool mousemove --window "$win" 1180 400
  while :; do
    shot "$1"
    [ "$(draft_pixels "$OUT/$1.png")" -gt 2000 ] && return 0
    [ "$(date +%s)" -lt "$end" ] || return 1
    xdotool click 5 click 5
    sleep 0.5
  done
}

# brightness FILE: mean grey level, 0..1; the dialog's backdrop darkens the window.
brightness() { convert "$1" -colorspace gray -format '%[fx:mean]' info:; }
# edge_brightness FILE: the same for the window's left edge, which a wide dialog leaves to the backdrop.
edge_brightness() { convert "$1" -crop 80x600+0+100 +repage -colorspace gray -format '%[fx:mean]' info:; }

win=
shot() { import -window "$win" "$OUT/$1.png"; }

# until_shot NAME COLOUR SECONDS: screenshots until the status bar shows
# COLOUR, for at most SECONDS; prints how long it took.
until_shot() {
  local start end n
  start=$(date +%s%N)
  end=$((start + $3 * 1000000000))
  while :; do
    shot "$1"
    n=$(pixels "$2" "$OUT/$1.png")
    if [ "$n" -gt 3 ]; then
      echo "$(( ($(date +%s%N) - start) / 1000000 )) ms"
      return 0
    fi
    [ "$(date +%s%N)" -lt "$end" ] || return 1
    sleep 0.2
  done
}

OK_DOT='#1F9D55'
ERROR_BG='#FDECEA'

API_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
API="http://127.0.0.1:$API_PORT"
api() { # api METHOD PATH [JSON]: calls the running app's ingest API, prints the status code
  curl -s -o "$WORK/api-answer.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer smoke-token" \
    -H 'Content-Type: application/json' ${3:+-d "$3"} "$API$2"
}

# await_message ROLE TEXT: waits up to 6 s for the message in conversation smoke-1, read through the API.
await_message() {
  for _ in $(seq 30); do
    api GET /v1/conversations/smoke-1/messages >/dev/null
    grep -qF "\"role\":\"$1\",\"text\":\"$2\"" "$WORK/api-answer.json" && return 0
    sleep 0.2
  done
  cat "$WORK/api-answer.json" >&2
  return 1
}

# in_db PATTERN: a row of `tandem conversations` for the English database matches PATTERN (a few tries:
# the command opens the database beside the running app).
in_db() {
  for _ in 1 2 3; do
    go run ./cmd/tandem conversations --db "$WORK/en.db" >"$WORK/convs.txt" 2>&1 && grep -q "$1" "$WORK/convs.txt" && return 0
    sleep 0.5
  done
  return 1
}

# kb_has PATTERN [SECONDS]: a line of `tandem kb list` for the English database matches PATTERN
# within SECONDS (default 3).
kb_has() {
  local end=$(($(date +%s) + ${2:-3}))
  while :; do
    go run ./cmd/tandem kb list --db "$WORK/en.db" >"$WORK/kb.txt" 2>&1 && grep -q "$1" "$WORK/kb.txt" && return 0
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.3
  done
}

# choose_file TITLE PATH: in the GTK file dialog titled TITLE, types PATH, chooses it, and waits
# for the dialog to close.
choose_file() {
  local dialog
  dialog=$(timeout 20 xdotool search --sync --onlyvisible --name "^$1\$" | head -1) || die "no file dialog '$1'"
  sleep 1                                                 # let GTK draw it before typing
  xdotool windowfocus --sync "$dialog" 2>/dev/null || true
  xdotool key --window "$dialog" ctrl+l
  sleep 0.3
  xdotool type --window "$dialog" --delay 5 "$2"
  sleep 0.3
  xdotool key --window "$dialog" Return
  for _ in $(seq 50); do xdotool search --onlyvisible --name "^$1\$" >/dev/null || break; sleep 0.2; done
}

run_app() { # run_app LANG UILANG [AGENTLANG]
  local db="$WORK/$1.db"
  go run ./cmd/tandem settings set --db "$db" "ollamaHost=$HOST" chatModel=tiny "uiLang=$2" "agentLang=${3:-en}" \
    "ingestPort=$API_PORT" ingestToken=smoke-token chatwootMode=webhook chatwootSecret=smoke-secret >/dev/null
  "$APP" --db "$db" >"$WORK/app-$1.log" 2>&1 &
  app_pid=$!
  pids+=($app_pid)
  win=$(timeout 60 xdotool search --sync --onlyvisible --name '^Tandem$' | head -1) || {
    cat "$WORK/app-$1.log" >&2
    die "the Tandem window never appeared ($1)"
  }
}

log "English window"
run_app en en
until_shot en "$OK_DOT" 20 >/dev/null || die "status bar never turned healthy (see $OUT/en.png)"

log "the Knowledge panel: articles with highlighted passages and 'solved before', Chinese and English conversations"
knowledge_shown en-knowledge-zh || die "no highlighted article or solved-before answer for the Chinese demo (see $OUT/en-knowledge-zh.png)"
xdotool mousemove --window "$win" 140 235 click 1      # Emma Clarke, the English demo conversation
knowledge_shown en-knowledge-en || die "no highlighted article or solved-before answer for the English demo (see $OUT/en-knowledge-en.png)"

log "a conversation arrives through the app's ingest API"
for _ in $(seq 50); do curl -fs "$API/v1/health" >/dev/null && break; sleep 0.1; done
[ "$(api PUT /v1/conversations/smoke-1 '{"title":"Wrong size","customer_name":"Sam Lee","lang":"en"}')" = 200 ] ||
  die "PUT conversation: $(cat "$WORK/api-answer.json")"
[ "$(api POST /v1/conversations/smoke-1/messages '{"role":"customer","text":"The shoes I got are one size too small. Can I swap them?","external_id":"s1"}')" = 201 ] ||
  die "POST message: $(cat "$WORK/api-answer.json")"
[ "$(api POST /v1/conversations/smoke-1/messages '{"role":"customer","text":"The shoes I got are one size too small. Can I swap them?","external_id":"s1"}')" = 200 ] ||
  die "repeated POST was not answered 200"
[ "$(api POST /v1/conversations/smoke-1/messages '{"role":"robot","text":"x"}')" = 422 ] || die "unknown role was not refused"
sleep 1
shot en-api-message

log "the agent opens it and types a reply in the composer"
xdotool mousemove --window "$win" 140 140 click 1      # the new conversation, top of the list
sleep 0.5
xdotool mousemove --window "$win" 433 651 click 1      # "I said"
xdotool mousemove --window "$win" 590 695 click 1      # the message box
xdotool type --delay 5 "Sure, I will send a pair one size up today."
xdotool key --clearmodifiers ctrl+Return
await_message agent "Sure, I will send a pair one size up today." || die "the typed reply did not reach the conversation"
shot en-typed-reply

log "live suggestions: the customer's message got a reply draft in the Suggestions panel"
draft_shown en-suggestions 90 || die "no reply draft in the Suggestions panel (see $OUT/en-suggestions.png)"
xdotool mousemove --window "$win" 1180 400 click 4 click 4 click 4 click 4 click 4 click 4 click 4 click 4

log "clipboard watch: Ctrl+Shift+L, then text copied in another program"
xdotool key --clearmodifiers ctrl+shift+l
sleep 1
printf 'Also, can I get a refund for the shipping?' | xclip -selection clipboard 2>/dev/null
await_message customer "Also, can I get a refund for the shipping?" || die "copied text did not become the customer's next message"
shot en-clipboard
xdotool key --clearmodifiers ctrl+shift+l

log "importing a transcript through the file dialog"
before=$(brightness "$OUT/en-clipboard.png")
xdotool mousemove --window "$win" 173 69 click 1          # "Import…"
choose_file Transcripts "$ROOT/internal/transcript/testdata/chats.jsonl"
sleep 1
shot en-import
after=$(brightness "$OUT/en-import.png")
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a < b - 0.1) }' ||
  die "no import report after choosing a file (see $OUT/en-import.png)"
in_db "^import	c-100	Late parcel	2$" || die "the imported conversation is not in the database: $(cat "$WORK/convs.txt")"
xdotool key --clearmodifiers Escape

log "a signed Chatwoot webhook reaches the running app"
body='{"event":"message_created","id":901,"content":"Hi, my order #100482 is late.","message_type":"incoming","private":false,"created_at":"'"$(date -u +%FT%TZ)"'","conversation":{"id":42,"status":"open","meta":{"sender":{"name":"Chatwoot Customer"}}}}'
ts=$(date +%s)
sig="sha256=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac smoke-secret -r | cut -d' ' -f1)"
code=$(curl -s -o "$WORK/api-answer.json" -w '%{http_code}' -X POST "$API/v1/chatwoot/webhook" \
  -H "X-Chatwoot-Timestamp: $ts" -H "X-Chatwoot-Signature: $sig" -H "X-Chatwoot-Delivery: smoke-1" -d "$body")
[ "$code" = 200 ] || die "Chatwoot webhook: $code $(cat "$WORK/api-answer.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/v1/chatwoot/webhook" \
  -H "X-Chatwoot-Timestamp: $ts" -H "X-Chatwoot-Signature: sha256=00" -d "$body")
[ "$code" = 401 ] || die "a badly signed webhook was answered $code, not 401"
in_db "^chatwoot	42	" || die "the Chatwoot conversation is not in the database: $(cat "$WORK/convs.txt")"
xdotool mousemove --window "$win" 140 230 click 1      # second in the list (an imported message is dated tomorrow)
sleep 0.5
xdotool mousemove --window "$win" 590 695 click 1
xdotool type --delay 5 "Your parcel is on its way."
sleep 0.5
shot en-chatwoot                                       # the composer offers Send to Chatwoot / Private note

log "the knowledge base: Ctrl+K, a CSV imported through the file dialog and watched, an article deleted"
# Not under $WORK: GTK's file dialog reads the files of every folder on the typed path, and a
# process that opens and closes a SQLite file loses its locks on it (POSIX), after which the
# `tandem kb list` beside it may take the running app's WAL for its own and remove it.
KBDIR="$(mktemp -d)"
mkdir -p "$KBDIR/kb"
printf '%s\n' 'id,title,body,tags,lang' \
  'faq/gift-cards,Gift cards,Gift cards never expire and can be used for any order.,gift,en' \
  'faq/invoices,Invoices,We email a PDF invoice when your order ships.,invoice,en' >"$KBDIR/kb/faq.csv"
before=$(edge_brightness "$OUT/en-chatwoot.png")
xdotool mousemove --window "$win" 600 500 click 1 key --clearmodifiers ctrl+k
sleep 1
shot en-kb                                             # the demo's six articles
after=$(edge_brightness "$OUT/en-kb.png")
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a < b - 0.1) }' ||
  die "Ctrl+K did not open the knowledge base (brightness $before -> $after; see $OUT/en-kb.png)"
kb_has "^6 articles$" || die "the demo knowledge base is not six articles: $(cat "$WORK/kb.txt")"
xdotool mousemove --window "$win" 1110 113 click 1     # "Import file…"
choose_file 'Knowledge-base file' "$KBDIR/kb/faq.csv"
kb_has "^faq/invoices	Invoices	en	$KBDIR/kb/faq.csv$" 10 || die "the imported CSV is not in the knowledge base: $(cat "$WORK/kb.txt")"
sleep 0.5
shot en-kb-import                                      # the report: 2 added
xdotool mousemove --window "$win" 121 706 click 1      # "Watch" on the faq.csv source (first by path)
sleep 2                                                # the watch's first import
printf '%s\n' 'faq/warranty,Warranty,Two years on all electronics.,warranty,en' >>"$KBDIR/kb/faq.csv"
xdotool mousemove --window "$win" 700 30               # off the checkbox: no tooltip in the shot
kb_has "^faq/warranty	Warranty	en	" 15 || { shot en-kb-watched; die "the watched CSV's new article did not reach the knowledge base (see $OUT/en-kb-watched.png): $(cat "$WORK/kb.txt")"; }
sleep 1
shot en-kb-watched                                     # "Re-imported …: 1 added"
xdotool mousemove --window "$win" 180 425 click 1      # "Returns and refunds", sixth by title
sleep 0.7
xdotool mousemove --window "$win" 1110 630 click 1     # "Delete…"
sleep 0.7
shot en-kb-confirm
kb_has "^demo/returns-refunds	" || die "the article was deleted before the agent confirmed"
xdotool mousemove --window "$win" 1107 621 click 1     # "Delete" in the question
sleep 1
shot en-kb-deleted
kb_has "^8 articles$" 5 || die "after the delete the knowledge base is not 8 articles: $(cat "$WORK/kb.txt")"
! grep -q "^demo/returns-refunds	" "$WORK/kb.txt" || die "the deleted article is still in the database"
xdotool key --clearmodifiers Escape
sleep 0.7
shot en-kb-closed
after=$(edge_brightness "$OUT/en-kb-closed.png")
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a > b - 0.05) }' || die "Esc did not close the knowledge base (see $OUT/en-kb-closed.png)"

log "stopping Ollama"
{ kill -9 -- "-$ollama_pid" && wait "$ollama_pid"; } 2>/dev/null || true
took=$(until_shot en-ollama-down "$ERROR_BG" 10) || die "the window never said Ollama is down (see $OUT/en-ollama-down.png)"
log "    'not reachable' shown after $took"

log "starting Ollama again"
start_ollama
took=$(until_shot en-recovered "$OK_DOT" 20) || die "the error did not clear after Ollama came back (see $OUT/en-recovered.png)"
log "    recovered after $took"

log "opening Settings with Ctrl+,"
before=$(brightness "$OUT/en-recovered.png")
xdotool mousemove --window "$win" 600 500 click 1 key --clearmodifiers ctrl+comma
sleep 1
shot en-settings
after=$(brightness "$OUT/en-settings.png")
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a < b - 0.1) }' ||
  die "Ctrl+, did not open the Settings dialog (brightness $before -> $after; see $OUT/en-settings.png)"
kill "$app_pid"
wait "$app_pid" 2>/dev/null || true                 # its window gone before the next one is looked for

log "Chinese window"
run_app zh zh-CN zh-CN
until_shot zh "$OK_DOT" 20 >/dev/null || die "status bar never turned healthy in Chinese (see $OUT/zh.png)"
knowledge_shown zh || die "no highlighted article or solved-before answer in the Chinese window (see $OUT/zh.png)"
before=$(edge_brightness "$OUT/zh.png")
xdotool mousemove --window "$win" 600 500 click 1 key --clearmodifiers ctrl+k
sleep 1
shot zh-kb
after=$(edge_brightness "$OUT/zh-kb.png")
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a < b - 0.1) }' ||
  die "Ctrl+K did not open the knowledge base in Chinese (see $OUT/zh-kb.png)"
xdotool mousemove --window "$win" 180 335 click 1      # "退换货政策", last by title
sleep 0.7
shot zh-kb-article

log "live suggestions in Chinese: an English customer of a Chinese-speaking agent, with a translation"
xdotool key --clearmodifiers Escape
sleep 0.5
for _ in $(seq 50); do curl -fs "$API/v1/health" >/dev/null && break; sleep 0.1; done
[ "$(api PUT /v1/conversations/smoke-zh '{"title":"Late parcel","customer_name":"Emma Stone","lang":"en"}')" = 200 ] ||
  die "PUT conversation (zh): $(cat "$WORK/api-answer.json")"
[ "$(api POST /v1/conversations/smoke-zh/messages '{"role":"customer","text":"My parcel has not arrived yet and the tracking has not moved for a week. Where is it?","external_id":"z1"}')" = 201 ] ||
  die "POST message (zh): $(cat "$WORK/api-answer.json")"
sleep 1
xdotool mousemove --window "$win" 140 140 click 1      # the new conversation, top of the list
draft_shown zh-suggestions 90 || die "no reply draft in the Chinese window (see $OUT/zh-suggestions.png)"
sleep 3                                                # the translation streams beside it
shot zh-suggestions
xdotool key --clearmodifiers alt+i                     # the draft into the message box, as "I said"
sleep 0.7
shot zh-inserted
xdotool mousemove --window "$win" 1180 400 click 5 click 5 click 5 click 5 click 5 click 5 click 5 click 5
sleep 0.5
shot zh-suggestions-below                              # the translation and the follow-ups
xdotool mousemove --window "$win" 771 744 click 1      # "翻译给顾客": the inserted reply in the customer's language
sleep 15                                               # the tiny model translates a long draft slowly
shot zh-reply-translation

log "screenshots in $OUT"
echo "desktop-smoke: 17 passed, 0 failed"
