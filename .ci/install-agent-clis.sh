#!/usr/bin/env bash
# Installs the pinned agent CLIs used by caod's end-to-end tests and screen recordings.
#   usage: .ci/install-agent-clis.sh [PREFIX]
# PREFIX defaults to $CAOD_AGENT_CLIS, else $HOME/.cache/caod/agent-clis.
# Idempotent: nothing is downloaded when the pinned versions are already installed.
# Prints the bin dir (PREFIX/node_modules/.bin) as the last line of stdout.
set -euo pipefail

CLAUDE_VERSION="2.1.197"
CODEX_VERSION="0.169.0"
GEMINI_VERSION="0.61.0"
QWEN_VERSION="0.15.10"
OPENCODE_VERSION="1.18.33"

PREFIX="${1:-${CAOD_AGENT_CLIS:-$HOME/.cache/caod/agent-clis}}"
BIN="$PREFIX/node_modules/.bin"

log() { echo "[install-agent-clis] $*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  log "npm not found, installing nodejs/npm via apt"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >&2
fi

installed_version() { # $1 = package name
  local pj="$PREFIX/node_modules/$1/package.json"
  [ -f "$pj" ] || { echo ""; return; }
  node -e 'try{console.log(require(process.argv[1]).version)}catch(e){console.log("")}' "$pj"
}

need=()
want() { # $1 = package name, $2 = pinned version, $3 = the binary it links into $BIN
  [ "$(installed_version "$1")" = "$2" ] && [ -x "$BIN/$3" ] || need+=("$1@$2")
}
want @anthropic-ai/claude-code "$CLAUDE_VERSION" claude
want @openai/codex "$CODEX_VERSION" codex
want @google/gemini-cli "$GEMINI_VERSION" gemini
want @qwen-code/qwen-code "$QWEN_VERSION" qwen
want opencode-ai "$OPENCODE_VERSION" opencode

if [ "${#need[@]}" -gt 0 ]; then
  mkdir -p "$PREFIX"
  [ -f "$PREFIX/package.json" ] || echo '{"name":"caod-agent-clis","private":true}' > "$PREFIX/package.json"
  log "installing ${need[*]} into $PREFIX"
  npm install --prefix "$PREFIX" --save-exact --no-audit --no-fund --loglevel=error "${need[@]}" >&2
else
  log "pinned versions already present in $PREFIX"
fi

log "claude: $("$BIN/claude" --version 2>/dev/null || echo '?')"
log "codex:  $("$BIN/codex" --version 2>/dev/null || echo '?')"
log "gemini: $("$BIN/gemini" --version 2>/dev/null || echo '?')"
log "qwen:   $("$BIN/qwen" --version 2>/dev/null || echo '?')"
log "opencode: $("$BIN/opencode" --version 2>/dev/null || echo '?')"
echo "$BIN"
