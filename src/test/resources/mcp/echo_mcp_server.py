#!/usr/bin/env python3
"""Tiny stdio MCP server for caod tests (stdlib only).

JSON-RPC 2.0 over stdio, one message per line. Offers one tool, echo_marker(text), answering
"echo_marker wrote: <text>".

usage: echo_mcp_server.py [MARKER_FILE]
  MARKER_FILE (optional): each call appends "<text>\n" to it, so a test can see the tool really ran.
  env ECHO_MCP_LOG (optional): path of a log file receiving every message in and out.
"""
import json
import os
import sys

MARKER_FILE = sys.argv[1] if len(sys.argv) > 1 else None
LOG_FILE = os.environ.get("ECHO_MCP_LOG")

TOOL = {
    "name": "echo_marker",
    "description": "Echoes the given text back (and records it in a marker file).",
    "inputSchema": {
        "type": "object",
        "properties": {"text": {"type": "string", "description": "text to echo"}},
        "required": ["text"],
    },
}


def log(direction, obj):
    if LOG_FILE:
        with open(LOG_FILE, "a", encoding="utf-8") as f:
            f.write(direction + " " + json.dumps(obj) + "\n")


def send(obj):
    log(">>", obj)
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def result(msg_id, res):
    send({"jsonrpc": "2.0", "id": msg_id, "result": res})


def error(msg_id, code, message):
    send({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})


def handle(msg):
    method = msg.get("method")
    msg_id = msg.get("id")
    if msg_id is None:  # notification (initialized, cancelled, ...)
        return
    if method == "initialize":
        requested = (msg.get("params") or {}).get("protocolVersion") or "2024-11-05"
        result(msg_id, {
            "protocolVersion": requested,
            "capabilities": {"tools": {"listChanged": False}},
            "serverInfo": {"name": "echo", "version": "1.0.0"},
        })
    elif method == "ping":
        result(msg_id, {})
    elif method == "tools/list":
        result(msg_id, {"tools": [TOOL]})
    elif method == "tools/call":
        params = msg.get("params") or {}
        if params.get("name") != "echo_marker":
            error(msg_id, -32602, "unknown tool: %s" % params.get("name"))
            return
        text = str((params.get("arguments") or {}).get("text", ""))
        if MARKER_FILE:
            with open(MARKER_FILE, "a", encoding="utf-8") as f:
                f.write(text + "\n")
        result(msg_id, {"content": [{"type": "text", "text": "echo_marker wrote: " + text}], "isError": False})
    elif method in ("resources/list", "resources/templates/list", "prompts/list"):
        key = {"resources/list": "resources", "resources/templates/list": "resourceTemplates",
               "prompts/list": "prompts"}[method]
        result(msg_id, {key: []})
    else:
        error(msg_id, -32601, "method not found: %s" % method)


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
        except ValueError:
            error(None, -32700, "parse error")
            continue
        log("<<", msg)
        try:
            if isinstance(msg, list):
                for m in msg:
                    handle(m)
            else:
                handle(msg)
        except Exception as e:  # never die on one bad message
            if isinstance(msg, dict) and msg.get("id") is not None:
                error(msg.get("id"), -32603, "internal error: %s" % e)


if __name__ == "__main__":
    main()
