// Small pieces shared by the views: badges (colour plus text, never colour alone), error boxes, ticking
// "time since" labels, a two-step confirm button, and links to terminals.

import {h, replace} from './dom.js';
import {formatDuration, formatTime, lifecycleName, parseTime, statusName} from './format.js';
import * as store from './store.js';

const STATUS_TEXT = {
  idle: 'idle',
  processing: 'processing',
  completed: 'completed',
  waiting_user_answer: '⚠ needs you',
  error: 'error',
  unknown: 'unknown',
};

/** The status badge; data-status carries the lower-case status name (tests and CSS use it). */
export function statusBadge(status) {
  const name = statusName(status);
  return h('span', {
    class: `badge status-${name}`, data: {status: name},
    title: name === 'waiting_user_answer' ? 'waiting_user_answer: a dialog waits for a human' : name,
  }, STATUS_TEXT[name] ?? name);
}

export function lifecycleBadge(lifecycle) {
  const name = lifecycleName(lifecycle);
  return h('span', {class: `badge lifecycle-${name}`, data: {lifecycle: name}}, name);
}

/** A neutral badge for other enums (flow run outcomes, message states, flow states). */
export function tagBadge(kind, name) {
  return h('span', {class: `badge ${kind}-${name}`, [`data-${kind}`]: name}, name.replaceAll('_', ' '));
}

/** '<time>' with the local time as text and the timestamp in datetime. */
export function timeEl(ts) {
  const ms = parseTime(ts);
  if (ms === null) return h('span', {class: 'muted'}, '—');
  return h('time', {datetime: new Date(ms).toISOString(), title: new Date(ms).toString()}, formatTime(ms));
}

/** A "3m 12s" label kept current by the page's one-second ticker (see tickSince), which never calls the API. */
export function sinceEl(ts) {
  const ms = parseTime(ts);
  return h('span', {class: 'since', data: ms === null ? {} : {since: ms}}, ms === null ? '—' : formatDuration(Date.now() - ms));
}

/** Re-renders every ticking label in the document. */
export function tickSince() {
  const now = Date.now();
  for (const el of document.querySelectorAll('[data-since]')) {
    el.textContent = formatDuration(now - Number(el.dataset.since));
  }
}

/** An error box showing the daemon's message verbatim, with its code. role=alert announces it. */
export function errorBox(error, testId) {
  const box = h('div', {class: 'error-box', role: 'alert', tabindex: '-1', 'data-testid': testId});
  if (!error) {
    box.hidden = true;
    return box;
  }
  return showError(box, error);
}

export function showError(box, error) {
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return box;
  }
  box.hidden = false;
  // ApiError carries the gRPC code name; other errors (a bug of the page) only their message.
  const code = typeof error.code === 'string' ? error.code : '';
  replace(box, code ? h('strong', {class: 'error-code'}, `${code}: `) : null, error.message || String(error));
  return box;
}

// Confirm prompts that are open, by key: views re-render on every event, and an open prompt must survive that.
const openConfirms = new Set();

/**
 * A button that asks before it acts: the first press shows "Confirm" and "Cancel" in its place; Confirm runs
 * action() (a promise); its error (or null on success) goes to errorTarget: an error box, or a function. No window.confirm: it works the same by keyboard.
 * testId also keys the open/closed state and the focus across re-renders.
 */
export function confirmButton({label, ariaLabel, confirmLabel, question, action, testId, errorTarget}) {
  const wrap = h('span', {class: 'confirm'});
  const start = h('button', {type: 'button', class: 'danger', 'data-testid': testId, data: {focusKey: `${testId}-start`},
    'aria-label': ariaLabel}, label);
  const yes = h('button', {type: 'button', class: 'danger', 'data-testid': `${testId}-confirm`,
    data: {focusKey: `${testId}-yes`}}, confirmLabel);
  const no = h('button', {type: 'button', class: 'secondary', data: {focusKey: `${testId}-no`}}, 'Cancel');
  const prompt = h('span', {class: 'confirm-prompt', role: 'group', 'aria-label': question}, question, ' ', yes, ' ', no);
  const close = () => {
    openConfirms.delete(testId);
    replace(wrap, start);
    start.focus();
  };
  start.addEventListener('click', () => {
    openConfirms.add(testId);
    replace(wrap, prompt);
    no.focus(); // the safe choice gets the focus
  });
  no.addEventListener('click', close);
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    const report = (e) => {
      if (typeof errorTarget === 'function') errorTarget(e);
      else if (errorTarget) showError(errorTarget, e);
    };
    try {
      await action();
      report(null);
    } catch (e) {
      report(e);
    } finally {
      yes.disabled = false;
      no.disabled = false;
      close();
    }
  });
  wrap.append(openConfirms.has(testId) ? prompt : start);
  return wrap;
}

/** A link to a terminal's view, named by its profile when the page knows it ("developer ab12cd34"). */
export function terminalLink(id) {
  if (!id) return h('span', {class: 'muted'}, 'a person or tool');
  const t = store.terminal(id);
  return h('a', {href: `#/terminal/${encodeURIComponent(id)}`, class: 'term-link'},
    t?.profile ? `${t.profile} ` : '', h('code', {}, id));
}
