#!/usr/bin/env bash
# Re-records the screen captures in this directory: runs the real, pinned agent CLIs in tmux against the scripted
# fake model server (src/test/java/dev/caod/fakemodel) and the echo MCP server (src/test/resources/mcp).
#
#   usage: src/test/resources/screens/record.sh [all|claude_code|codex|gemini_cli|qwen_code|opencode]
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

# Processes this recording started: their command line or their environment names $WORK (Codex's app-server daemon
# under $WORK/codex-home; Gemini CLI re-executes itself with HOME=$WORK/gemini-home and survives its pane).
our_pids() {
  { pgrep -f "$WORK/" 2>/dev/null; grep -lsF "$WORK/" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3; } \
    | sort -u | grep -vx "$$" || true
}
kill_ours() { for pid in $(our_pids); do kill "$pid" 2>/dev/null; done; }

cleanup() {
  set +e
  T kill-server 2>/dev/null
  [ -n "$FM_PID" ] && kill "$FM_PID" 2>/dev/null
  kill_ours
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

# ------------------------------------------------------------------------------------------------ prerequisites
BIN=$("$REPO/.ci/install-agent-clis.sh" | tail -1)
export PATH="$BIN:$PATH"
CLAUDE_VERSION=$(claude --version | awk '{print $1}')
CODEX_VERSION=$(codex --version | awk '{print $NF}')
# read from the installed package: running these CLIs, even with --version, writes into $HOME
pkg_version() { node -p "require('$BIN/../$1/package.json').version"; }
GEMINI_VERSION=$(pkg_version @google/gemini-cli)
QWEN_VERSION=$(pkg_version @qwen-code/qwen-code)
OPENCODE_VERSION=$(pkg_version opencode-ai)
log "claude $CLAUDE_VERSION, codex $CODEX_VERSION, gemini $GEMINI_VERSION, qwen $QWEN_VERSION, opencode $OPENCODE_VERSION"

if [ -z "${CAOD_TEST_CP:-}" ]; then
  if [ -f /tmp/caod-cp.txt ]; then
    CAOD_TEST_CP=$(cat /tmp/caod-cp.txt)
  else
    newest() { find "$HOME/.m2/repository/com/fasterxml/jackson/core/$1" -name "$1-2*.jar" | sort -V | tail -1; }
    CAOD_TEST_CP="$(newest jackson-databind):$(newest jackson-core):$(newest jackson-annotations)"
  fi
fi

T kill-server 2>/dev/null || true
kill_ours
rm -rf "$WORK"
mkdir -p "$WORK/classes" "$WD"
FM_SRC=$REPO/src/test/java/dev/caod/fakemodel
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/classes" -cp "$CAOD_TEST_CP" \
  "$FM_SRC/Scenario.java" "$FM_SRC/FakeModelServer.java" "$FM_SRC/GeminiApi.java" "$FM_SRC/ChatCompletionsApi.java"
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
# wait_log REGEX [TIMEOUT]: the fake model logged a matching request (e.g. the follow-up after a tool result) since
# the last type_text (earlier sessions logged the same lines)
LOG_MARK=0
wait_log() {
  local re=$1 end=$((SECONDS + ${2:-60}))
  while ((SECONDS < end)); do
    tail -n +$((LOG_MARK + 1)) "$WORK/fake-model.log" | grep -qP -- "$re" && return 0; sleep 0.2
  done
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
type_text() { LOG_MARK=$(wc -l <"$WORK/fake-model.log"); T send-keys -t "$PANE" -l "$1"; sleep 0.5; }
enter() { T send-keys -t "$PANE" Enter; }

# capture PROVIDER STATE EXPECT [screen|scrollback [EXTRA-HEADER-LINE]]
capture() {
  local provider=$1 state=$2 expect=$3 mode=${4:-screen} extra=${5:-} cli ext=screen
  mkdir -p "$OUT/$provider"
  case $provider in
    claude_code) cli="claude $CLAUDE_VERSION" ;;
    codex) cli="codex $CODEX_VERSION" ;;
    gemini_cli) cli="gemini $GEMINI_VERSION" ;;
    qwen_code) cli="qwen $QWEN_VERSION" ;;
    opencode) cli="opencode $OPENCODE_VERSION" ;;
  esac
  local t c
  t=$(title); c=$(command_of)
  if [ "$mode" = scrollback ]; then
    ext=scrollback
    T capture-pane -p -S - -t "$PANE" >"$WORK/cap"
  else
    T capture-pane -p -t "$PANE" >"$WORK/cap"
  fi
  { printf '# cli: %s\n# title: %s\n# command: %s\n# expect: %s\n' "$cli" "$t" "$c" "$expect"
    [ -z "$extra" ] || printf '# %s\n' "$extra"
    printf '# ---\n'; cat "$WORK/cap"; } >"$OUT/$provider/$state.$ext"
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

