// The actions a flow offers (Run now, Enable / Disable), shared by the flow list and a flow's page.

import {rpc} from './api.js';
import {h} from './dom.js';
import {flowStateName} from './format.js';

/**
 * Buttons for one flow. onDone(response) after a success, onError(error) after a failure (the daemon's message).
 * Invalid flows get none: they cannot run or be scheduled until their file is fixed.
 */
export function flowActions(flow, {onDone, onError}) {
  const state = flowStateName(flow.state);
  if (state === 'invalid') return h('span', {class: 'muted'}, 'fix the file first');
  const call = (method, button) => async () => {
    button.disabled = true;
    try {
      onDone(await rpc('FlowService', method, {name: flow.name}), method);
    } catch (e) {
      onError(e);
    } finally {
      button.disabled = false;
    }
  };
  const run = h('button', {type: 'button', 'data-testid': `flow-run-${flow.name}`, data: {focusKey: `run-${flow.name}`},
    'aria-label': `Run now: ${flow.name}`}, 'Run now');
  run.addEventListener('click', call('RunFlow', run));
  const toggle = flow.enabled
    ? h('button', {type: 'button', class: 'secondary', 'data-testid': `flow-disable-${flow.name}`,
      data: {focusKey: `toggle-${flow.name}`}, 'aria-label': `Disable: ${flow.name}`}, 'Disable')
    : h('button', {type: 'button', class: 'secondary', 'data-testid': `flow-enable-${flow.name}`,
      data: {focusKey: `toggle-${flow.name}`}, 'aria-label': `Enable: ${flow.name}`}, 'Enable');
  toggle.addEventListener('click', call(flow.enabled ? 'DisableFlow' : 'EnableFlow', toggle));
  return h('span', {class: 'actions'}, run, ' ', toggle);
}
