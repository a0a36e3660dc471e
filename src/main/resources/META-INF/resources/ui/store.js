// Sessions and their terminals as the page knows them, kept current by events (no polling):
// status and lifecycle events are patched in at once; anything about a session or terminal the page does not
// know yet, and every lifecycle change, re-reads that one session (GetSession), coalesced per session.

import {rpc} from './api.js';
import {coalesce} from './coalesce.js';
import {subscribe} from './events.js';
import {eventKindName, lifecycleName, parseTime} from './format.js';

const sessions = new Map(); // id -> Session
const terminals = new Map(); // id -> Terminal
const listeners = new Set();
let includeClosed = false;
let loadError = null;
let loaded = false;
let notifyQueued = false;

/** fn() after any change (coalesced to once per task). Returns an unsubscribe. */
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed() {
  if (notifyQueued) return;
  notifyQueued = true;
  queueMicrotask(() => {
    notifyQueued = false;
    for (const fn of [...listeners]) fn();
  });
}

export const isLoaded = () => loaded;
export const error = () => loadError;
export const terminal = (id) => terminals.get(id);
export const session = (id) => sessions.get(id);
export const showsClosed = () => includeClosed;

/** Sessions newest first, each with its terminals (oldest first). */
export function sessionList() {
  const bySession = new Map();
  for (const t of terminals.values()) {
    if (!bySession.has(t.sessionId)) bySession.set(t.sessionId, []);
    bySession.get(t.sessionId).push(t);
  }
  const byCreated = (a, b) => (parseTime(a.createdAt) ?? 0) - (parseTime(b.createdAt) ?? 0) || (a.id < b.id ? -1 : 1);
  return [...sessions.values()]
    .sort((a, b) => byCreated(b, a))
    .map((s) => ({session: s, terminals: (bySession.get(s.id) || []).sort(byCreated)}));
}

/** Live terminals waiting for a human. */
export function needsYouCount() {
  let n = 0;
  for (const t of terminals.values()) {
    if (t.status === 'TERMINAL_STATUS_WAITING_USER_ANSWER' && lifecycleName(t.lifecycle) !== 'exited'
        && sessions.has(t.sessionId)) n++;
  }
  return n;
}

/**
 * Takes a terminal as read from the API, unless the page already holds a newer status for it (an event that
 * arrived while the read was under way): status_since tells which is newer.
 */
function mergeTerminal(fresh) {
  const known = terminals.get(fresh.id);
  if (known && (parseTime(known.statusSince) ?? 0) > (parseTime(fresh.statusSince) ?? 0)) {
    terminals.set(fresh.id, {...fresh, status: known.status, statusSince: known.statusSince});
  } else {
    terminals.set(fresh.id, fresh);
  }
}

function putSession(s, sessionTerminals) {
  if (s.closedAt && parseTime(s.closedAt) && !includeClosed) {
    dropSession(s.id);
    return;
  }
  sessions.set(s.id, s);
  for (const t of sessionTerminals || []) mergeTerminal(t);
}

function dropSession(id) {
  sessions.delete(id);
  for (const [tid, t] of terminals) if (t.sessionId === id) terminals.delete(tid);
}

/** Reads every session and terminal (at start, when the closed filter changes, after a gap in events). */
export const reload = coalesce(async () => {
  try {
    const [s, t] = await Promise.all([
      rpc('SessionService', 'ListSessions', {includeClosed}),
      rpc('SessionService', 'ListTerminals', {includeExited: true}),
    ]);
    const keep = new Set();
    for (const session of s.sessions || []) {
      putSession(session, []);
      if (sessions.has(session.id)) keep.add(session.id);
    }
    for (const id of [...sessions.keys()]) if (!keep.has(id)) dropSession(id);
    for (const term of t.terminals || []) if (keep.has(term.sessionId)) mergeTerminal(term);
    loadError = null;
  } catch (e) {
    loadError = e;
  } finally {
    loaded = true;
    changed();
  }
});

export function setIncludeClosed(value) {
  includeClosed = value;
  return reload();
}

const sessionReads = new Map(); // session id -> its coalesced read

/** Re-reads one session and its terminals; calls made while one is under way fold into one more read. */
export function refreshSession(id) {
  if (!id) return;
  if (!sessionReads.has(id)) {
    sessionReads.set(id, coalesce(async () => {
      try {
        const r = await rpc('SessionService', 'GetSession', {sessionId: id});
        putSession(r.session, r.terminals);
      } catch (e) {
        if (e.code === 'NOT_FOUND') dropSession(id);
        else console.warn(`reading session ${id} failed: ${e.message}`);
      }
      changed();
    }));
  }
  sessionReads.get(id)().finally(() => sessionReads.delete(id));
}

/** What CreateSession answered, shown at once before the events catch up. */
export function addCreated(response) {
  if (response?.session) putSession(response.session, response.supervisor ? [response.supervisor] : []);
  changed();
}

function onEvent(ev) {
  if (ev.resync) return void reload();
  const kind = eventKindName(ev.kind);
  const t = ev.terminalId ? terminals.get(ev.terminalId) : undefined;
  switch (kind) {
    case 'status_changed':
      if (t && ev.statusChanged) {
        t.status = ev.statusChanged.current;
        t.statusSince = ev.at;
        changed();
      } else if (ev.sessionId) refreshSession(ev.sessionId);
      break;
    case 'lifecycle_changed':
      if (t && ev.lifecycleChanged) {
        t.lifecycle = ev.lifecycleChanged.current;
        if (ev.lifecycleChanged.reason) t.exitReason = ev.lifecycleChanged.reason;
        changed();
      }
      // A terminal started or went: the session's count, its closed_at, a new worker — read it again.
      refreshSession(ev.sessionId);
      break;
    case 'orchestration': {
      const worker = ev.orchestration?.workerTerminalId;
      if (worker && !terminals.has(worker)) refreshSession(ev.sessionId);
      break;
    }
    case 'daemon':
      reload(); // restarted: statuses were re-read by the daemon
      break;
    default:
      if (ev.sessionId && !sessions.has(ev.sessionId) && !t) refreshSession(ev.sessionId);
  }
}

subscribe(onEvent);