# ------------------------------------------------------------------------------------------------ shared flows
# Each of the three CLIs below has one config (the echo server NOT trusted); only the launch line decides whether
# tools run without asking. Each sets BUSY (screen regex while it works) and has wait_idle_<cli> (back at its prompt).

# record_auto_turns PROVIDER WAIT_IDLE [SUFFIX]: typing (without suffix), busy*, done, busy_after_tool,
# done_after_tool on a freshly started CLI whose tools run without asking.
record_auto_turns() {
  local P=$1 wait_idle=$2 sfx=${3:-}
  if [ -z "$sfx" ]; then # the typing state only once (its name must be exactly "typing")
    type_text "slow hello please"; wait_for 'slow hello please'
    capture "$P" typing idle
    enter
  else
    type_text "slow hello please"; enter
  fi
  wait_for "$BUSY" 120; sleep 1
  capture "$P" "busy$sfx" processing
  if [ -z "$sfx" ]; then
    sleep 4; capture "$P" busy_2 processing
    sleep 6; capture "$P" busy_3 processing
  fi
  wait_for 'FAKE-SLOW-HELLO' $((DELAY + 30)); $wait_idle; sleep 1
  capture "$P" "done$sfx" completed

  type_text "slow tool please"; enter
  # the follow-up request (carrying the tool result) is in flight and delayed by the fake model
  wait_log 'results=1 -> reply "FAKE-DONE after slow tool' 60; sleep 2
  capture "$P" "busy_after_tool$sfx" processing
  wait_for 'FAKE-DONE after slow tool' $((DELAY + 30)); $wait_idle; sleep 1
  capture "$P" "done_after_tool$sfx" completed
}

# record_long_answer PROVIDER WAIT_IDLE STATE [SCROLLBACK-HEADER]
record_long_answer() {
  local P=$1 wait_idle=$2 state=$3 extra=${4:-}
  type_text "long answer please"; enter
  wait_for 'LINE-150' 60; $wait_idle; sleep 1.5
  capture "$P" "$state" completed
  capture "$P" "$state" completed scrollback "$extra"
}

# record_exit PROVIDER STATE: /exit typed (Enter picks it from the command menu), the shell is back
record_exit() {
  type_text "/exit"; sleep 0.5; enter; wait_command bash 30; sleep 1
  capture "$1" "$2" error
}

# record_permission PROVIDER WAIT_IDLE DIALOG-REGEX: tool-approval dialog, approved with Enter
record_permission() {
  local P=$1 wait_idle=$2 dialog=$3
  type_text "use the tool please"; enter
  wait_for "$dialog" 60; sleep 1
  capture "$P" permission waiting_user_answer
  enter
  wait_for 'FAKE-DONE marker' 60; $wait_idle; sleep 1
  capture "$P" done_after_permission completed
}

# ------------------------------------------------------------------------------------------------ Gemini CLI
wait_idle_gemini() { wait_gone 'esc to cancel' "$((DELAY + 30))"; wait_title '^◇' 30; }

