// The analyzer's page: starts a run, follows it over server-sent events, shows the history and comparisons.
// No framework and no build step: the server sends this file as it is.
'use strict';

const TEXTS = {
  en: {
    title: 'Outlook Anywhere connectivity test', language: 'Language', target: 'E-mail address',
    user: 'User name (DOMAIN\\user)', password: 'Password',
    passwordHint: 'Used for this run only: never stored, logged or sent back to this page. Leave empty for the checks that need no password.',
    vantage: 'This test runs from', vantageUnspecified: '(not said)', vantageInside: 'inside the network', vantageOutside: 'outside (the internet)',
    manual: 'Manually specify server settings (skip Autodiscover)', rpcProxy: 'RPC proxy server', server: 'Exchange server',
    principal: 'Mutual authentication principal name', proxyAuth: 'RPC proxy authentication method',
    noTls: 'Plain HTTP to the proxy (SSL offloading in front)',
    trustRule: 'A password is sent only to a server whose certificate passes validation. If the certificate fails, the steps that need credentials are skipped, unless you choose below to send them anyway.',
    insecure: 'Send credentials even if the certificate cannot be verified (labs only)', test: 'Test',
    download: 'Download the report:', history: 'Earlier runs', address: 'Address', from: 'From', to: 'To', search: 'Search',
    started: 'Started', result: 'Result', compare: 'Compare the two chosen runs', show: 'show',
    evidence: 'Evidence', cause: 'Cause', fix: 'Fix', references: 'References', running: 'running…',
    chooseTwo: 'Choose two runs to compare.', differences: 'difference(s)', step: 'Step', notRun: '(not run)',
    connectionLost: 'The connection to the server was lost.',
    lab: 'Lab scenarios', scenario: 'Scenario', runScenario: 'Break, analyze, judge',
    labHint: 'Each scenario starts a site of its own with one thing broken, analyzes it and says whether the analyzer found what the scenario expects (anywhere lab --scenario).',
    says: 'the analyzer says', nothing: 'nothing: every check passed', expected: 'expected', asExpected: 'as expected', notAsExpected: 'NOT AS EXPECTED'
  },
  de: {
    title: 'Outlook-Anywhere-Verbindungstest', language: 'Sprache', target: 'E-Mail-Adresse',
    user: 'Benutzername (DOMÄNE\\Benutzer)', password: 'Kennwort',
    passwordHint: 'Nur für diesen Test: nie gespeichert, protokolliert oder an diese Seite zurückgeschickt. Leer lassen für die Prüfungen ohne Kennwort.',
    vantage: 'Dieser Test läuft von', vantageUnspecified: '(nicht angegeben)', vantageInside: 'innerhalb des Netzes', vantageOutside: 'außerhalb (Internet)',
    manual: 'Servereinstellungen manuell angeben (ohne AutoErmittlung)', rpcProxy: 'RPC-Proxyserver', server: 'Exchange-Server',
    principal: 'Prinzipalname für gegenseitige Authentifizierung', proxyAuth: 'Authentifizierung am RPC-Proxy',
    noTls: 'Unverschlüsseltes HTTP zum Proxy (SSL-Abladung davor)',
    trustRule: 'Ein Kennwort geht nur an einen Server, dessen Zertifikat die Prüfung besteht. Besteht es sie nicht, werden die Schritte mit Anmeldedaten übersprungen – außer Sie wählen unten, sie trotzdem zu senden.',
    insecure: 'Anmeldedaten auch senden, wenn das Zertifikat nicht geprüft werden kann (nur Labore)', test: 'Testen',
    download: 'Bericht herunterladen:', history: 'Frühere Tests', address: 'Adresse', from: 'Von', to: 'Bis', search: 'Suchen',
    started: 'Begonnen', result: 'Ergebnis', compare: 'Die zwei gewählten Tests vergleichen', show: 'anzeigen',
    evidence: 'Belege', cause: 'Ursache', fix: 'Behebung', references: 'Verweise', running: 'läuft…',
    chooseTwo: 'Wählen Sie zwei Tests zum Vergleich.', differences: 'Unterschied(e)', step: 'Schritt', notRun: '(nicht gelaufen)',
    connectionLost: 'Die Verbindung zum Server ist abgerissen.',
    lab: 'Labor-Szenarien', scenario: 'Szenario', runScenario: 'Kaputt machen, analysieren, urteilen',
    labHint: 'Jedes Szenario startet einen eigenen Standort mit einem Fehler, analysiert ihn und sagt, ob der Analyzer fand, was das Szenario erwartet (anywhere lab --scenario).',
    says: 'der Analyzer sagt', nothing: 'nichts: alle Prüfungen bestanden', expected: 'erwartet', asExpected: 'wie erwartet', notAsExpected: 'NICHT WIE ERWARTET'
  }
};
const SYMBOLS = { passed: '✔', warning: '!', failed: '✘', skipped: '–', running: '…' };

let lang = 'en';
let csrf = '';
let source = null;
const nodes = new Map();

const $ = (id) => document.getElementById(id);
const t = (key) => TEXTS[lang][key] || key;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
}

