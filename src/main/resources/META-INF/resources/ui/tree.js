// Sessions view (#/): every session with its terminals as a tree (supervisor -> workers, by caller_terminal_id),
// filters, and the terminals that wait for a human made to stand out. Re-rendered from the store on every change.

import {rpc} from './api.js';
import {h, keepingFocus, replace} from './dom.js';
import {lifecycleName, parseTime, shortPath, statusName, STATUSES} from './format.js';
import * as store from './store.js';
import {
  confirmButton, errorBox, lifecycleBadge, showError, sinceEl, statusBadge, tickSince, timeEl,
} from './widgets.js';

// Filters outlive the view (coming back from a terminal keeps them).
const filters = {text: '', status: '', hideExited: false};
// Errors of session actions (Delete), by session id: kept across re-renders until the next try.
const sessionErrors = new Map();
let rerender = () => {};

export function mount(main, {query}) {
  const highlight = query.get('new') || '';
  // e.g. the header's "needs you" link
  if (STATUSES.includes(query.get('status'))) filters.status = query.get('status');
  let scrolledToNew = false;

  const text = h('input', {id: 'filter-text', type: 'search', value: filters.text, 'data-testid': 'filter-text',
    placeholder: 'id, profile, provider, directory', autocomplete: 'off'});
  const status = h('select', {id: 'filter-status', 'data-testid': 'filter-status'},
    h('option', {value: ''}, 'any status'),
    STATUSES.map((s) => h('option', {value: s, selected: filters.status === s},
      s === 'waiting_user_answer' ? 'waiting_user_answer (needs you)' : s)));
  const hideExited = h('input', {id: 'filter-exited', type: 'checkbox', checked: filters.hideExited});
  const showClosed = h('input', {id: 'filter-closed', type: 'checkbox', checked: store.showsClosed(),
    'data-testid': 'filter-closed'});
  const summary = h('p', {class: 'summary', 'aria-live': 'polite'});
  const problem = errorBox(null, 'sessions-error');
  const list = h('div', {class: 'sessions', 'data-testid': 'sessions'});

  main.append(
    h('div', {class: 'view-head'},
      h('h1', {tabindex: '-1'}, 'Sessions'),
      h('a', {href: '#/launch', class: 'button-link'}, 'Launch a session')),
    h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter terminals', on: {submit: (e) => e.preventDefault()}},
      h('div', {class: 'field'}, h('label', {for: 'filter-text'}, 'Filter'), text),
      h('div', {class: 'field'}, h('label', {for: 'filter-status'}, 'Status'), status),
      h('div', {class: 'check'}, hideExited, h('label', {for: 'filter-exited'}, 'Hide exited terminals')),
      h('div', {class: 'check'}, showClosed, h('label', {for: 'filter-closed'}, 'Show closed sessions'))),
    summary, problem, list);

  function render() {
    keepingFocus(list, () => {
      showError(problem, store.error());
      const shown = renderSessions(list, highlight);
      const line = store.isLoaded() ? shown : 'Loading…';
      if (summary.textContent !== line) summary.textContent = line; // live region: speak only real changes
    });
    if (highlight && !scrolledToNew) {
      const block = list.querySelector(`[data-session-id="${CSS.escape(highlight)}"]`);
      if (block) {
        scrolledToNew = true;
        block.scrollIntoView({block: 'nearest'});
        block.querySelector('h2')?.focus({preventScroll: true});
      }
    }
  }

  text.addEventListener('input', () => {
    filters.text = text.value;
    render();
  });
  status.addEventListener('change', () => {
    filters.status = status.value;
    render();
  });
  hideExited.addEventListener('change', () => {
    filters.hideExited = hideExited.checked;
    render();
  });
  showClosed.addEventListener('change', () => store.setIncludeClosed(showClosed.checked));

  rerender = render;
  const off = store.onChange(render);
  render();
  return () => {
    off();
    rerender = () => {};
  };
}

function terminalMatches(t, session) {
  if (filters.status && statusName(t.status) !== filters.status) return false;
  if (filters.hideExited && lifecycleName(t.lifecycle) === 'exited') return false;
  const q = filters.text.trim().toLowerCase();
  if (!q) return true;
  return [t.id, t.profile, t.provider, t.workingDirectory, session.id, session.name]
    .some((v) => String(v || '').toLowerCase().includes(q));
}

/** Renders all session blocks into list; returns the summary line. */
function renderSessions(list, highlight) {
  const filtering = Boolean(filters.text.trim() || filters.status || filters.hideExited);
  const blocks = [];
  let terminalCount = 0;
  for (const {session, terminals} of store.sessionList()) {
    const matching = new Set(terminals.filter((t) => terminalMatches(t, session)).map((t) => t.id));
    if (filtering && matching.size === 0) continue;
    terminalCount += matching.size;
    blocks.push(sessionBlock(session, terminals, matching, filtering, session.id === highlight));
  }
  if (blocks.length === 0) {
    replace(list, h('p', {class: 'empty'}, store.isLoaded()
      ? (filtering ? 'No terminal matches the filters.' : ['No sessions yet. ', h('a', {href: '#/launch'}, 'Launch one'), '.'])
      : 'Loading sessions…'));
  } else {
    replace(list, blocks);
  }
  tickSince();
  const needs = store.needsYouCount();
  return `${blocks.length} session${blocks.length === 1 ? '' : 's'}, ${terminalCount} terminal${terminalCount === 1 ? '' : 's'}`
    + (filtering ? (terminalCount === 1 ? ' matches' : ' match') : '') + (needs ? `; ${needs} need${needs === 1 ? 's' : ''} you` : '');
}

