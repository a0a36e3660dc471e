// Terminal view (#/terminal/<id>): its live screen (WatchScreen stream), transcript, inbox and status explanation,
// and the controls to steer it: type input, press keys, close it. Kept current by events, never by polling.

import {openStream, rpc} from './api.js';
import {coalesce} from './coalesce.js';
import {h, keepingFocus, replace} from './dom.js';
import {subscribe} from './events.js';
import {eventKindName, lifecycleName, messageStateName, parseTime} from './format.js';
import * as store from './store.js';
import {tabs} from './tabs.js';
import {
  confirmButton, errorBox, lifecycleBadge, showError, sinceEl, statusBadge, tagBadge, terminalLink, timeEl,
} from './widgets.js';

// Keys offered as buttons: [test id suffix, tmux key name, label].
const KEYS = [
  ['enter', 'Enter', 'Enter'], ['esc', 'Escape', 'Esc'], ['up', 'Up', '↑ Up'], ['down', 'Down', '↓ Down'],
  ['y', 'y', 'y'], ['n', 'n', 'n'], ['1', '1', '1'], ['2', '2', '2'], ['3', '3', '3'], ['ctrl-c', 'C-c', 'Ctrl-C'],
];

let lastTab = 'screen'; // the tab shown last, kept when going from terminal to terminal

