#!/usr/bin/env python3
"""tiny-cli: the smallest agent CLI caod can drive, standing in for "your CLI" in docs/providers.md.

It reads one line at a time at a `tiny> ` prompt, shows a busy line while it "thinks", and answers on lines starting
with `= `. It reads its MCP server from a JSON config file (written by caod from the manifest's `files:`), so
`tools` lists what caod's MCP endpoint offers. `quit` or Ctrl-D ends it. Python standard library only.
"""
import json
import sys
import time
import urllib.request


def mcp_call(config, method, rid):
    body = json.dumps({"jsonrpc": "2.0", "id": rid, "method": method, "params": {} if method != "initialize" else {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "tiny-cli", "version": "1"}}})
    request = urllib.request.Request(config["mcp"]["url"], data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
        "Authorization": config["mcp"]["authorization"]})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def answer(config, line):
    if line == "tools":
        mcp_call(config, "initialize", 1)
        tools = sorted(t["name"] for t in mcp_call(config, "tools/list", 2)["result"]["tools"])
        return ["caod offers %d tools:" % len(tools)] + tools
    role = config.get("role", "")
    return ["echo: " + line] + (["(role: %s)" % role.splitlines()[0]] if role else [])


def main():
    config = json.load(open(sys.argv[sys.argv.index("--config") + 1]))
    print("tiny-cli 1.0 (model: %s)" % (config.get("model") or "default"))
    while True:
        try:
            line = input("tiny> ").strip()
        except EOFError:
            return
        if line == "quit":
            return
        if not line:
            continue
        sys.stdout.write("~ thinking (esc to interrupt)")
        sys.stdout.flush()
        time.sleep(0.5)
        try:
            lines = answer(config, line)
        except Exception as e:  # an agent CLI shows its errors and stays up
            sys.stdout.write("\r\033[K")
            print("! error: %s" % e)
            continue
        sys.stdout.write("\r\033[K")
        print("= " + lines[0])
        for rest in lines[1:]:
            print("  " + rest)


if __name__ == "__main__":
    main()
