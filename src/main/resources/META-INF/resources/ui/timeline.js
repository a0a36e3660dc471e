// Timeline of a session (#/session/<id>/timeline): spawns, tasks, messages and handoff outcomes in time order,
// from the event log. The stored log is read once (WatchEvents replay_only); later events come from the page's
// live stream. Both may carry the same event: items are kept by id.

import {openStream, rpc} from './api.js';
import {h, replace} from './dom.js';
import {subscribe} from './events.js';
import {
  actionName, compareIds, eventKindName, flowStateName, formatDuration, handoffOutcomeName, lifecycleName,
  messageStateName, parseDuration, runOutcomeName, statusName,
} from './format.js';
import * as store from './store.js';
import {errorBox, showError, terminalLink, timeEl} from './widgets.js';

let showStatus = false; // status changes are many; off unless asked for

export function mount(main, {params}) {
  const sessionId = params.id;
  const events = new Map(); // id -> Event
  let done = false;
  let disposed = false;

  const title = h('h1', {tabindex: '-1'}, 'Timeline of ', h('code', {}, sessionId));
  const problem = errorBox(null, 'timeline-error');
  const state = h('p', {class: 'muted', 'aria-live': 'polite', 'data-testid': 'timeline-state'}, 'Reading the log…');
  const statusToggle = h('input', {type: 'checkbox', id: 'timeline-status', checked: showStatus});
  const list = h('ol', {class: 'timeline', 'data-testid': 'timeline'});

  main.append(
    h('div', {class: 'view-head'}, title, h('a', {href: '#/'}, '← Sessions')),
    h('div', {class: 'check'}, statusToggle, h('label', {for: 'timeline-status'}, 'Show status changes')),
    problem, state, list);

  statusToggle.addEventListener('change', () => {
    showStatus = statusToggle.checked;
    render();
  });

  // The session's name for the heading, when it is known or can be read.
  const known = store.session(sessionId);
  if (known?.name) replace(title, 'Timeline of ', known.name, ' ', h('code', {}, sessionId));
  else rpc('SessionService', 'GetSession', {sessionId}).then((r) => {
    if (!disposed && r.session?.name) replace(title, 'Timeline of ', r.session.name, ' ', h('code', {}, sessionId));
  }).catch((e) => {
    if (!disposed && e.code === 'NOT_FOUND') showError(problem, e);
  });

  function render() {
    const items = [...events.values()]
      .filter((ev) => showStatus || eventKindName(ev.kind) !== 'status_changed')
      .sort((a, b) => compareIds(a.id, b.id));
    replace(list, items.map(item));
    if (done) {
      state.textContent = items.length ? `${items.length} event${items.length === 1 ? '' : 's'}; live.`
        : 'Nothing recorded for this session yet.';
    }
  }

  let renderQueued = false;
  const queueRender = () => {
    if (renderQueued) return;
    renderQueued = true;
    queueMicrotask(() => {
      renderQueued = false;
      if (!disposed) render();
    });
  };

  let opened = false;
  const replay = openStream('DaemonService', 'WatchEvents', {sessionId, afterEventId: '0', replayOnly: true}, {
    onOpen() {
      opened = true;
    },
    onMessage(ev) {
      events.set(String(ev.id), ev);
      queueRender();
    },
    async onError(serverError) {
      // With replay_only the server ends the stream after the log: EventSource reports that as an error too.
      replay.close();
      done = true;
      if (serverError) {
        showError(problem, {code: serverError.code, message: serverError.error});
      } else if (!opened) {
        // Refused before it started: ask a unary call for the daemon's words (e.g. an unknown session).
        try {
          await rpc('SessionService', 'GetSession', {sessionId});
          showError(problem, {code: 'UNAVAILABLE', message: 'The event log could not be read; reload the page to try again.'});
        } catch (e) {
          showError(problem, e);
        }
      }
      if (!disposed) render();
    },
  });

  const unsubscribe = subscribe((ev) => {
    if (ev.resync || ev.sessionId !== sessionId) return;
    events.set(String(ev.id), ev);
    queueRender();
  });

  return () => {
    disposed = true;
    replay.close();
    unsubscribe();
  };
}

function item(ev) {
  const kind = eventKindName(ev.kind);
  return h('li', {class: `event kind-${kind}`, data: {eventId: ev.id, kind}},
    h('span', {class: 'when'}, timeEl(ev.at)),
    h('span', {class: `kind badge kind-badge`}, KIND_LABEL[kind] || kind),
    h('span', {class: 'what'}, describe(kind, ev)));
}

