#!/usr/bin/env bash
# Re-records the screen captures in this directory: runs the real, pinned agent CLIs in tmux against the scripted
# fake model server (src/test/java/dev/caod/fakemodel) and the echo MCP server (src/test/resources/mcp).
#
#   usage: src/test/resources/screens/record.sh [all|claude_code|codex]
#
# env:
#   JAVA_HOME       a JDK >= 21 (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   CAOD_TEST_CP    classpath holding jackson-databind/core/annotations (default: /tmp/caod-cp.txt if present,
#                   else the newest jackson jars in ~/.m2)
#   CAOD_AGENT_CLIS install prefix of the CLIs (see .ci/install-agent-clis.sh)
#   REC_WORK        scratch dir (default $HOME/.cache/caod/rec; wiped first). A fixed path keeps the paths shown
#                   on screen stable between recordings; it is not under /tmp because Codex warns about
#                   CODEX_HOME under /tmp.
#   DELAY_SECONDS   delay of the fake model's "slow" answers (default 20)
#   OUT             output dir (default: this directory)
#   KEEP=1          keep REC_WORK (fake-model.log, mcp.log, the CLI homes) afterwards
set -euo pipefail
export LC_ALL=C.UTF-8

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
OUT=${OUT:-$HERE}
WHICH=${1:-all}
DELAY=${DELAY_SECONDS:-20}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=${REC_WORK:-$HOME/.cache/caod/rec}
WD=$WORK/work
SOCK=rec
PANE=""
FM_PID=""

log() { echo "[record] $*" >&2; }
T() { tmux -L "$SOCK" "$@"; }

cleanup() {
  set +e
  T kill-server 2>/dev/null
  [ -n "$FM_PID" ] && kill "$FM_PID" 2>/dev/null
  # CLI leftovers started from our scratch dir (e.g. Codex's app-server daemon under $WORK/codex-home)
  for pid in $(pgrep -f "$WORK/" 2>/dev/null); do kill "$pid" 2>/dev/null; done
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

# ------------------------------------------------------------------------------------------------ prerequisites
BIN=$("$REPO/.ci/install-agent-clis.sh" | tail -1)
export PATH="$BIN:$PATH"
CLAUDE_VERSION=$(claude --version | awk '{print $1}')
CODEX_VERSION=$(codex --version | awk '{print $NF}')
log "claude $CLAUDE_VERSION, codex $CODEX_VERSION"

if [ -z "${CAOD_TEST_CP:-}" ]; then
  if [ -f /tmp/caod-cp.txt ]; then
    CAOD_TEST_CP=$(cat /tmp/caod-cp.txt)
  else
    newest() { find "$HOME/.m2/repository/com/fasterxml/jackson/core/$1" -name "$1-2*.jar" | sort -V | tail -1; }
    CAOD_TEST_CP="$(newest jackson-databind):$(newest jackson-core):$(newest jackson-annotations)"
  fi
fi

T kill-server 2>/dev/null || true
for pid in $(pgrep -f "$WORK/" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
rm -rf "$WORK"
mkdir -p "$WORK/classes" "$WD"
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/classes" -cp "$CAOD_TEST_CP" \
  "$REPO/src/test/java/dev/caod/fakemodel/Scenario.java" "$REPO/src/test/java/dev/caod/fakemodel/FakeModelServer.java"
"$JAVA_HOME/bin/java" -cp "$WORK/classes:$CAOD_TEST_CP" dev.caod.fakemodel.FakeModelServer \
  --delay-seconds "$DELAY" --url-file "$WORK/url" >"$WORK/fake-model.out" 2>"$WORK/fake-model.log" &
FM_PID=$!
for _ in $(seq 100); do [ -s "$WORK/url" ] && break; sleep 0.1; done
BASE=$(cat "$WORK/url")
log "fake model at $BASE (log: $WORK/fake-model.log)"
MCP_SERVER="$REPO/src/test/resources/mcp/echo_mcp_server.py"

# ------------------------------------------------------------------------------------------------ helpers
screen() { T capture-pane -p -t "$PANE"; }
title() { T display -p -t "$PANE" '#{pane_title}'; }
command_of() { T display -p -t "$PANE" '#{pane_current_command}'; }

# wait_for REGEX [TIMEOUT]: a line of the visible screen matches (grep -P)
wait_for() {
  local re=$1 end=$((SECONDS + ${2:-60}))
  while ((SECONDS < end)); do screen | grep -qP -- "$re" && return 0; sleep 0.2; done
  log "timeout waiting for /$re/"; screen >&2; return 1
}
# wait_gone REGEX [TIMEOUT]: no line of the visible screen matches
wait_gone() {
  local re=$1 end=$((SECONDS + ${2:-60}))
  while ((SECONDS < end)); do screen | grep -qP -- "$re" || return 0; sleep 0.2; done
  log "timeout waiting for /$re/ to go away"; screen >&2; return 1
}
# wait_log REGEX [TIMEOUT]: the fake model logged a matching request (e.g. the follow-up after a tool result)
wait_log() {
  local re=$1 end=$((SECONDS + ${2:-60}))
  while ((SECONDS < end)); do grep -qP -- "$re" "$WORK/fake-model.log" && return 0; sleep 0.2; done
  log "timeout waiting for fake-model log /$re/"; return 1
}
wait_title() {
  local re=$1 end=$((SECONDS + ${2:-60}))
  while ((SECONDS < end)); do title | grep -qP -- "$re" && return 0; sleep 0.2; done
  log "timeout waiting for title /$re/ (title: $(title))"; return 1
}
wait_command() {
  local want=$1 end=$((SECONDS + ${2:-30}))
  while ((SECONDS < end)); do [ "$(command_of)" = "$want" ] && return 0; sleep 0.2; done
  log "timeout waiting for command $want (now: $(command_of))"; return 1
}
type_text() { T send-keys -t "$PANE" -l "$1"; sleep 0.5; }
enter() { T send-keys -t "$PANE" Enter; }

# capture PROVIDER STATE EXPECT [scrollback]
capture() {
  local provider=$1 state=$2 expect=$3 mode=${4:-screen} cli ext=screen
  mkdir -p "$OUT/$provider"
  case $provider in claude_code) cli="claude $CLAUDE_VERSION" ;; codex) cli="codex $CODEX_VERSION" ;; esac
  local t c
  t=$(title); c=$(command_of)
  if [ "$mode" = scrollback ]; then
    ext=scrollback
    T capture-pane -p -S - -t "$PANE" >"$WORK/cap"
  else
    T capture-pane -p -t "$PANE" >"$WORK/cap"
  fi
  { printf '# cli: %s\n# title: %s\n# command: %s\n# expect: %s\n# ---\n' "$cli" "$t" "$c" "$expect"; cat "$WORK/cap"; } \
    >"$OUT/$provider/$state.$ext"
  log "$provider/$state.$ext (title '$t', command '$c')"
}