record_gemini() {
  local H=$WORK/gemini-home P=gemini_cli
  mkdir -p "$H/.gemini"
  cat >"$H/.gemini/settings.json" <<EOF
{"security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": false}},
 "general": {"enableAutoUpdate": false, "enableAutoUpdateNotification": false},
 "privacy": {"usageStatisticsEnabled": false},
 "mcpServers": {"echo": {"command": "python3", "args": ["$MCP_SERVER", "$WORK/marker.txt"],
                         "env": {"ECHO_MCP_LOG": "$WORK/mcp.log"}, "trust": false}}}
EOF
  cat >"$WORK/gemini.env" <<EOF
export HOME=$H GEMINI_API_KEY=fake-gemini-key GOOGLE_GEMINI_BASE_URL=$BASE PATH=$BIN:\$PATH
EOF
  BUSY='esc to cancel'
  local READY='Type your message or @path/to/file'
  new_pane gemini "$WORK/gemini.env"

  # --- session 1: --yolo
  launch "gemini --yolo"
  wait_for "$READY" 60; wait_for '\d+ MCP server' 60; wait_title '^◇' 30; sleep 1.5
  capture $P idle idle
  record_auto_turns $P wait_idle_gemini
  record_long_answer $P wait_idle_gemini long_answer
  record_exit $P exited

  # --- session 2: default approval mode -> MCP tool approval dialog
  T clear-history -t "$PANE"
  launch "gemini"
  wait_for "$READY" 60; wait_for '\d+ MCP server' 60; wait_title '^◇' 30; sleep 1.5
  capture $P idle_default_mode idle
  record_permission $P wait_idle_gemini 'Allow execution of MCP tool'
  type_text "/exit"; sleep 0.5; enter; wait_command bash 30
}

# ------------------------------------------------------------------------------------------------ Qwen Code
wait_idle_qwen() { wait_gone 'esc to cancel' "$((DELAY + 30))"; }

record_qwen() {
  local H=$WORK/qwen-home P=qwen_code
  mkdir -p "$H/.qwen"
  # tools.exclude tool_search: otherwise MCP tools are deferred behind a tool_search tool
  cat >"$H/.qwen/settings.json" <<EOF
{"modelProviders": {"openai": [{"id": "fake-model", "name": "fake-model", "baseUrl": "$BASE/v1",
                                "description": "scripted fake model", "envKey": "FAKE_API_KEY"}]},
 "security": {"auth": {"selectedType": "openai"}, "folderTrust": {"enabled": false}},
 "model": {"name": "fake-model"},
 "tools": {"exclude": ["tool_search"]},
 "general": {"enableAutoUpdate": false, "disableAutoUpdate": true, "disableUpdateNag": true},
 "privacy": {"usageStatisticsEnabled": false},
 "mcpServers": {"echo": {"command": "python3", "args": ["$MCP_SERVER", "$WORK/marker.txt"],
                         "env": {"ECHO_MCP_LOG": "$WORK/mcp.log"}, "trust": false}}}
EOF
  cat >"$WORK/qwen.env" <<EOF
export HOME=$H FAKE_API_KEY=fake-key PATH=$BIN:\$PATH
EOF
  BUSY='esc to cancel'
  # the composer shows before start-up is over ("Initializing..." below it); the mode footer only after
  local READY='^  (YOLO mode|\? for shortcuts)'
  new_pane qwen "$WORK/qwen.env"

  # --- session 1: --yolo
  launch "qwen --yolo"
  wait_for "$READY" 60; wait_gone 'Initializing' 60; sleep 1.5
  capture $P idle idle
  record_auto_turns $P wait_idle_qwen
  record_long_answer $P wait_idle_qwen long_answer
  record_exit $P exited

  # --- session 2: default approval mode -> MCP tool approval dialog
  T clear-history -t "$PANE"
  launch "qwen"
  wait_for "$READY" 60; wait_gone 'Initializing' 60; sleep 1.5
  capture $P idle_default_mode idle
  record_permission $P wait_idle_qwen 'Allow execution of MCP tool'
  type_text "/exit"; sleep 0.5; enter; wait_command bash 30
}

# ------------------------------------------------------------------------------------------------ opencode
wait_idle_opencode() { wait_gone 'esc interrupt' "$((DELAY + 30))"; }

