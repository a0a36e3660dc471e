// Flows view (#/flows): every flow file with its schedule, next run and last outcome; invalid files with their
// error; Run now / Enable / Disable. Re-read on FLOW_FILE and FLOW_RUN events.

import {rpc} from './api.js';
import {coalesce} from './coalesce.js';
import {h, keepingFocus, replace} from './dom.js';
import {subscribe} from './events.js';
import {eventKindName, flowStateName, runOutcomeName} from './format.js';
import {flowActions} from './flowactions.js';
import {errorBox, showError, tagBadge, timeEl} from './widgets.js';

export function mount(main) {
  let flows = null;
  let disposed = false;
  const problem = errorBox(null, 'flows-error');
  const notice = h('p', {class: 'muted', 'aria-live': 'polite', 'data-testid': 'flows-notice'});
  const body = h('div', {'data-testid': 'flows'}, 'Loading flows…');

  main.append(h('div', {class: 'view-head'}, h('h1', {tabindex: '-1'}, 'Flows')),
    h('p', {class: 'muted'}, 'Scheduled agent runs, from the files in caod’s flow folders.'),
    problem, notice, body);

  const actionHandlers = {
    onDone(response, method) {
      if (method === 'RunFlow') {
        const run = response.run || {};
        notice.textContent = `Started run #${run.id} of ${run.flowName}.`;
      } else if (response.flow) {
        notice.textContent = `${response.flow.name} is now ${response.flow.enabled ? 'enabled' : 'disabled'}.`;
        flows = flows.map((f) => (f.name === response.flow.name ? response.flow : f));
        render();
      }
      showError(problem, null);
    },
    onError: (e) => showError(problem, e),
  };

  function render() {
    if (disposed || !flows) return;
    keepingFocus(body, () => {
      if (flows.length === 0) {
        replace(body, h('p', {class: 'empty'}, 'No flows. Drop a flow file into the flows folder (see `caod flow`).'));
        return;
      }
      replace(body, h('table', {class: 'stack flows'},
        h('caption', {class: 'visually-hidden'}, 'Flows'),
        h('thead', {}, h('tr', {}, ['Name', 'State', 'Schedule', 'Agent', 'Next run', 'Last run', 'Problems', 'Actions']
          .map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', {}, flows.map((f) => row(f, actionHandlers)))));
    });
  }

  const load = coalesce(async () => {
    try {
      const r = await rpc('FlowService', 'ListFlows', {includeInvalid: true});
      flows = (r.flows || []).sort((a, b) => (a.name || a.filePath).localeCompare(b.name || b.filePath));
      render();
    } catch (e) {
      if (!flows) replace(body, '');
      showError(problem, e);
    }
  }, () => disposed);

  const unsubscribe = subscribe((ev) => {
    const kind = eventKindName(ev.kind);
    if (ev.resync || kind === 'flow_file' || kind === 'flow_run') load();
  });
  load();
  return () => {
    disposed = true;
    unsubscribe();
  };
}

function row(f, handlers) {
  const state = flowStateName(f.state);
  const last = f.lastRun;
  return h('tr', {data: {flowName: f.name, enabled: String(Boolean(f.enabled)), state}},
    h('th', {scope: 'row', 'data-label': 'Name'},
      f.name ? h('a', {href: `#/flows/${encodeURIComponent(f.name)}`, data: {focusKey: `flow-${f.name}`}}, f.name)
        : h('code', {}, f.filePath)),
    h('td', {'data-label': 'State'}, tagBadge('flow-state', state)),
    h('td', {'data-label': 'Schedule'}, h('code', {}, f.schedule || '—'), f.timezone ? ` (${f.timezone})` : ''),
    h('td', {'data-label': 'Agent'}, f.agentProfile || '—', f.provider ? ` on ${f.provider}` : ''),
    h('td', {'data-label': 'Next run'}, timeEl(f.nextRunAt)),
    h('td', {'data-label': 'Last run'}, last && last.id && last.id !== '0'
      ? [tagBadge('outcome', runOutcomeName(last.outcome)), ' ', timeEl(last.startedAt)]
      : h('span', {class: 'muted'}, 'never')),
    h('td', {'data-label': 'Problems', class: f.error ? 'failure' : ''},
      f.error ? h('div', {class: 'body-text', 'data-testid': `flow-error-${f.name || f.filePath}`}, f.error) : '—'),
    h('td', {'data-label': 'Actions'}, flowActions(f, handlers)));
}
