// The dashboard's entry point: header (daemon, needs-you count, connection), hash routing to the views, the
// one-second ticker for relative times, and the sign-in panel shown on any 401.

import {onUnauthenticated, rpc} from './api.js';
import {h, replace} from './dom.js';
import * as events from './events.js';
import {eventKindName, formatDuration, parseTime} from './format.js';
import * as store from './store.js';
import * as tree from './tree.js';
import * as terminal from './terminal.js';
import * as timeline from './timeline.js';
import * as flows from './flows.js';
import * as flowruns from './flowruns.js';
import * as launch from './launch.js';
import {tickSince} from './widgets.js';

// [path pattern, view, title, nav section, names of the captured parameters]
const ROUTES = [
  [/^\/$/, tree, () => 'Sessions', 'sessions', []],
  [/^\/terminal\/([^/]+)$/, terminal, (p) => `Terminal ${p.id}`, 'sessions', ['id']],
  [/^\/session\/([^/]+)\/timeline$/, timeline, (p) => `Timeline ${p.id}`, 'sessions', ['id']],
  [/^\/flows$/, flows, () => 'Flows', 'flows', []],
  [/^\/flows\/([^/]+)$/, flowruns, (p) => `Flow ${p.name}`, 'flows', ['name']],
  [/^\/launch$/, launch, () => 'Launch', 'launch', []],
];

const main = document.getElementById('main');
const connection = document.getElementById('connection');
const daemon = document.getElementById('daemon');
const needsYou = document.getElementById('needs-you');
let unmount = () => {};
let signedOut = false;
let firstRoute = true;
let pageTitle = 'caod';

function route() {
  if (signedOut) return;
  const raw = location.hash.replace(/^#/, '');
  if (raw === 'main') return; // the skip link's target, not a route
  const [pathPart, queryPart = ''] = raw.split('?');
  const path = (pathPart || '/').replace(/(.)\/$/, '$1');
  unmount();
  unmount = () => {};
  main.replaceChildren();
  let matched = false;
  for (const [pattern, view, title, section, names] of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    const params = {};
    names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]);
      } catch {
        params[n] = m[i + 1]; // a malformed %-escape: take it as typed
      }
    });
    setNav(section);
    pageTitle = `${title(params)} · caod`;
    unmount = view.mount(main, {params, query: new URLSearchParams(queryPart)}) || (() => {});
    matched = true;
    break;
  }
  if (!matched) {
    setNav('');
    pageTitle = 'Not found · caod';
    main.append(h('h1', {tabindex: '-1'}, 'Not found'),
      h('p', {}, 'No page here. ', h('a', {href: '#/'}, 'Go to the sessions'), '.'));
  }
  updateTitle();
  // Tell screen readers and keyboard users the page changed: focus its heading (not on the first load).
  if (!firstRoute) main.querySelector('h1')?.focus();
  firstRoute = false;
}

function setNav(section) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function updateTitle() {
  const n = store.needsYouCount();
  document.title = n ? `(${n}) ${pageTitle}` : pageTitle;
  needsYou.hidden = n === 0;
  needsYou.textContent = `${n} need${n === 1 ? 's' : ''} you`;
}

const CONNECTION_TEXT = {
  connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', stopped: 'not connected',
};

async function loadStatus() {
  try {
    const s = await rpc('DaemonService', 'GetStatus', {});
    const started = parseTime(s.startedAt);
    replace(daemon, `v${s.version}`, started !== null
      ? [' · up ', h('span', {data: {since: started}}, formatDuration(Date.now() - started))] : '',
    ` · ${s.liveTerminals ?? 0} live terminal${String(s.liveTerminals) === '1' ? '' : 's'}`);
    daemon.title = `pid ${s.pid}, HTTP ${s.httpAddress}, tmux -L ${s.tmuxSocket}`;
    return s;
  } catch (e) {
    if (e.httpStatus !== 401) daemon.textContent = `daemon: ${e.message}`;
    return null;
  }
}

function showSignIn() {
  if (signedOut) return;
  signedOut = true;
  events.stop();
  unmount();
  unmount = () => {};
  setNav('');
  pageTitle = 'Sign in · caod';
  updateTitle();
  connection.dataset.state = 'stopped';
  connection.textContent = 'signed out';
  daemon.textContent = '';
  replace(main, h('section', {class: 'panel auth', 'data-testid': 'auth-required', 'aria-labelledby': 'auth-title'},
    h('h1', {id: 'auth-title', tabindex: '-1'}, 'Sign in to the dashboard'),
    h('p', {class: 'lead'}, 'Open the link that ', h('code', {}, 'caod dashboard'), ' prints.'),
    h('p', {}, 'It signs this browser in (a cookie only this page can use) and brings you back here. ',
      'Run it in a shell on this machine.')));
  main.querySelector('h1').focus();
}

onUnauthenticated(showSignIn);

events.onState((state) => {
  if (signedOut) return;
  connection.dataset.state = state;
  connection.textContent = CONNECTION_TEXT[state] || state;
});

events.subscribe((ev) => {
  if (ev.resync || eventKindName(ev.kind) === 'daemon' || eventKindName(ev.kind) === 'lifecycle_changed') loadStatus();
});

store.onChange(updateTitle);

document.querySelector('.skip-link').addEventListener('click', (e) => {
  e.preventDefault(); // keep the route in the hash
  main.focus();
});

window.addEventListener('hashchange', route);
setInterval(tickSince, 1000); // relative times only; never calls the API

route();
// The newest event id first, then the data: the stream resumes from that id, so whatever changes while the data
// loads arrives as events, and nothing has to be loaded twice.
loadStatus().then((s) => {
  events.start(s?.latestEventId);
  store.reload();
});
