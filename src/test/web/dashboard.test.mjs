// Browser test of caod's web dashboard: Playwright (playwright-core) driving Debian's Chromium, headless, against a
// real daemon with demo agents. Run by the Java side as `node --test dashboard.test.mjs` with:
//   CAOD_URL          the daemon's HTTP address, e.g. http://127.0.0.1:43123
//   CAOD_TOKEN        the dashboard token (what `caod dashboard` puts in its link)
//   CAOD_WORKDIR      an existing directory for the sessions' working directory
//   CAOD_SCREENSHOTS  optional: a folder to write the screenshots of the main views into
//   CHROMIUM          optional: the browser binary (default /usr/bin/chromium)
// The tests run in order and share one page (the page is never reloaded between tests 2 and 4): launch a team,
// see statuses change live, steer a terminal, read the timeline, run a flow. They wait on conditions, never on
// fixed sleeps; deadlines are generous because the machine is slow.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {createRequire} from 'node:module';
import {chromium} from 'playwright-core';

const require = createRequire(import.meta.url);

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test needs CAOD_URL, CAOD_TOKEN and CAOD_WORKDIR`);
  return value;
};
const BASE = env('CAOD_URL').replace(/\/+$/, '');
const TOKEN = env('CAOD_TOKEN');
const WORKDIR = env('CAOD_WORKDIR');
const SHOTS = process.env.CAOD_SCREENSHOTS || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLOW = 'ui-check';

let browser;
let page;
let cookie = ''; // "caod_ui=<value>", for the test's own API calls
const pageErrors = []; // uncaught exceptions and CSP violations seen in the page
const created = {sessions: [], flow: false};
let team = null; // {sessionId, supervisorId, developerId} from the launch test
let single = null; // the terminal of the status test

// ---------------------------------------------------------------- helpers

/**
 * Signs in like the browser does and returns the Set-Cookie header of the answer; the test's own API calls use the
 * newest cookie (whether an older one stays valid after a new sign-in is not this test's business).
 */
async function login() {
  const res = await fetch(`${BASE}/ui/login?token=${encodeURIComponent(TOKEN)}`, {redirect: 'manual'});
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('caod_ui='));
  assert.equal(res.status, 303, `GET /ui/login should answer 303, got ${res.status}: ${await res.text()}`);
  assert.ok(setCookie, `GET /ui/login set no caod_ui cookie; headers: ${JSON.stringify([...res.headers])}`);
  cookie = setCookie.split(';')[0];
  return setCookie;
}

/** A unary call through the gateway, as the page makes it; returns {status, body}. headers override (null: omit). */
async function call(service, method, request = {}, headers = {}) {
  const all = {'Content-Type': 'application/json', Origin: BASE, Cookie: cookie, ...headers};
  for (const [name, value] of Object.entries(all)) if (value === null) delete all[name]; // null: leave the header out
  const res = await fetch(`${BASE}/api/v1/rpc/caod.v1.${service}/${method}`, {
    method: 'POST',
    headers: all,
    body: JSON.stringify(request),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return {status: res.status, body};
}

/** A unary call that must succeed; returns the response message. */
async function api(service, method, request = {}) {
  const {status, body} = await call(service, method, request);
  if (status !== 200) {
    throw new Error(`${service}/${method} ${JSON.stringify(request)} answered ${status}: ${JSON.stringify(body)}`);
  }
  return body;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls fn (the API, from the test) until it returns a truthy value; fails with describe() after timeout ms. */
async function until(fn, timeout, describe) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`${await describe()} (waited ${timeout / 1000} s)`);
    await pause(200);
  }
}

/** The visible text of the page's main area, for failure messages. */
async function pageText() {
  try {
    const text = await page.locator('main').innerText({timeout: 2000});
    return `\n--- page (${page.url()}) ---\n${text.slice(0, 3000)}\n--- end of page ---`;
  } catch (e) {
    return `\n(could not read the page: ${e.message})`;
  }
}

/** page.waitForFunction, failing with what was awaited and what the page shows. */
async function waitInPage(what, fn, arg, timeout) {
  try {
    return await page.waitForFunction(fn, arg, {timeout, polling: 'raf'});
  } catch (e) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}${await pageText()}`, {cause: e});
  }
}