const KIND_LABEL = {
  status_changed: 'status', lifecycle_changed: 'lifecycle', message: 'message', handoff: 'handoff',
  flow_run: 'flow run', flow_file: 'flow file', daemon: 'daemon', orchestration: 'task', fault: 'fault',
};

const t = (id) => terminalLink(id);
// A worker named by its profile: the link says it already when the page knows the terminal.
const worker = (id, profile) => (store.terminal(id)?.profile || !profile ? t(id) : [profile, ' ', t(id)]);

/** One readable line (as nodes: terminal ids become links) per event kind. */
function describe(kind, ev) {
  switch (kind) {
    case 'status_changed': {
      const p = ev.statusChanged || {};
      return [t(ev.terminalId), ` ${statusName(p.previous)} → ${statusName(p.current)}`, p.rule ? ` (rule ${p.rule})` : ''];
    }
    case 'lifecycle_changed': {
      const p = ev.lifecycleChanged || {};
      const now = lifecycleName(p.current);
      if (now === 'starting') {
        const caller = store.terminal(ev.terminalId)?.callerTerminalId;
        return ['Started ', t(ev.terminalId), caller ? [' for ', t(caller)] : ''];
      }
      if (now === 'running') return [t(ev.terminalId), ' is up and running'];
      if (now === 'exited') return [t(ev.terminalId), ' exited', p.reason ? `: ${p.reason}` : ''];
      return [t(ev.terminalId), ` ${lifecycleName(p.previous)} → ${now}`];
    }
    case 'orchestration': {
      const p = ev.orchestration || {};
      const detail = p.detail ? `: “${p.detail}”` : '';
      switch (actionName(p.action)) {
        case 'handoff_started':
          return [t(p.actorTerminalId), ' handed off to ', worker(p.workerTerminalId, p.agentProfile),
            p.timeoutSeconds ? ` (timeout ${p.timeoutSeconds}s)` : '', detail];
        case 'assigned':
          return [t(p.actorTerminalId), ' assigned ', worker(p.workerTerminalId, p.agentProfile), detail];
        case 'task_sent':
          return ['Task sent to ', t(p.workerTerminalId), detail];
        case 'worker_not_started':
          return ['Worker ', worker(p.workerTerminalId, p.agentProfile), ' did not start', detail];
        default:
          return [`${actionName(p.action)} `, t(p.workerTerminalId), detail];
      }
    }
    case 'message': {
      const p = ev.message || {};
      const state = messageStateName(p.state);
      return [`Message #${p.messageId} from `, t(p.senderTerminalId), ' to ', t(p.receiverTerminalId), `: ${state}`,
        p.failureReason ? ` — ${p.failureReason}` : ''];
    }
    case 'handoff': {
      const p = ev.handoff || {};
      const outcome = handoffOutcomeName(p.outcome);
      const took = parseDuration(p.elapsed);
      return ['Handoff from ', t(p.callerTerminalId), ' to ', worker(p.workerTerminalId, p.agentProfile),
        `: ${outcome.replaceAll('_', ' ')}`, took !== null ? ` after ${formatDuration(took)}` : '',
        p.detail ? ` — ${p.detail}` : ''];
    }
    case 'flow_run': {
      const r = ev.flowRun?.run || {};
      return [`Flow ${r.flowName} run #${r.id}: ${runOutcomeName(r.outcome).replaceAll('_', ' ')}`, r.error ? ` — ${r.error}` : ''];
    }
    case 'flow_file': {
      const p = ev.flowFile || {};
      return [`Flow file ${p.flowName || p.filePath}: ${p.removed ? 'removed' : flowStateName(p.state)}`,
        p.error ? ` — ${p.error}` : ''];
    }
    case 'daemon':
      return [`caod ${String(ev.daemon?.phase || '').replace('DAEMON_PHASE_', '').toLowerCase()}`,
        ev.daemon?.pid ? ` (pid ${ev.daemon.pid})` : ''];
    case 'fault': {
      const p = ev.fault || {};
      return [`${p.component || 'caod'}: ${p.problem || ''}`, p.fix ? ` — ${p.fix}` : ''];
    }
    default:
      return [kind, ev.terminalId ? [' ', t(ev.terminalId)] : ''];
  }
}
