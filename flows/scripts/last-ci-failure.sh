#!/bin/sh
# Decides whether the failing-ci-triage flow runs. A real setup would ask the CI (e.g. `gh run list --limit 1
# --json conclusion,headBranch,updatedAt`); this example reads a file the CI job leaves behind, if any.
status_file="${CI_STATUS_FILE:-$HOME/.cache/ci/last-run.json}"
if [ ! -f "$status_file" ]; then
  echo '{"execute": false}'
  exit 0
fi
# expected content: {"conclusion": "failure", "branch": "main", "failed_at": "...", "job": "...", "log_tail": "..."}
if grep -q '"conclusion": *"failure"' "$status_file"; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({"execute": True, "output": {
    "branch": d.get("branch", "?"), "failed_at": d.get("failed_at", "?"), "job": d.get("job", "?"),
    "log_tail": d.get("log_tail", "")}}))' "$status_file"
else
  echo '{"execute": false}'
fi
