// The one live connection of the page: DaemonService/WatchEvents. Views subscribe here instead of polling.
// On a lost connection it reconnects (with backoff) resuming after the last event id seen, so nothing is missed;
// when there was no id to resume from, subscribers get a 'resync' notice and reload what they show.

import {openStream, rpc} from './api.js';

const listeners = new Set();
const stateListeners = new Set();
let stream = null;
let lastId = null; // the last Event.id seen (a decimal string), resume point
let state = 'connecting'; // connecting | live | reconnecting | stopped
let retryMs = 500;
let timer = null;
let opened = false; // whether the current stream ever opened

/** fn(event) for every Event; fn({resync: true}) when events may have been missed. Returns an unsubscribe. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** fn(state) now and on every change of the connection state. Returns an unsubscribe. */
export function onState(fn) {
  stateListeners.add(fn);
  fn(state);
  return () => stateListeners.delete(fn);
}

export const connectionState = () => state;

function setState(next) {
  if (next === state) return;
  state = next;
  for (const fn of stateListeners) fn(state);
}

function deliver(item) {
  for (const fn of [...listeners]) {
    try {
      fn(item);
    } catch (e) {
      console.error('event listener failed', e);
    }
  }
}

/**
 * Opens the stream. fromId: the daemon's newest event id read before the page loaded its data (GetStatus), so the
 * stream resumes from it and misses nothing that changed meanwhile; without it the stream starts live and
 * subscribers get a resync notice.
 */
export function start(fromId) {
  if (stream || state === 'stopped') return;
  if (lastId === null && fromId !== undefined && fromId !== null && fromId !== '') lastId = String(fromId);
  const resuming = lastId !== null;
  opened = false;
  stream = openStream('DaemonService', 'WatchEvents', resuming ? {afterEventId: lastId} : {}, {
    onOpen() {
      opened = true;
      retryMs = 500;
      setState('live');
      // Live-only streams start "now": whatever happened before the stream opened must be read again.
      if (!resuming) deliver({resync: true});
    },
    onMessage(event, sseId) {
      const id = event.id ?? sseId;
      if (id) lastId = String(id);
      deliver(event);
    },
    onError() {
      stream?.close();
      stream = null;
      if (state === 'stopped') return;
      setState('reconnecting');
      scheduleReconnect();
    },
  });
}

async function scheduleReconnect() {
  clearTimeout(timer);
  // A stream refused before it opened may be a 401 (EventSource does not tell); ask a unary call, which does.
  if (!opened) {
    try {
      await rpc('DaemonService', 'GetStatus', {});
    } catch (e) {
      if (e.httpStatus === 401) return stop();
    }
  }
  if (state === 'stopped') return;
  timer = setTimeout(start, retryMs);
  retryMs = Math.min(retryMs * 2, 10000);
}

/** Stops for good (e.g. signed out). */
export function stop() {
  clearTimeout(timer);
  stream?.close();
  stream = null;
  setState('stopped');
}