export function mount(main, {params}) {
  const id = params.id;
  let term = store.terminal(id) ? {...store.terminal(id)} : null;
  let disposed = false;
  let explainLoaded = false;

  // ---- header: what the terminal is
  const facts = h('dl', {class: 'facts', 'data-testid': 'terminal-facts'});
  const problem = errorBox(null, 'terminal-error');

  // ---- panels
  // a named region: a pre may not carry a name itself, and a live region would read every redraw aloud
  const screen = h('pre', {class: 'screen', 'data-testid': 'terminal-screen', tabindex: '0', role: 'region',
    'aria-label': `Live screen of terminal ${id}`}, '');
  const screenState = h('p', {class: 'stream-state', 'data-testid': 'screen-state', 'aria-live': 'polite'},
    'Connecting to the screen…');

  const transcript = h('pre', {class: 'transcript', 'data-testid': 'terminal-transcript', tabindex: '0', role: 'region',
    'aria-label': `Transcript of terminal ${id}`}, 'Loading…');
  const transcriptError = errorBox(null);
  const transcriptButton = h('button', {type: 'button', class: 'secondary'}, 'Reload transcript');

  const inboxBody = h('div', {'data-testid': 'terminal-inbox'}, 'Loading…');
  const inboxError = errorBox(null);
  const messageText = h('textarea', {id: 'inbox-message', rows: '2', 'data-testid': 'inbox-message'});
  const messageButton = h('button', {type: 'submit', 'data-testid': 'inbox-send'}, 'Queue message');
  const messageForm = h('form', {class: 'inbox-form'},
    h('label', {for: 'inbox-message'}, 'Leave a message in its inbox (typed in when it is idle or completed)'),
    messageText, h('div', {class: 'row'}, messageButton));

  const explainBody = h('div', {'data-testid': 'terminal-explain'}, 'Loading…');
  const explainError = errorBox(null);
  const explainButton = h('button', {type: 'button', class: 'secondary'}, 'Explain again');

  const tabView = tabs([
    {id: 'screen', label: 'Screen', panel: [screenState, screen]},
    {id: 'transcript', label: 'Transcript', panel: [h('div', {class: 'row'}, transcriptButton), transcriptError, transcript]},
    {id: 'inbox', label: 'Inbox', panel: [inboxError, inboxBody, messageForm]},
    {id: 'explain', label: 'Explain', panel: [h('div', {class: 'row'}, explainButton), explainError, explainBody]},
  ], lastTab, (tab) => {
    lastTab = tab;
  }, `Terminal ${id}`);

  // ---- steering
  const input = h('textarea', {id: 'terminal-input', rows: '3', 'data-testid': 'terminal-input',
    'aria-describedby': 'terminal-input-hint'});
  const force = h('input', {type: 'checkbox', id: 'terminal-force', 'data-testid': 'terminal-force'});
  const send = h('button', {type: 'submit', 'data-testid': 'terminal-send'}, 'Send');
  const sendState = h('p', {class: 'muted', 'aria-live': 'polite', 'data-testid': 'terminal-sent'});
  const steerError = errorBox(null, 'terminal-steer-error');
  const keyButtons = KEYS.map(([name, key, label]) => h('button', {type: 'button', class: 'key',
    'data-testid': `key-${name}`, 'aria-label': `Press ${label.replace(/^[↑↓] /, '')}`, on: {click: () => sendKeys(key)}},
  label));
  const closeSlot = h('span');
  const steer = h('section', {class: 'steer', 'aria-labelledby': 'steer-title'},
    h('h2', {id: 'steer-title'}, 'Steer it'),
    h('form', {class: 'input-form', on: {submit: (e) => {
      e.preventDefault();
      sendInput();
    }}},
    h('label', {for: 'terminal-input'}, `Type into terminal ${id}`),
    input,
    h('p', {id: 'terminal-input-hint', class: 'hint'}, 'Enter sends; Shift+Enter starts a new line.'),
    h('div', {class: 'row'}, send,
      h('span', {class: 'check'}, force, h('label', {for: 'terminal-force'}, 'Type even though a dialog is open')))),
    sendState, steerError,
    h('div', {class: 'keys', role: 'group', 'aria-label': 'Send a key'}, h('span', {class: 'keys-label'}, 'Keys:'), keyButtons),
    h('div', {class: 'row'}, closeSlot));

  const layout = h('div', {class: 'term-layout'}, tabView.element, h('div', {class: 'term-side'}, facts, steer));
  main.append(
    h('div', {class: 'view-head'},
      h('h1', {tabindex: '-1'}, 'Terminal ', h('code', {}, id)),
      h('a', {href: '#/'}, '← Sessions')),
    problem,
    layout);

  // ---- rendering of what changes
  function renderFacts() {
    if (!term) return;
    const exited = lifecycleName(term.lifecycle) === 'exited';
    const session = store.session(term.sessionId);
    const fact = (name, ...value) => [h('dt', {}, name), h('dd', {}, ...value)];
    replace(facts,
      fact('Status', statusBadge(term.status), ' for ', sinceEl(term.statusSince)),
      fact('Lifecycle', lifecycleBadge(term.lifecycle), exited && term.exitReason ? ` — ${term.exitReason}` : ''),
      fact('Profile', term.profile || '—'),
      fact('Provider', term.provider || '—'),
      fact('Session', h('a', {href: `#/session/${encodeURIComponent(term.sessionId)}/timeline`},
        session?.name || term.sessionId, ' (timeline)')),
      fact('Started by', term.callerTerminalId ? terminalLink(term.callerTerminalId) : 'a person or tool'),
      fact('Working directory', h('code', {class: 'path'}, term.workingDirectory || '—')),
      fact('tmux window', h('code', {}, term.tmuxWindow || '—')),
      fact('Created', timeEl(term.createdAt)),
      fact('Last active', timeEl(term.lastActiveAt)));
    for (const el of [input, send, force, ...keyButtons]) el.disabled = exited;
    // Re-rendered on every status change: keep the focus on Close / Confirm / Cancel if it was there.
    keepingFocus(closeSlot, () => replace(closeSlot, exited ? null : confirmButton({label: 'Close terminal', confirmLabel: 'Close it',
      question: `Exit the CLI of ${id} and close its window?`, testId: 'terminal-close', errorTarget: steerError,
      action: async () => {
        const r = await rpc('SessionService', 'CloseTerminal', {terminalId: id});
        update(r.terminal);
      }})));
  }

  function update(fresh) {
    if (!fresh || disposed) return;
    // An event may have told a newer status than a read that was under way (see store.mergeTerminal).
    if (term && (parseTime(term.statusSince) ?? 0) > (parseTime(fresh.statusSince) ?? 0)) {
      fresh = {...fresh, status: term.status, statusSince: term.statusSince};
    }
    term = fresh;
    renderFacts();
  }

  async function loadTerminal() {
    try {
      update((await rpc('SessionService', 'GetTerminal', {terminalId: id})).terminal);
      showError(problem, null);
      return true;
    } catch (e) {
      showError(problem, e);
      return false;
    }
  }

  // ---- live screen
  let screenStream = null;
  let screenRetry = 1000;
  let screenTimer = null;
  function watchScreen() {
    if (disposed) return;
    screenStream = openStream('SessionService', 'WatchScreen', {terminalId: id}, {
      onOpen() {
        screenRetry = 1000;
        screenState.textContent = 'Live.';
      },
      onMessage(m) {
        screen.textContent = m.text ?? '';
        screenState.textContent = `Live; updated ${new Date(parseTime(m.at) ?? Date.now()).toLocaleTimeString()}.`;
        if (term && m.status && m.status !== term.status) {
          update({...term, status: m.status, statusSince: m.at || new Date().toISOString()});
        }
        if (term && m.lifecycle && m.lifecycle !== term.lifecycle) update({...term, lifecycle: m.lifecycle});
      },
      async onError(serverError) {
        screenStream?.close();
        screenStream = null;
        if (disposed) return;
        if (serverError) {
          screenState.textContent = `The screen stream stopped: ${serverError.code ? `${serverError.code}: ` : ''}${serverError.error}`;
          return;
        }
        // Ended (the terminal exited) or the connection broke: the terminal's state tells which.
        await loadTerminal();
        if (disposed) return;
        if (!term || lifecycleName(term.lifecycle) === 'exited') {
          screenState.textContent = term ? 'The terminal has exited; this is its last screen.' : 'No screen.';
          return;
        }
        screenState.textContent = 'Screen connection lost; reconnecting…';
        screenTimer = setTimeout(watchScreen, screenRetry);
        screenRetry = Math.min(screenRetry * 2, 10000);
      },
    });
  }

  // ---- transcript
  async function loadTranscript() {
    transcriptButton.disabled = true;
    try {
      const r = await rpc('SessionService', 'GetOutput', {terminalId: id, mode: 'OUTPUT_MODE_TRANSCRIPT'});
      transcript.textContent = r.text || '(empty)';
      showError(transcriptError, null);
    } catch (e) {
      transcript.textContent = '';
      showError(transcriptError, e);
    } finally {
      transcriptButton.disabled = false;
    }
  }

  // ---- inbox (re-read on MESSAGE events; reads asked for while one runs fold into one more)
  const loadInbox = coalesce(async () => {
    try {
      const r = await rpc('MessagingService', 'ListInbox', {terminalId: id});
      if (!disposed) replace(inboxBody, inboxTable(r.messages || []));
      showError(inboxError, null);
    } catch (e) {
      showError(inboxError, e);
    }
  }, () => disposed);

  messageForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!messageText.value.trim()) return;
    messageButton.disabled = true;
    try {
      await rpc('MessagingService', 'SendMessage', {receiverTerminalId: id, body: messageText.value});
      messageText.value = '';
      showError(inboxError, null);
      loadInbox();
    } catch (err) {
      showError(inboxError, err);
    } finally {
      messageButton.disabled = false;
    }
  });

  // ---- explain
  async function loadExplain() {
    explainButton.disabled = true;
    try {
      const r = await rpc('SessionService', 'ExplainStatus', {terminalId: id});
      if (!disposed) replace(explainBody, explainView(r));
      explainLoaded = true;
      showError(explainError, null);
    } catch (e) {
      showError(explainError, e);
    } finally {
      explainButton.disabled = false;
    }
  }

  // ---- steering
  async function sendInput() {
    const text = input.value;
    if (!text.trim()) {
      sendState.textContent = 'Type something to send first.';
      return;
    }
    send.disabled = true;
    sendState.textContent = 'Sending…';
    try {
      const r = await rpc('SessionService', 'SendInput', {terminalId: id, text, force: force.checked});
      input.value = '';
      sendState.textContent = `Sent at ${new Date().toLocaleTimeString()}.`;
      showError(steerError, null);
      update(r.terminal);
    } catch (e) {
      sendState.textContent = '';
      showError(steerError, e);
    } finally {
      send.disabled = term ? lifecycleName(term.lifecycle) === 'exited' : false;
    }
  }

  async function sendKeys(key) {
    try {
      const r = await rpc('SessionService', 'SendKeys', {terminalId: id, keys: [key]});
      sendState.textContent = `Pressed ${key}.`;
      showError(steerError, null);
      update(r.terminal);
    } catch (e) {
      showError(steerError, e);
    }
  }

  input.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter is a new line; not while an input method composes text.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      sendInput();
    }
  });
  transcriptButton.addEventListener('click', loadTranscript);
  explainButton.addEventListener('click', loadExplain);

  // ---- events
  const unsubscribe = subscribe((ev) => {
    if (ev.resync) {
      loadTerminal();
      loadInbox();
      return;
    }
    const kind = eventKindName(ev.kind);
    if (kind === 'message' && (ev.message?.receiverTerminalId === id || ev.terminalId === id)) loadInbox();
    if (ev.terminalId !== id || !term) return;
    if (kind === 'status_changed' && ev.statusChanged) {
      update({...term, status: ev.statusChanged.current, statusSince: ev.at});
      if (explainLoaded) loadExplain();
    } else if (kind === 'lifecycle_changed' && ev.lifecycleChanged) {
      update({...term, lifecycle: ev.lifecycleChanged.current, exitReason: ev.lifecycleChanged.reason || term.exitReason});
    }
  });

  renderFacts();
  loadTerminal().then((ok) => {
    if (!ok) {
      layout.hidden = true; // nothing to show or steer; the error above says why
      return;
    }
    watchScreen();
    loadTranscript();
    loadInbox();
    loadExplain();
  });

  return () => {
    disposed = true;
    unsubscribe();
    clearTimeout(screenTimer);
    screenStream?.close();
  };
}