new_pane() { # NAME ENVFILE
  T new-session -d -x 220 -y 50 -s "$1" -c "$WD" "bash --norc --noprofile"
  T set -g focus-events on
  PANE=$1
  T send-keys -t "$PANE" "source $2 && cd $WD" Enter
  sleep 0.5
}
launch() { T send-keys -t "$PANE" "clear && $1" Enter; }

NOT_BUSY_TITLE='^(?![\x{2800}-\x{28FF}])'   # pane title not starting with a braille spinner

# ------------------------------------------------------------------------------------------------ Claude Code
record_claude() {
  local H=$WORK/claude-home P=claude_code KEY=sk-ant-fake-000000000000000000000000
  mkdir -p "$H/.claude"
  cat >"$H/.claude.json" <<EOF
{"hasCompletedOnboarding":true,"theme":"dark","autoUpdates":false,
 "customApiKeyResponses":{"approved":["${KEY: -20}"],"rejected":[]},
 "bypassPermissionsModeAccepted":true,
 "projects":{"$WD":{"hasTrustDialogAccepted":true,"hasCompletedProjectOnboarding":true}}}
EOF
  echo '{"skipDangerousModePermissionPrompt": true}' >"$H/.claude/settings.json"
  cat >"$WORK/claude-mcp.json" <<EOF
{"mcpServers":{"echo":{"type":"stdio","command":"python3","args":["$MCP_SERVER","$WORK/marker.txt"],
 "env":{"ECHO_MCP_LOG":"$WORK/mcp.log"}}}}
EOF
  cat >"$WORK/claude.env" <<EOF
export HOME=$H IS_SANDBOX=1 ANTHROPIC_BASE_URL=$BASE ANTHROPIC_API_KEY=$KEY DISABLE_AUTOUPDATER=1
export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 PATH=$BIN:\$PATH
EOF
  local CLAUDE="claude --mcp-config $WORK/claude-mcp.json --strict-mcp-config"
  new_pane claude "$WORK/claude.env"

  # --- session 1: bypass permissions
  launch "$CLAUDE --dangerously-skip-permissions"
  wait_for '^❯\x{00A0}'; wait_for 'bypass permissions on'; sleep 1.5
  capture $P idle idle
  type_text "slow hello please"; wait_for '^❯.slow hello please'
  capture $P typing idle
  enter; wait_for 'esc to interrupt'; sleep 1
  capture $P busy processing
  sleep 4; capture $P busy_2 processing
  sleep 6; capture $P busy_3 processing
  wait_for 'FAKE-SLOW-HELLO' $((DELAY + 30)); wait_gone 'esc to interrupt'; sleep 1
  capture $P done completed

  type_text "slow tool please"; enter
  # the follow-up request (carrying the tool result) is in flight and delayed by the fake model
  wait_log 'results=1 -> reply "FAKE-DONE after slow tool' 60; sleep 2
  capture $P busy_after_tool processing
  wait_for 'FAKE-DONE after slow tool' $((DELAY + 30)); wait_gone 'esc to interrupt'; sleep 1
  capture $P done_after_tool completed

  type_text "long answer please"; enter
  wait_for 'LINE-150' 60; wait_gone 'esc to interrupt'; sleep 1.5
  capture $P long_answer completed
  capture $P long_answer completed scrollback

  type_text "/exit"; enter; wait_command bash; sleep 1
  capture $P exited error

  # --- session 2: default permission mode -> tool approval dialog
  T clear-history -t "$PANE"
  launch "$CLAUDE"
  wait_for '^❯\x{00A0}'; sleep 1.5
  capture $P idle_default_mode idle
  type_text "use the tool please"; enter
  wait_for 'Do you want to proceed\?' 60; sleep 1
  capture $P permission waiting_user_answer
  enter
  wait_for 'FAKE-DONE marker' 60; wait_gone 'esc to interrupt'; sleep 1
  capture $P done_after_permission completed
  type_text "/exit"; enter; wait_command bash
}