/** Goes to a view by changing the hash (no reload). */
async function go(hash) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

async function shot(name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, {recursive: true});
  await page.screenshot({path: path.join(SHOTS, name), fullPage: false});
}

const statusOf = (t) => String(t.status || '').replace(/^TERMINAL_STATUS_/, '').toLowerCase();

// ---------------------------------------------------------------- setup

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({viewport: {width: 1280, height: 800}});
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => pageErrors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(`CSP: ${m.text()}`);
  });
  await login();
});

after(async () => {
  // Leave the daemon as found (best effort: the daemon is the test's own anyway).
  for (const sessionId of created.sessions) await call('SessionService', 'DeleteSession', {sessionId}).catch(() => {});
  if (created.flow) await call('FlowService', 'DeleteFlow', {name: FLOW}).catch(() => {});
  await browser?.close();
});

// ---------------------------------------------------------------- tests

test('requests from a foreign Origin, or without the cookie, are refused', {timeout: 60_000}, async () => {
  const setCookie = await login();
  assert.match(setCookie, /;\s*HttpOnly/i, `the caod_ui cookie must be HttpOnly: ${setCookie}`);
  assert.match(setCookie, /;\s*SameSite=Strict/i, `the caod_ui cookie must be SameSite=Strict: ${setCookie}`);

  const foreign = await call('SessionService', 'ListSessions', {}, {Origin: 'https://evil.example'});
  assert.equal(foreign.status, 403, `a foreign Origin with a valid cookie must get 403: ${JSON.stringify(foreign)}`);

  const anonymous = await call('SessionService', 'ListSessions', {}, {Cookie: null});
  assert.equal(anonymous.status, 401, `no cookie must get 401: ${JSON.stringify(anonymous)}`);
  assert.equal(anonymous.body.code, 'UNAUTHENTICATED', `401 body: ${JSON.stringify(anonymous.body)}`);

  const fine = await call('SessionService', 'ListSessions', {});
  assert.equal(fine.status, 200, `the cookie and the daemon's own Origin must be let in: ${JSON.stringify(fine)}`);

  // The event stream too: a foreign page must not read it.
  const abort = new AbortController();
  const stream = await fetch(`${BASE}/api/v1/stream/caod.v1.DaemonService/WatchEvents?request=${encodeURIComponent('{}')}`,
    {headers: {Origin: 'https://evil.example', Cookie: cookie}, signal: abort.signal});
  abort.abort();
  assert.equal(stream.status, 403, 'a foreign Origin must get 403 on the event stream');

  // A browser without the cookie gets the sign-in panel, not a broken page.
  const anon = await browser.newContext();
  try {
    const p = await anon.newPage();
    await p.goto(`${BASE}/ui/`);
    const panel = p.locator('[data-testid="auth-required"]');
    await panel.waitFor({timeout: 30_000});
    assert.match(await panel.innerText(), /Open the link that\s+caod dashboard\s+prints/);
  } finally {
    await anon.close();
  }
});

