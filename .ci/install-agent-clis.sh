#!/usr/bin/env bash
# Installs the pinned agent CLIs used by caod's end-to-end tests and screen recordings.
#   usage: .ci/install-agent-clis.sh [PREFIX]
# PREFIX defaults to $CAOD_AGENT_CLIS, else $HOME/.cache/caod/agent-clis.
# Idempotent: nothing is downloaded when the pinned versions are already installed.
# Prints the bin dir (PREFIX/node_modules/.bin) as the last line of stdout.
set -euo pipefail

CLAUDE_VERSION="2.1.197"
CODEX_VERSION="0.169.0"

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
[ "$(installed_version @anthropic-ai/claude-code)" = "$CLAUDE_VERSION" ] && [ -x "$BIN/claude" ] \
  || need+=("@anthropic-ai/claude-code@$CLAUDE_VERSION")
[ "$(installed_version @openai/codex)" = "$CODEX_VERSION" ] && [ -x "$BIN/codex" ] \
  || need+=("@openai/codex@$CODEX_VERSION")

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
echo "$BIN"