record_opencode() {
  local H=$WORK/opencode-home P=opencode
  mkdir -p "$H/.config/opencode"
  # "*": "ask" + the --auto flag = auto-approve (full TUI only); without --auto the permission dialog shows
  cat >"$H/.config/opencode/opencode.json" <<EOF
{"\$schema": "https://opencode.ai/config.json",
 "model": "fake/fake-model", "small_model": "fake/fake-model", "autoupdate": false, "share": "disabled",
 "provider": {"fake": {"npm": "@ai-sdk/openai-compatible", "name": "Fake",
                       "options": {"baseURL": "$BASE/v1", "apiKey": "fake-key"},
                       "models": {"fake-model": {"name": "Fake Model", "tool_call": true}}}},
 "mcp": {"echo": {"type": "local", "command": ["python3", "$MCP_SERVER", "$WORK/marker.txt"],
                  "environment": {"ECHO_MCP_LOG": "$WORK/mcp.log"}, "enabled": true}},
 "permission": {"*": "ask"}}
EOF
  # the TUI's right sidebar (Context / MCP / LSP, shown when wider than 120 columns) shares rows with the answer;
  # "sidebar" in the TUI's persisted state, default "auto", hides it (an internal key of 1.18.33, no config option)
  mkdir -p "$H/.local/state/opencode"
  echo '{"sidebar": "hide"}' >"$H/.local/state/opencode/kv.json"
  cat >"$WORK/opencode.env" <<EOF
export HOME=$H XDG_CONFIG_HOME=$H/.config XDG_DATA_HOME=$H/.local/share XDG_CACHE_HOME=$H/.cache
export XDG_STATE_HOME=$H/.local/state OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1
export OPENCODE_DISABLE_SHARE=1 OPENCODE_DISABLE_LSP_DOWNLOAD=1 PATH=$BIN:\$PATH
EOF
  BUSY='esc interrupt'
  new_pane opencode "$WORK/opencode.env"

  # --- session 1: full-screen TUI (alternate screen), --auto
  launch "opencode --auto"
  wait_for 'ctrl\+p commands' 120; wait_for '⊙ \d+ MCP' 60; sleep 1.5
  capture $P idle idle
  record_auto_turns $P wait_idle_opencode
  record_long_answer $P wait_idle_opencode long_answer \
    "whole-answer: no (alternate screen: the TUI scrolls the transcript itself, the tmux history stays empty)"
  record_exit $P exited

  # --- session 2: without --auto -> permission dialog
  T clear-history -t "$PANE"
  launch "opencode"
  wait_for 'ctrl\+p commands' 120; wait_for '⊙ \d+ MCP' 60; sleep 1.5
  record_permission $P wait_idle_opencode 'Permission required'
  type_text "/exit"; sleep 0.5; enter; wait_command bash 30

  # --- session 3: --mini, the inline interface (no alternate screen: the tmux history keeps the transcript).
  # --mini ignores --auto (1.18.33): the permission override comes through OPENCODE_CONFIG_CONTENT instead.
  T clear-history -t "$PANE"
  launch "OPENCODE_CONFIG_CONTENT='{\"permission\":{\"*\":\"allow\"}}' opencode --mini"
  wait_for 'ctrl\+p cmd' 120; sleep 3
  capture $P idle_inline idle
  record_auto_turns $P wait_idle_opencode _inline
  record_long_answer $P wait_idle_opencode long_answer_inline \
    "whole-answer: no (all 150 lines are there, but opencode prints its answer without a start marker)"
  record_exit $P exited_inline
}

case $WHICH in
  all) record_claude; T kill-server; record_codex; T kill-server; record_gemini; T kill-server; record_qwen
       T kill-server; record_opencode ;;
  claude_code) record_claude ;;
  codex) record_codex ;;
  gemini_cli) record_gemini ;;
  qwen_code) record_qwen ;;
  opencode) record_opencode ;;
  *) echo "usage: $0 [all|claude_code|codex|gemini_cli|qwen_code|opencode]" >&2; exit 2 ;;
esac
log "done; fake model log: $WORK/fake-model.log"
