-- initial schema: sessions, terminals, inbox messages, flows, flow runs and the event log
-- Times are epoch milliseconds (UTC). Statuses are stored as their lower-case names; the code validates them,
-- not CHECK constraints, because SQLite cannot alter a CHECK without rebuilding the table.

CREATE TABLE sessions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    ref               TEXT    NOT NULL UNIQUE,           -- public id: short, url-safe, never reused
    name              TEXT    NOT NULL UNIQUE,
    tmux_session      TEXT    NOT NULL,
    working_directory TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    closed_at         INTEGER                            -- set when deleted; rows stay for the history
);

CREATE TABLE terminals (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    ref               TEXT    NOT NULL UNIQUE,
    session_id        INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    caller_id         INTEGER REFERENCES terminals (id) ON DELETE SET NULL,  -- who started it; NULL = a human/tool
    tmux_window       TEXT    NOT NULL,
    provider          TEXT    NOT NULL,
    profile           TEXT    NOT NULL,
    working_directory TEXT    NOT NULL,
    lifecycle         TEXT    NOT NULL DEFAULT 'starting',
    status            TEXT    NOT NULL DEFAULT 'unknown',
    status_since      INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    last_active_at    INTEGER NOT NULL,
    exited_at         INTEGER
);
CREATE INDEX terminals_by_session ON terminals (session_id);

CREATE TABLE messages (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id      INTEGER REFERENCES terminals (id) ON DELETE SET NULL,   -- NULL = a human/tool over gRPC
    receiver_id    INTEGER NOT NULL REFERENCES terminals (id) ON DELETE CASCADE,
    body           TEXT    NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'pending',
    failure_reason TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    delivered_at   INTEGER
);
-- the inbox engine's question: the oldest undelivered message of a receiver
CREATE INDEX messages_inbox ON messages (receiver_id, state, id);

CREATE TABLE flows (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    file_path    TEXT    NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 1,
    last_fire_at INTEGER,                                -- last scheduled time handled; drives catch-up after downtime
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE flow_runs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_id        INTEGER REFERENCES flows (id) ON DELETE SET NULL,
    flow_name      TEXT    NOT NULL,                     -- kept when the flow file is gone
    scheduled_at   INTEGER,                              -- NULL for a manual run
    started_at     INTEGER NOT NULL,
    ended_at       INTEGER,
    outcome        TEXT    NOT NULL DEFAULT 'running',
    session_id     INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    error          TEXT,
    answer_excerpt TEXT,
    manual         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX flow_runs_by_flow ON flow_runs (flow_name, id);

-- the event log behind WatchEvents: refs, not foreign keys, so history outlives what it describes
CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    session_ref  TEXT,
    terminal_ref TEXT,
    payload      TEXT    NOT NULL                        -- the event as protobuf JSON
);
CREATE INDEX events_by_session ON events (session_ref, id);
CREATE INDEX events_by_terminal ON events (terminal_ref, id);