test('a team launched from the page shows as a tree: supervisor, and the developer under it', {timeout: 180_000}, async () => {
  await page.goto(`${BASE}/ui/login?token=${encodeURIComponent(TOKEN)}`);
  assert.match(page.url(), /\/ui\/(#.*)?$/, `the login link should land on /ui/, not ${page.url()}`);
  const browserCookie = (await page.context().cookies(BASE)).find((c) => c.name === 'caod_ui');
  assert.ok(browserCookie, 'the browser holds the caod_ui cookie after the login link');
  assert.ok(browserCookie.httpOnly, 'the cookie is HttpOnly');
  cookie = `caod_ui=${browserCookie.value}`;
  await waitInPage('the live event connection', () => document.querySelector('[data-testid="connection"]')?.dataset.state === 'live',
    null, 30_000);

  await page.click('nav a[data-nav="launch"]');
  await page.waitForSelector('#launch-profile option[value="code_supervisor"]', {state: 'attached'});
  await page.selectOption('#launch-profile', 'code_supervisor');
  await page.selectOption('#launch-provider', 'demo');
  await page.fill('#launch-workdir', WORKDIR);
  await page.fill('#launch-message', 'Build a tiny parser');
  await shot('launch.png');
  await page.click('[data-testid="launch-submit"]');

  await waitInPage('the sessions view with the new session (after CreateSession)',
    () => location.hash.startsWith('#/?new=') || !document.querySelector('[data-testid="launch-error"]')?.hidden,
    null, 60_000);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /^#\/\?new=/, `launching failed: ${await pageText()}`);
  const sessionId = decodeURIComponent(hash.slice('#/?new='.length));
  created.sessions.push(sessionId);

  const {session} = await api('SessionService', 'GetSession', {sessionId});
  const supervisorId = session.supervisorTerminalId;
  assert.ok(supervisorId, `the session has no supervisor: ${JSON.stringify(session)}`);

  // The supervisor hands off to a developer: its row must appear nested in the supervisor's subtree.
  let developerId;
  try {
    const handle = await waitInPage('a developer row nested under the supervisor', ([sid, sup]) => {
      const block = document.querySelector(`[data-session-id="${sid}"]`);
      const node = block?.querySelector(`li[data-node-id="${sup}"]`);
      if (!node || node.querySelector(':scope > [data-terminal-id]')?.dataset.profile !== 'code_supervisor') return null;
      return node.querySelector(':scope > ul [data-terminal-id][data-profile="developer"]')?.dataset.terminalId || null;
    }, [sessionId, supervisorId], 90_000);
    developerId = await handle.jsonValue();
  } catch (e) {
    const now = await call('SessionService', 'GetSession', {sessionId});
    e.message += `\n--- GetSession ---\n${JSON.stringify(now.body, null, 1).slice(0, 3000)}`;
    throw e;
  }
  const {terminal: developer} = await api('SessionService', 'GetTerminal', {terminalId: developerId});
  assert.equal(developer.callerTerminalId, supervisorId, 'the row nested under the supervisor is a worker it started');
  assert.equal(await page.locator(`[data-session-id="${sessionId}"]`).getAttribute('data-new'), 'true',
    'the new session is highlighted');
  team = {sessionId, supervisorId, developerId};
});

test('a status change shows within 1 s, without reloading the page', {timeout: 180_000}, async () => {
  await go('#/');
  await page.evaluate(() => {
    window.__marker = 1;
  });
  const r = await api('SessionService', 'CreateSession', {profile: 'developer', provider: 'demo', workingDirectory: WORKDIR});
  created.sessions.push(r.session.id);
  const id = r.supervisor.id;
  single = {sessionId: r.session.id, terminalId: id};
  let last;
  await until(async () => {
    last = (await api('SessionService', 'GetTerminal', {terminalId: id})).terminal;
    return statusOf(last) === 'idle';
  }, 90_000, () => `terminal ${id} never became idle: ${JSON.stringify(last)}`);
  await waitInPage(`the row of ${id} showing idle`,
    (tid) => document.querySelector(`[data-terminal-id="${tid}"] [data-status]`)?.dataset.status === 'idle', id, 30_000);

  await api('SessionService', 'SendInput', {terminalId: id, text: 'status check from the test'});
  const seen = new Set();
  const later = {processing: ['processing', 'completed'], completed: ['completed']};
  await until(async () => {
    const t = (await api('SessionService', 'GetTerminal', {terminalId: id})).terminal;
    const s = statusOf(t);
    if (later[s] && !seen.has(s)) {
      seen.add(s);
      const started = Date.now();
      try {
        await page.waitForFunction(([tid, ok]) => ok.includes(
          document.querySelector(`[data-terminal-id="${tid}"] [data-status]`)?.dataset.status), [id, later[s]],
        {timeout: 1000, polling: 'raf'});
      } catch {
        const shown = await page.evaluate((tid) => document.querySelector(`[data-terminal-id="${tid}"] [data-status]`)
          ?.dataset.status, id);
        assert.fail(`the API says ${id} is ${s}, the page still shows ${shown} after ${Date.now() - started} ms${await pageText()}`);
      }
    }
    return s === 'completed';
  }, 60_000, () => `terminal ${id} never completed (statuses seen: ${[...seen]})`);
  assert.ok(seen.size > 0, 'a status change was seen');
  assert.equal(await page.evaluate(() => window.__marker), 1, 'the page was reloaded');
});

test('input sent from the page reaches the pane', {timeout: 180_000}, async () => {
  assert.ok(single, 'needs the terminal of the status test');
  const id = single.terminalId;
  await go('#/');
  await page.click(`[data-terminal-id="${id}"] a.tid`);
  await waitInPage('the live screen', () => document.querySelector('[data-testid="terminal-screen"]')?.textContent.length > 0,
    null, 30_000);

  const sendFromPage = async (text, how) => {
    await page.fill('[data-testid="terminal-input"]', text);
    if (how === 'click') await page.click('[data-testid="terminal-send"]');
    else await page.press('[data-testid="terminal-input"]', 'Enter');
    // The page empties the box once SendInput succeeded, and shows the daemon's error otherwise.
    await waitInPage('the input to be sent (or an error)', () => document.querySelector('[data-testid="terminal-input"]')
      .value === '' || !document.querySelector('[data-testid="terminal-steer-error"]')?.hidden, null, 60_000);
    const error = await page.locator('[data-testid="terminal-steer-error"]');
    assert.ok(await error.isHidden(), `sending failed: ${await error.innerText().catch(() => '')}`);
    let output;
    await until(async () => {
      output = (await api('SessionService', 'GetOutput', {terminalId: id, mode: 'OUTPUT_MODE_FULL'})).text;
      return output.includes(text);
    }, 60_000, () => `"${text}" never reached the pane; its scrollback ends:\n${String(output).slice(-1500)}`);
    await waitInPage(`"${text}" on the live screen`,
      (t) => document.querySelector('[data-testid="terminal-screen"]')?.textContent.includes(t), text, 30_000);
  };

  await sendFromPage('hello from the browser', 'click');
  await until(async () => statusOf((await api('SessionService', 'GetTerminal', {terminalId: id})).terminal) === 'completed',
    60_000, () => `terminal ${id} did not complete its answer`);
  await sendFromPage('sent with the enter key', 'enter');

  // The other tabs render without an error.
  for (const tab of ['transcript', 'inbox', 'explain']) {
    await page.click(`[data-testid="tab-${tab}"]`);
    const panel = page.locator(`[data-testid="panel-${tab}"]`);
    await panel.waitFor({state: 'visible'});
    await waitInPage(`the ${tab} tab loaded`, (t) => {
      const p = document.querySelector(`[data-testid="panel-${t}"]`);
      return p && !/Loading…/.test(p.textContent);
    }, tab, 30_000);
    const errors = await panel.locator('.error-box:not([hidden])').allInnerTexts();
    assert.deepEqual(errors, [], `the ${tab} tab shows an error`);
  }
  assert.match(await page.locator('[data-testid="terminal-explain"]').innerText(), /Decided by rule/);
  await page.click('[data-testid="tab-screen"]');
  await shot('terminal.png');
  assert.equal(await page.evaluate(() => window.__marker), 1, 'the page was reloaded');
});

test('an agent waiting for a person stands out, and a key pressed on the page answers its dialog', {timeout: 180_000}, async () => {
  // the demo script of a profile without its own (architect) asks for a permission on "ask permission"
  const r = await api('SessionService', 'CreateSession', {profile: 'architect', provider: 'demo', workingDirectory: WORKDIR});
  created.sessions.push(r.session.id);
  const id = r.supervisor.id;
  await until(async () => statusOf((await api('SessionService', 'GetTerminal', {terminalId: id})).terminal) === 'idle',
    90_000, () => `terminal ${id} never became idle`);
  await go('#/');
  await api('SessionService', 'SendInput', {terminalId: id, text: 'ask permission to go on'});
  await waitInPage('the row marked as needing a person', (t) => {
    const row = document.querySelector(`[data-terminal-id="${t}"]`);
    return row?.querySelector('[data-status]')?.getAttribute('data-status') === 'waiting_user_answer'
      && row.closest('.needs-you, [class~="needs-you"]') !== null;
  }, id, 60_000);
  const count = page.locator('[data-testid="needs-you-count"]');
  assert.ok(await count.isVisible(), 'the header shows no "needs you" count');
  assert.match(await count.innerText(), /^1 needs you$/);
  await shot('needs-you.png');

  await page.click(`[data-terminal-id="${id}"] a.tid`);
  await page.click('[data-testid="key-1"]'); // "1": yes, in the demo's permission dialog
  await until(async () => statusOf((await api('SessionService', 'GetTerminal', {terminalId: id})).terminal) === 'completed',
    60_000, () => `terminal ${id} did not go on after the key`);
  const answer = (await api('SessionService', 'GetOutput', {terminalId: id, mode: 'OUTPUT_MODE_LAST_ANSWER'})).text;
  assert.match(answer, /Permission step done/);
  await waitInPage('the "needs you" count gone', () => document.querySelector('[data-testid="needs-you-count"]').hidden,
    null, 5_000);
});

test('the timeline of the team lists spawns, tasks and the handoff in order', {timeout: 120_000}, async () => {
  assert.ok(team, 'needs the team of the launch test');
  await go(`#/session/${encodeURIComponent(team.sessionId)}/timeline`);
  await waitInPage('a task and a handoff outcome in the timeline', () => {
    const kinds = [...document.querySelectorAll('[data-event-id]')].map((e) => e.dataset.kind);
    return kinds.includes('orchestration') && kinds.includes('handoff') && kinds.includes('lifecycle_changed');
  }, null, 90_000);
  const ids = await page.$$eval('[data-event-id]', (items) => items.map((e) => Number(e.dataset.eventId)));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'events are in order');
  const text = await page.locator('[data-testid="timeline"]').innerText();
  assert.match(text, /handed off to developer/, `the handoff is described: ${text}`);
  await shot('timeline.png');
});

test("a flow's run appears in its history with its answer", {timeout: 240_000}, async () => {
  const content = `---\nname: ${FLOW}\nschedule: "0 3 * * *"\nagent_profile: developer\nprovider: demo\n`
    + `working_directory: ${WORKDIR}\n---\nsay hello\n`;
  await api('FlowService', 'PutFlow', {name: FLOW, content, overwrite: true});
  created.flow = true;

  await page.click('nav a[data-nav="flows"]');
  const row = page.locator(`tr[data-flow-name="${FLOW}"]`);
  await row.waitFor({timeout: 60_000}).catch(async (e) => {
    throw new Error(`flow ${FLOW} is not listed${await pageText()}`, {cause: e});
  });

  // Disable, then enable again: the buttons follow the state.
  await page.click(`[data-testid="flow-disable-${FLOW}"]`);
  await page.locator(`[data-testid="flow-enable-${FLOW}"]`).waitFor();
  assert.equal(await row.getAttribute('data-enabled'), 'false');
  await page.click(`[data-testid="flow-enable-${FLOW}"]`);
  await page.locator(`[data-testid="flow-disable-${FLOW}"]`).waitFor();
  assert.equal(await row.getAttribute('data-enabled'), 'true');
  // the broken file DashboardIT dropped into the flow folder is listed with its problem
  await waitInPage('the broken flow file with its problem', () => [...document.querySelectorAll('[data-testid^="flow-error-"]')]
    .some((e) => /schedule/.test(e.textContent)), null, 30_000);
  await shot('flows.png');

  await page.click(`[data-testid="flow-run-${FLOW}"]`);
  await waitInPage('the run to start', () => /Started run/.test(document.querySelector('[data-testid="flows-notice"]')?.textContent)
    || !document.querySelector('[data-testid="flows-error"]')?.hidden, null, 60_000);
  const error = page.locator('[data-testid="flows-error"]');
  assert.ok(await error.isHidden(), `RunFlow failed: ${await error.innerText().catch(() => '')}`);

  await row.locator('a').first().click();
  try {
    await waitInPage('a succeeded run with "Result:" in its answer', () => [...document.querySelectorAll('tr[data-run-id]')]
      .some((r) => r.dataset.outcome === 'succeeded'
        && r.querySelector('[data-testid="run-answer"]')?.textContent.includes('Result:')), null, 120_000);
  } catch (e) {
    const runs = await call('FlowService', 'ListFlowRuns', {flowName: FLOW});
    e.message += `\n--- ListFlowRuns ---\n${JSON.stringify(runs.body, null, 1).slice(0, 3000)}`;
    throw e;
  }
  const runSession = await page.$eval('tr[data-run-id][data-outcome="succeeded"] td[data-label="Session"] code',
    (c) => c.textContent).catch(() => '');
  if (runSession) created.sessions.push(runSession);
  await page.locator('tr[data-run-id][data-outcome="succeeded"] details summary').first().click();
  await shot('flow-runs.png');
});

test('the sessions view fits a narrow window', {timeout: 60_000}, async () => {
  assert.ok(team, 'needs the team of the launch test');
  await go('#/');
  // the screenshot of the whole team: the supervisor, the developer it handed off to, the reviewer it assigned
  await waitInPage('the team\'s three terminals', (id) => document.querySelectorAll(
    `[data-session-id="${id}"] [data-terminal-id]`).length >= 3, team.sessionId, 60_000);
  await shot('sessions.png');
  await page.setViewportSize({width: 420, height: 800});
  await page.locator(`[data-session-id="${team.sessionId}"]`).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow} px wider than a 420 px window${await pageText()}`);
  await shot('sessions-narrow.png');
  await page.setViewportSize({width: 1280, height: 800});
});

test('the main views pass axe-core WCAG 2 A/AA checks, and the page works from the keyboard', {timeout: 120_000}, async () => {
  assert.ok(team && single, 'needs the team and the terminal of the earlier tests');
  // axe is injected as a script, which the pages' CSP rightly forbids: a context of its own that bypasses CSP
  const context = await browser.newContext({viewport: {width: 1280, height: 800}, bypassCSP: true});
  await context.addCookies([{name: 'caod_ui', value: cookie.split('=').slice(1).join('='), url: BASE}]);
  const a11y = await context.newPage();
  const problems = [];
  try {
    await a11y.goto(`${BASE}/ui/`);
    const views = [['#/', `[data-session-id="${team.sessionId}"]`],
      [`#/terminal/${single.terminalId}`, '[data-testid="terminal-screen"]'],
      [`#/session/${team.sessionId}/timeline`, '[data-event-id]'],
      ['#/flows', `[data-flow-name="${FLOW}"]`],
      [`#/flows/${FLOW}`, '[data-run-id]'],
      ['#/launch', '#launch-profile']];
    for (const [hash, ready] of views) {
      await a11y.evaluate((h) => {
        location.hash = h;
      }, hash);
      await a11y.locator(ready).first().waitFor({timeout: 30_000});
      if (!(await a11y.evaluate(() => typeof window.axe === 'object'))) {
        await a11y.addScriptTag({path: require.resolve('axe-core/axe.min.js')});
      }
      const violations = await a11y.evaluate(async () => (await window.axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
      })).violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3)
        .map((n) => n.target.join(' ')).join('; ')}`));
      problems.push(...violations.map((v) => `${hash}: ${v}`));
    }
    assert.deepEqual(problems, [], 'accessibility problems');

    // keyboard only: a view puts focus on its heading; Shift+Tab goes back to the header's Flows link, Enter follows it
    await a11y.goto(`${BASE}/ui/#/`);
    await a11y.locator(`[data-session-id="${team.sessionId}"]`).waitFor();
    let reached = false;
    const visited = [];
    for (let i = 0; i < 15 && !reached; i++) {
      await a11y.keyboard.press('Shift+Tab');
      const focused = await a11y.evaluate(() => {
        const e = document.activeElement;
        return {nav: e?.getAttribute('data-nav'), what: `${e?.tagName} ${(e?.textContent || '').trim().slice(0, 30)}`};
      });
      visited.push(focused.what);
      reached = focused.nav === 'flows';
    }
    assert.ok(reached, `Shift+Tab never reached the Flows link in the header; it went to: ${visited.join(' | ')}`);
    const outline = await a11y.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused link shows no focus outline');
    await a11y.keyboard.press('Enter');
    await a11y.waitForFunction(() => location.hash === '#/flows', null, {timeout: 5000});
    await a11y.locator(`[data-flow-name="${FLOW}"]`).waitFor();
  } finally {
    await context.close();
  }
});

test('the page raised no script error and broke no CSP rule', () => {
  assert.deepEqual(pageErrors, []);
});
