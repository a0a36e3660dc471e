// A flow's page (#/flows/<name>): what it is and its run history, newest first; runs are patched in from
// FLOW_RUN events as they start and end.

import {rpc} from './api.js';
import {h, keepingFocus, replace} from './dom.js';
import {subscribe} from './events.js';
import {
  compareIds, eventKindName, firstLine, flowStateName, formatDuration, parseTime, runOutcomeName,
} from './format.js';
import {flowActions} from './flowactions.js';
import {errorBox, showError, tagBadge, timeEl} from './widgets.js';

export function mount(main, {params}) {
  const name = params.name;
  const runs = new Map(); // id -> FlowRun
  let flow = null;
  let disposed = false;
  const problem = errorBox(null, 'flow-error');
  const notice = h('p', {class: 'muted', 'aria-live': 'polite', 'data-testid': 'flow-notice'});
  const about = h('div', {class: 'flow-about'});
  const history = h('div', {'data-testid': 'flow-runs'}, 'Loading runs…');

  main.append(
    h('div', {class: 'view-head'}, h('h1', {tabindex: '-1'}, 'Flow ', h('code', {}, name)), h('a', {href: '#/flows'}, '← Flows')),
    problem, about, notice, h('h2', {}, 'Runs'), history);

  const handlers = {
    onDone(response, method) {
      if (method === 'RunFlow' && response.run) {
        notice.textContent = `Started run #${response.run.id}.`;
        runs.set(String(response.run.id), response.run);
        renderRuns();
      } else if (response.flow) {
        flow = response.flow;
        renderAbout();
      }
      showError(problem, null);
    },
    onError: (e) => showError(problem, e),
  };

  function renderAbout() {
    if (!flow) return;
    const fact = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];
    keepingFocus(about, () => replace(about,
      h('dl', {class: 'facts'},
        fact('State', tagBadge('flow-state', flowStateName(flow.state))),
        fact('Schedule', h('code', {}, flow.schedule || '—'), flow.timezone ? ` (${flow.timezone})` : ''),
        fact('Next run', timeEl(flow.nextRunAt)),
        fact('Agent', flow.agentProfile || '—', flow.provider ? ` on ${flow.provider}` : ''),
        fact('Working directory', h('code', {class: 'path'}, flow.workingDirectory || '—')),
        fact('File', h('code', {class: 'path'}, flow.filePath || '—')),
        flow.error ? fact('Problem', h('span', {class: 'failure'}, flow.error)) : null),
      h('div', {class: 'row'}, flowActions(flow, handlers)),
      flow.promptTemplate ? h('details', {}, h('summary', {}, 'Prompt'), h('pre', {class: 'prompt'}, flow.promptTemplate)) : null));
  }

  function renderRuns() {
    if (disposed) return;
    const list = [...runs.values()].sort((a, b) => compareIds(b.id, a.id));
    if (list.length === 0) {
      replace(history, h('p', {class: 'empty'}, 'No runs yet.'));
      return;
    }
    replace(history, h('table', {class: 'stack runs'},
      h('caption', {class: 'visually-hidden'}, `Runs of ${name}, newest first`),
      h('thead', {}, h('tr', {}, ['Run', 'Outcome', 'Trigger', 'Started', 'Ended', 'Session', 'Error', 'Answer']
        .map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, list.map(runRow))));
  }

  async function load() {
    try {
      const [f, r] = await Promise.all([
        rpc('FlowService', 'GetFlow', {name}),
        rpc('FlowService', 'ListFlowRuns', {flowName: name}),
      ]);
      flow = f.flow;
      for (const run of r.runs || []) runs.set(String(run.id), run);
      renderAbout();
      renderRuns();
    } catch (e) {
      showError(problem, e);
      replace(history, '');
    }
  }

  const unsubscribe = subscribe((ev) => {
    if (ev.resync) return void load();
    const kind = eventKindName(ev.kind);
    if (kind === 'flow_run' && ev.flowRun?.run?.flowName === name) {
      runs.set(String(ev.flowRun.run.id), ev.flowRun.run);
      renderRuns();
    } else if (kind === 'flow_file' && ev.flowFile?.flowName === name) {
      rpc('FlowService', 'GetFlow', {name}).then((r) => {
        flow = r.flow;
        renderAbout();
      }).catch((e) => showError(problem, e));
    }
  });
  load();
  return () => {
    disposed = true;
    unsubscribe();
  };
}

function runRow(run) {
  const outcome = runOutcomeName(run.outcome);
  const started = parseTime(run.startedAt);
  const ended = parseTime(run.endedAt);
  return h('tr', {data: {runId: run.id, outcome}},
    h('th', {scope: 'row', 'data-label': 'Run'}, `#${run.id}`),
    h('td', {'data-label': 'Outcome'}, tagBadge('outcome', outcome)),
    h('td', {'data-label': 'Trigger'}, run.manual ? 'manual' : ['schedule ', timeEl(run.scheduledAt)],
      run.resumed ? h('span', {class: 'badge', title: 'It outlived a restart of caod'}, 'resumed') : null),
    h('td', {'data-label': 'Started'}, timeEl(run.startedAt)),
    h('td', {'data-label': 'Ended'}, timeEl(run.endedAt),
      started !== null && ended !== null ? ` (${formatDuration(ended - started)})` : ''),
    h('td', {'data-label': 'Session'}, run.sessionId
      ? h('a', {href: `#/session/${encodeURIComponent(run.sessionId)}/timeline`}, h('code', {}, run.sessionId))
      : '—'),
    h('td', {'data-label': 'Error', class: run.error ? 'failure' : ''}, run.error || '—'),
    h('td', {'data-label': 'Answer', 'data-testid': 'run-answer'}, run.answerExcerpt
      ? h('details', {}, h('summary', {}, firstLine(run.answerExcerpt, 60)), h('pre', {class: 'excerpt'}, run.answerExcerpt))
      : '—'));
}