# ------------------------------------------------------------------------------------------------ Codex
record_codex() {
  local H=$WORK/codex-home P=codex
  mkdir -p "$H/.codex"
  cat >"$H/.codex/config.toml" <<EOF
model = "fake-model"
model_provider = "fake"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[model_providers.fake]
name = "Fake"
base_url = "$BASE/v1"
env_key = "FAKE_API_KEY"
wire_api = "responses"

[mcp_servers.echo]
command = "python3"
args = ["$MCP_SERVER", "$WORK/marker.txt"]
env = { ECHO_MCP_LOG = "$WORK/mcp.log" }

[projects."$WD"]
trust_level = "trusted"

[tui]
screen_reader_detection_done = true
EOF
  cat >"$WORK/codex.env" <<EOF
export HOME=$H CODEX_HOME=$H/.codex FAKE_API_KEY=fake PATH=$BIN:\$PATH
EOF
  local READY="fake-model default · "
  new_pane codex "$WORK/codex.env"

  # --- session 1: approvals bypassed
  launch "codex --dangerously-bypass-approvals-and-sandbox"
  wait_for "$READY" 60; sleep 2
  capture $P idle idle
  type_text "slow hello please"; wait_for '^› slow hello please'
  capture $P typing idle
  enter; wait_for 'esc to interrupt'; sleep 1
  capture $P busy processing
  sleep 4; capture $P busy_2 processing
  sleep 6; capture $P busy_3 processing
  wait_for 'FAKE-SLOW-HELLO' $((DELAY + 30)); wait_gone 'esc to interrupt'; wait_title "$NOT_BUSY_TITLE"; sleep 1
  capture $P done completed

  type_text "slow tool please"; enter
  wait_log 'results=1 -> reply "FAKE-DONE after slow tool' 60; sleep 2
  capture $P busy_after_tool processing
  wait_for 'FAKE-DONE after slow tool' $((DELAY + 30)); wait_title "$NOT_BUSY_TITLE"; sleep 1
  capture $P done_after_tool completed

  type_text "long answer please"; enter
  wait_for 'LINE-150' 60; wait_title "$NOT_BUSY_TITLE"; sleep 1.5
  capture $P long_answer completed
  capture $P long_answer completed scrollback

  type_text "/exit"; sleep 0.5; enter; wait_command bash; sleep 1
  capture $P exited error

  # --- session 2: approval_policy on-request -> MCP tool approval dialog
  T clear-history -t "$PANE"
  launch "codex -c approval_policy='\"on-request\"'"
  wait_for "$READY" 60; sleep 2
  type_text "use the tool please"; enter
  wait_for 'Allow the echo MCP server' 60; sleep 1
  capture $P permission waiting_user_answer
  enter
  wait_for 'FAKE-DONE marker' 60; wait_title "$NOT_BUSY_TITLE"; sleep 1
  capture $P done_after_permission completed
  type_text "/exit"; sleep 0.5; enter; wait_command bash

  # --- session 3: --no-alt-screen (inline mode). With the default alternate screen the tmux scrollback does NOT
  # hold the earlier part of a long answer; inline mode keeps it.
  T clear-history -t "$PANE"
  launch "codex --dangerously-bypass-approvals-and-sandbox --no-alt-screen"
  wait_for "$READY" 60; sleep 2
  capture $P idle_inline idle
  type_text "long answer please"; enter
  wait_for 'LINE-150' 60; wait_title "$NOT_BUSY_TITLE"; sleep 1.5
  capture $P long_answer_inline completed
  capture $P long_answer_inline completed scrollback
  type_text "/exit"; sleep 0.5; enter; wait_command bash; sleep 1
  capture $P exited_inline error
}

case $WHICH in
  all) record_claude; T kill-server; record_codex ;;
  claude_code) record_claude ;;
  codex) record_codex ;;
  *) echo "usage: $0 [all|claude_code|codex]" >&2; exit 2 ;;
esac
log "done; fake model log: $WORK/fake-model.log"
