-- each terminal's own MCP credential, stored as a SHA-256 hash (the token itself only reaches the agent's CLI)
ALTER TABLE terminals ADD COLUMN mcp_token_hash TEXT;
CREATE INDEX terminals_by_mcp_token ON terminals (mcp_token_hash);