async function session() {
  const r = await fetch('/api/session', { credentials: 'same-origin' });
  const body = await r.json();
  csrf = body.csrf;
  return body.lab;
}

// One node of the tree: the head (status, title, summary, time) opens the details (evidence, findings).
function nodeElement(key, title, status) {
  const li = el('li', 'node ' + status);
  if (key !== null) li.dataset.key = key;
  const head = el('div', 'head');
  head.append(el('span', 'status', SYMBOLS[status] || '?'), el('span', 'title', title), el('span', 'summary'), el('span', 'elapsed'));
  head.addEventListener('click', () => li.classList.toggle('open'));
  li.append(head, el('div', 'details'), el('ul', 'children'));
  return li;
}

function renderCheck(check, key) {
  const li = nodeElement(key, check.title, check.status);
  li.dataset.id = check.id;
  li.dataset.status = check.status;
  li.querySelector('.summary').textContent = check.summary;
  li.querySelector('.elapsed').textContent = check.elapsedMs + ' ms';
  const details = li.querySelector('.details');
  for (const f of check.findings) {
    const d = el('div', 'finding severity-' + f.severity);
    d.append(el('strong', null, f.title + ' (' + f.id + ')'), el('p', 'cause', t('cause') + ': ' + f.cause), el('p', 'fix', t('fix') + ': ' + f.fix));
    if (f.references.length) d.append(el('p', 'refs', t('references') + ': ' + f.references.join('; ')));
    details.append(d);
  }
  if (check.evidence.length) {
    details.append(el('h4', null, t('evidence')));
    for (const e of check.evidence) {
      details.append(el('div', 'label', e.label), el('pre', null, e.text));
    }
  }
  if (!check.findings.length && !check.evidence.length) details.append(el('p', null, check.summary));
  const children = li.querySelector('.children');
  for (const c of check.children) children.append(renderCheck(c, null));
  return li;
}

function place(li, parent, depth) {
  if (parent === null) {
    if (depth === 0) { $('tree').replaceChildren(li); }
    return depth === 0;
  }
  const p = nodes.get(parent);
  if (!p) return false;
  p.querySelector(':scope > .children').append(li);
  return true;
}

function onStarted(e) {
  if (nodes.has(e.key)) return;
  const li = nodeElement(e.key, e.title, 'running');
  li.dataset.id = e.id;
  li.dataset.status = 'running';
  li.querySelector('.summary').textContent = t('running');
  if (place(li, e.parent, e.depth)) {
    nodes.set(e.key, li);
    markFirstNode();
  }
}

function onFinished(e) {
  const li = renderCheck(e.check, e.key);
  const old = nodes.get(e.key);
  if (old) { old.replaceWith(li); nodes.set(e.key, li); markFirstNode(); return; }
  if (place(li, e.parent, e.depth)) { nodes.set(e.key, li); markFirstNode(); }
}

let clicked = 0;
function markFirstNode() {
  const tree = $('tree');
  if (!tree.dataset.firstNodeMs) tree.dataset.firstNodeMs = Math.round(performance.now() - clicked);
}

function showBanner(status, text, warning) {
  const b = $('banner');
  b.textContent = text;
  b.className = 'banner ' + status;
  b.hidden = false;
  const w = $('insecure-warning');
  w.textContent = warning || '';
  w.hidden = !warning;
}

async function showReport(id) {
  const r = await fetch('/api/runs/' + encodeURIComponent(id) + '/report?format=json');
  const report = await r.json();
  nodes.clear();
  $('tree').replaceChildren(renderCheck(report.checks, null));
  showBanner(report.status, report.banner, report.insecureWarning);
  for (const f of ['json', 'html', 'junit']) {
    $('dl-' + f).href = '/api/runs/' + encodeURIComponent(id) + '/report?format=' + f + '&download=1';
  }
  $('downloads').hidden = false;
  $('tree').dataset.run = id;
}

function formValue(id) { return $(id).value.trim(); }

function resetRun() {
  if (source) source.close();
  nodes.clear();
  const tree = $('tree');
  tree.replaceChildren();
  delete tree.dataset.firstNodeMs;
  delete tree.dataset.fullMs;
  delete tree.dataset.run;
  $('banner').hidden = true;
  $('downloads').hidden = true;
  $('verdict').hidden = true;
  $('scenario-steps').replaceChildren();
  $('form-error').hidden = true;
  clicked = performance.now();
}

async function startScenario() {
  resetRun();
  const name = $('scenario').value;
  const r = await fetch('/api/scenarios/' + encodeURIComponent(name) + '/runs?lang=' + lang, {
    method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf }
  });
  const body = await r.json();
  if (!r.ok) { $('form-error').textContent = body.error; $('form-error').hidden = false; return; }
  follow(body.id);
}

function showVerdict(done) {
  if (!done.scenario) return;
  const v = $('verdict');
  v.textContent = done.scenario + ': ' + t('says') + ' ' + (done.primary || t('nothing')) + ' (' + t('expected') + ': '
    + (done.expected || t('nothing')) + '), ' + (done.asExpected ? t('asExpected') : t('notAsExpected'));
  v.className = done.asExpected ? 'verdict expected' : 'verdict unexpected';
  v.hidden = false;
}