function sessionBlock(session, terminals, matching, filtering, isNew) {
  const headingId = `session-${session.id}`;
  const closed = parseTime(session.closedAt) !== null;
  const problem = errorBox(sessionErrors.get(session.id) || null);
  const byId = new Map(terminals.map((t) => [t.id, t]));
  const children = new Map();
  const roots = [];
  for (const t of terminals) {
    const caller = t.callerTerminalId;
    if (caller && caller !== t.id && byId.has(caller)) {
      if (!children.has(caller)) children.set(caller, []);
      children.get(caller).push(t);
    } else {
      roots.push(t);
    }
  }
  // A node is shown when it matches, or when one of its descendants does (then as dimmed context).
  const visible = new Map();
  const isVisible = (t, seen = new Set()) => {
    if (visible.has(t.id)) return visible.get(t.id);
    if (seen.has(t.id)) return false; // a caller cycle would be a daemon bug; do not loop on it
    seen.add(t.id);
    const v = matching.has(t.id) || (children.get(t.id) || []).some((c) => isVisible(c, seen));
    visible.set(t.id, v);
    return v;
  };
  const node = (t) => {
    const kids = (children.get(t.id) || []).filter((c) => isVisible(c));
    return h('li', {class: 'tnode', data: {nodeId: t.id}},
      terminalRow(t, session, !matching.has(t.id)),
      kids.length ? h('ul', {class: 'tree', role: 'list'}, kids.map(node)) : null);
  };
  const shownRoots = roots.filter((t) => isVisible(t));

  return h('section', {class: ['session', isNew && 'is-new', closed && 'is-closed'],
    data: {sessionId: session.id, new: isNew ? 'true' : null}, 'aria-labelledby': headingId},
  h('div', {class: 'session-head'},
    h('h2', {id: headingId, tabindex: '-1'}, session.name || session.id,
      isNew ? h('span', {class: 'badge new-badge'}, 'new') : null,
      closed ? h('span', {class: 'badge lifecycle-exited'}, 'closed') : null),
    h('span', {class: 'meta'},
      h('span', {}, 'id ', h('code', {}, session.id)),
      h('span', {title: session.workingDirectory}, shortPath(session.workingDirectory, 40)),
      h('span', {}, 'created ', timeEl(session.createdAt)),
      h('span', {}, `${session.terminalCount ?? terminals.length} terminal${session.terminalCount === 1 ? '' : 's'}`)),
    h('span', {class: 'actions'},
      h('a', {href: `#/session/${encodeURIComponent(session.id)}/timeline`, data: {focusKey: `tl-${session.id}`},
        'aria-label': `Timeline of ${session.name || session.id}`}, 'Timeline'),
      closed ? null : confirmButton({label: 'Delete session', ariaLabel: `Delete session ${session.name || session.id}`,
        confirmLabel: 'Delete',
        question: `Close every terminal of ${session.name || session.id}?`, testId: `session-delete-${session.id}`,
        errorTarget: (e) => {
          if (e) sessionErrors.set(session.id, e);
          else sessionErrors.delete(session.id);
          rerender();
        },
        action: async () => {
          await rpc('SessionService', 'DeleteSession', {sessionId: session.id});
          store.refreshSession(session.id);
        }}))),
  problem,
  shownRoots.length
    ? h('ul', {class: 'tree root', role: 'list', 'aria-label': `Terminals of ${session.name || session.id}`},
      shownRoots.map(node))
    : h('p', {class: 'empty'}, filtering ? 'No terminal matches.' : 'No terminals.'));
}

function terminalRow(t, session, contextOnly) {
  const status = statusName(t.status);
  const lifecycle = lifecycleName(t.lifecycle);
  const exited = lifecycle === 'exited';
  const needsYou = status === 'waiting_user_answer' && !exited;
  return h('div', {
    class: ['trow', needsYou && 'needs-you', exited && 'is-exited', contextOnly && 'is-context'],
    data: {terminalId: t.id, profile: t.profile, provider: t.provider, caller: t.callerTerminalId || null},
  },
  h('a', {href: `#/terminal/${encodeURIComponent(t.id)}`, class: 'tid', data: {focusKey: `t-${t.id}`},
    'aria-label': `Terminal ${t.id}, ${t.profile || 'no profile'}, ${status}`}, h('code', {}, t.id)),
  h('span', {class: 'profile'}, t.profile || '—',
    t.id === session.supervisorTerminalId ? h('span', {class: 'role'}, ' (supervisor)') : null),
  h('span', {class: 'provider'}, t.provider || '—'),
  statusBadge(t.status),
  h('span', {class: 'since-wrap', title: 'time in this status'}, sinceEl(t.statusSince)),
  lifecycle !== 'running' ? lifecycleBadge(t.lifecycle) : null,
  exited && t.exitReason ? h('span', {class: 'exit-reason'}, t.exitReason) : null,
  h('span', {class: 'wd', title: t.workingDirectory}, shortPath(t.workingDirectory)));
}