function inboxTable(messages) {
  if (messages.length === 0) return h('p', {class: 'empty'}, 'The inbox is empty.');
  return h('table', {class: 'stack'},
    h('caption', {class: 'visually-hidden'}, 'Inbox, oldest first'),
    h('thead', {}, h('tr', {}, ['#', 'From', 'State', 'Message', 'Created', 'Delivered', 'Failure reason']
      .map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, messages.map((m) => {
      const state = messageStateName(m.state);
      return h('tr', {data: {messageId: m.id, state}},
        h('td', {'data-label': '#'}, String(m.id)),
        h('td', {'data-label': 'From'}, terminalLink(m.senderTerminalId)),
        h('td', {'data-label': 'State'}, tagBadge('state', state)),
        h('td', {'data-label': 'Message'}, h('div', {class: 'body-text'}, m.body || '')),
        h('td', {'data-label': 'Created'}, timeEl(m.createdAt)),
        h('td', {'data-label': 'Delivered'}, timeEl(m.deliveredAt)),
        h('td', {'data-label': 'Failure reason', class: m.failureReason ? 'failure' : ''}, m.failureReason || '—'));
    })));
}

function explainView(r) {
  const matched = r.matchedLines || [];
  return h('div', {class: 'explain'},
    h('dl', {class: 'facts'},
      h('dt', {}, 'Status'), h('dd', {}, statusBadge(r.status)),
      h('dt', {}, 'Decided by rule'), h('dd', {}, h('code', {}, r.rule || '—')),
      h('dt', {}, 'Provider'), h('dd', {}, r.provider || '—'),
      h('dt', {}, 'Pane title'), h('dd', {}, r.paneTitle || '—'),
      h('dt', {}, 'Foreground command'), h('dd', {}, h('code', {}, r.foregroundCommand || '—')),
      h('dt', {}, 'Evaluated'), h('dd', {}, timeEl(r.evaluatedAt))),
    matched.length
      ? h('table', {class: 'stack matched'},
        h('caption', {}, 'Screen lines the rule matched'),
        h('thead', {}, h('tr', {}, ['Line', 'Text', 'Pattern'].map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', {}, matched.map((l) => h('tr', {},
          h('td', {'data-label': 'Line'}, String(l.lineNumber ?? '')),
          h('td', {'data-label': 'Text'}, h('code', {class: 'pre'}, l.text || '')),
          h('td', {'data-label': 'Pattern'}, h('code', {class: 'pre'}, l.pattern || ''))))))
      : h('p', {class: 'muted'}, 'No screen line matched (the status came from the pane title or foreground command).'),
    h('details', {}, h('summary', {}, 'The screen the rules ran on'), h('pre', {class: 'screen small'}, r.screen || '')));
}