async function labMode() {
  const r = await fetch('/api/scenarios');
  if (!r.ok) return;
  const select = $('scenario');
  for (const s of await r.json()) {
    const o = el('option', null, s.name + ' - ' + s.broken);
    o.value = s.name;
    select.append(o);
  }
  $('run-scenario').addEventListener('click', startScenario);
  $('lab-section').hidden = false;
}

async function startRun(ev) {
  ev.preventDefault();
  const error = $('form-error');
  error.hidden = true;
  const form = {
    target: formValue('target'), user: formValue('user'), password: $('password').value, vantage: $('vantage').value,
    language: lang, insecure: $('insecure').checked
  };
  if ($('manual').checked) {
    Object.assign(form, { rpcProxy: formValue('rpcProxy'), server: formValue('server'), principal: formValue('principal'),
      proxyAuth: $('proxyAuth').value, noTls: $('noTls').checked });
  }
  resetRun();
  const r = await fetch('/api/runs?lang=' + lang, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(form)
  });
  // The password field is cleared as soon as the server has it: the page keeps no copy.
  $('password').value = '';
  const body = await r.json();
  if (!r.ok) { error.textContent = body.error; error.hidden = false; return; }
  follow(body.id);
}

function follow(id) {
  source = new EventSource('/api/runs/' + encodeURIComponent(id) + '/events');
  source.addEventListener('started', (m) => onStarted(JSON.parse(m.data)));
  source.addEventListener('finished', (m) => onFinished(JSON.parse(m.data)));
  source.addEventListener('step', (m) => $('scenario-steps').append(el('li', null, JSON.parse(m.data).text)));
  source.addEventListener('done', async (m) => {
    source.close();
    const done = JSON.parse(m.data);
    await showReport(done.run);
    showVerdict(done);
    $('tree').dataset.fullMs = Math.round(performance.now() - clicked);
    searchHistory();
  });
  source.addEventListener('failed', (m) => {
    source.close();
    const error = $('form-error');
    error.textContent = JSON.parse(m.data).error;
    error.hidden = false;
  });
}

async function searchHistory(ev) {
  if (ev) ev.preventDefault();
  const q = new URLSearchParams({ address: formValue('history-address'), from: $('history-from').value, to: $('history-to').value, lang });
  const r = await fetch('/api/runs?' + q);
  const body = await r.json();
  const rows = $('history').querySelector('tbody');
  rows.replaceChildren();
  if (!r.ok) { rows.append(el('tr', 'error', body.error)); return; }
  for (const run of body) {
    const tr = el('tr');
    tr.dataset.run = run.id;
    const pick = el('input', 'pick');
    pick.type = 'checkbox';
    pick.value = run.id;
    const show = el('a', 'show', t('show'));
    show.href = '#';
    show.addEventListener('click', (e) => { e.preventDefault(); showReport(run.id); });
    const cells = [pick, new Date(run.started).toLocaleString(lang), run.target, run.vantage, run.banner, show];
    for (const c of cells) { const td = el('td'); td.append(c); tr.append(td); }
    rows.append(tr);
  }
}

async function compare() {
  const picked = [...document.querySelectorAll('#history input.pick:checked')].map((c) => c.value);
  const out = $('diff');
  out.hidden = false;
  if (picked.length !== 2) { out.replaceChildren(el('p', 'error', t('chooseTwo'))); return; }
  const r = await fetch('/api/diff?' + new URLSearchParams({ a: picked[0], b: picked[1], lang }));
  const body = await r.json();
  if (!r.ok) { out.replaceChildren(el('p', 'error', body.error)); return; }
  const table = el('table');
  const head = el('tr');
  head.append(el('th', null, t('step')), el('th', null, 'A: ' + body.a.target + ' (' + body.a.vantage + ', ' + body.a.started + ')'),
    el('th', null, 'B: ' + body.b.target + ' (' + body.b.vantage + ', ' + body.b.started + ')'));
  table.append(head);
  for (const d of body.differences) {
    const tr = el('tr', 'difference');
    tr.append(el('td', null, d.id), el('td', null, d.a), el('td', null, d.b));
    table.append(tr);
  }
  out.replaceChildren(el('p', 'count', body.differences.length + ' ' + t('differences')), table);
}

document.addEventListener('DOMContentLoaded', async () => {
  lang = (navigator.language || 'en').toLowerCase().startsWith('de') ? 'de' : 'en';
  $('lang').value = lang;
  applyLanguage();
  $('lang').addEventListener('change', () => { lang = $('lang').value; applyLanguage(); searchHistory(); });
  $('manual').addEventListener('change', () => { $('manual-settings').hidden = !$('manual').checked; });
  $('run-form').addEventListener('submit', startRun);
  $('history-form').addEventListener('submit', searchHistory);
  $('compare').addEventListener('click', compare);
  const lab = await session();
  if (lab) await labMode();
  await searchHistory();
  document.body.dataset.ready = 'true';
});
