// Launch view (#/launch): start a session with its supervisor (SessionService/CreateSession), then show it in the
// sessions view, highlighted.

import {rpc} from './api.js';
import {h, replace} from './dom.js';
import * as store from './store.js';
import {errorBox, showError} from './widgets.js';

// The providers caod ships (SPEC §3); profiles may name others (manifests added by the user).
const KNOWN_PROVIDERS = ['claude_code', 'codex', 'gemini_cli', 'qwen_code', 'opencode', 'q_cli', 'kiro_cli', 'demo'];
const LAST_DIR = 'caod.launch.workingDirectory';

export function mount(main) {
  let profiles = [];
  let disposed = false;
  const problem = errorBox(null, 'launch-error');
  const profile = h('select', {id: 'launch-profile', name: 'profile', required: true, 'data-testid': 'launch-profile',
    'aria-describedby': 'launch-profile-about'}, h('option', {value: ''}, 'Loading profiles…'));
  const profileAbout = h('p', {id: 'launch-profile-about', class: 'hint'});
  const provider = h('select', {id: 'launch-provider', name: 'provider', 'data-testid': 'launch-provider'});
  const workdir = h('input', {id: 'launch-workdir', name: 'workingDirectory', type: 'text', required: true,
    autocomplete: 'off', spellcheck: 'false', 'data-testid': 'launch-workdir', 'aria-describedby': 'launch-workdir-hint',
    value: localStorage.getItem(LAST_DIR) || ''});
  const name = h('input', {id: 'launch-name', name: 'name', type: 'text', autocomplete: 'off', spellcheck: 'false',
    'data-testid': 'launch-name', 'aria-describedby': 'launch-name-hint'});
  const message = h('textarea', {id: 'launch-message', name: 'initialMessage', rows: '4', 'data-testid': 'launch-message'});
  const submit = h('button', {type: 'submit', 'data-testid': 'launch-submit'}, 'Launch');
  const pending = h('p', {class: 'muted', 'aria-live': 'polite'});

  const form = h('form', {class: 'launch', 'aria-labelledby': 'launch-title'},
    h('div', {class: 'field'}, h('label', {for: 'launch-profile'}, 'Supervisor profile'), profile, profileAbout),
    h('div', {class: 'field'}, h('label', {for: 'launch-provider'}, 'Provider'), provider),
    h('div', {class: 'field'}, h('label', {for: 'launch-workdir'}, 'Working directory'), workdir,
      h('p', {id: 'launch-workdir-hint', class: 'hint'}, 'An absolute path that exists on this machine.')),
    h('div', {class: 'field'}, h('label', {for: 'launch-name'}, 'Session name (optional)'), name,
      h('p', {id: 'launch-name-hint', class: 'hint'}, 'Lower-case letters, digits, - and _; at most 48. Empty: a generated name.')),
    h('div', {class: 'field'}, h('label', {for: 'launch-message'}, 'First message (optional)'), message),
    problem,
    h('div', {class: 'row'}, submit, pending));

  main.append(h('div', {class: 'view-head'}, h('h1', {id: 'launch-title', tabindex: '-1'}, 'Launch a session')), form);

  function fillProviders() {
    const chosen = profiles.find((p) => p.name === profile.value);
    const current = provider.value;
    const names = [...new Set([...KNOWN_PROVIDERS, ...profiles.map((p) => p.provider).filter(Boolean)])].sort();
    replace(provider,
      h('option', {value: ''}, chosen?.provider ? `the profile's (${chosen.provider})` : 'the profile’s or caod’s default'),
      names.map((n) => h('option', {value: n}, n)));
    provider.value = names.includes(current) ? current : '';
    profileAbout.textContent = chosen ? [chosen.description, chosen.role && `role: ${chosen.role}`].filter(Boolean).join(' — ') : '';
  }

  profile.addEventListener('change', fillProviders);

  rpc('ProfileService', 'ListProfiles', {}).then((r) => {
    if (disposed) return;
    profiles = (r.profiles || []).sort((a, b) => a.name.localeCompare(b.name));
    profile.replaceChildren(...profiles.map((p) => h('option', {value: p.name},
      p.role ? `${p.name} (${p.role})` : p.name)));
    // Supervisors first choice: a session is launched with its supervisor.
    const preferred = profiles.find((p) => p.name === 'code_supervisor') || profiles.find((p) => p.role === 'supervisor');
    if (preferred) profile.value = preferred.name;
    fillProviders();
  }).catch((e) => {
    profile.replaceChildren(h('option', {value: ''}, 'No profiles'));
    showError(problem, e);
  });
  fillProviders();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    pending.textContent = 'Launching…';
    try {
      const r = await rpc('SessionService', 'CreateSession', {
        profile: profile.value,
        provider: provider.value,
        workingDirectory: workdir.value.trim(),
        name: name.value.trim(),
        initialMessage: message.value,
      });
      localStorage.setItem(LAST_DIR, workdir.value.trim());
      store.addCreated(r);
      location.hash = `#/?new=${encodeURIComponent(r.session.id)}`;
    } catch (err) {
      pending.textContent = '';
      showError(problem, err);
      problem.focus();
    } finally {
      submit.disabled = false;
    }
  });

  return () => {
    disposed = true;
  };
}
