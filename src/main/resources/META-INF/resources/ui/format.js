// Formatting of proto3-JSON values for people: enum names, timestamps, durations, paths, ids.

/** 'TERMINAL_STATUS_WAITING_USER_ANSWER' with prefix 'TERMINAL_STATUS_' -> 'waiting_user_answer'. */
export function enumName(value, prefix) {
  if (value === undefined || value === null || value === '') return 'unspecified';
  const s = String(value);
  return (s.startsWith(prefix) ? s.slice(prefix.length) : s).toLowerCase();
}

export const statusName = (v) => {
  const s = enumName(v, 'TERMINAL_STATUS_');
  return s === 'unspecified' ? 'unknown' : s;
};
export const lifecycleName = (v) => enumName(v, 'TERMINAL_LIFECYCLE_');
export const messageStateName = (v) => enumName(v, 'MESSAGE_STATE_');
export const handoffOutcomeName = (v) => enumName(v, 'HANDOFF_OUTCOME_');
export const runOutcomeName = (v) => enumName(v, 'FLOW_RUN_OUTCOME_');
export const flowStateName = (v) => enumName(v, 'FLOW_STATE_');
export const eventKindName = (v) => enumName(v, 'EVENT_KIND_');
export const actionName = (v) => enumName(v, 'ORCHESTRATION_ACTION_');

/** Every terminal status, as the filters list them. */
export const STATUSES = ['waiting_user_answer', 'processing', 'completed', 'idle', 'error', 'unknown'];

/**
 * RFC 3339 timestamp -> epoch ms, or null when unset. Unset Timestamps may be absent, empty, or the epoch.
 * Fractions beyond milliseconds are cut (not every Date parser takes nanoseconds).
 */
export function parseTime(ts) {
  if (!ts) return null;
  const ms = Date.parse(String(ts).replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

const pad = (n) => String(n).padStart(2, '0');

/** Local time; the date too unless it is today. */
export function formatTime(ms) {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  const now = new Date();
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** 4200 -> '4s', 192000 -> '3m 12s', 7500000 -> '2h 5m', 2 days -> '2d 0h'. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const hr = Math.floor(m / 60);
  if (hr < 24) return `${hr}h ${m % 60}m`;
  return `${Math.floor(hr / 24)}d ${hr % 24}h`;
}

/** A proto3-JSON Duration ('30s', '1.500s') -> ms, or null. */
export function parseDuration(d) {
  if (!d) return null;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(String(d));
  return m ? Math.round(parseFloat(m[1]) * 1000) : null;
}

/** Long paths keep their last two segments: '/home/me/src/project/sub' -> '…/project/sub'. */
export function shortPath(path, max = 32) {
  if (!path || path.length <= max) return path || '';
  const parts = path.split('/').filter(Boolean);
  const tail = parts.slice(-2).join('/');
  return tail.length + 2 <= max ? `…/${tail}` : `…${path.slice(-(max - 1))}`;
}

/** Compares int64 ids that arrive as decimal strings. */
export function compareIds(a, b) {
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** First line of a text, cut to max characters. */
export function firstLine(text, max = 80) {
  const line = String(text || '').split('\n').find((l) => l.trim()) || '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
