'use strict';
// Every Apps Script call of the built file is checked against appsscript.json with the scope lists
// of the Apps Script reference (test/fakes/scopes.js): statically over the source, and at run time
// by the fakes over a session that goes through every path.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, readManifest } = require('./harness');
const { configuredHarness, answers, MINUTE, HOUR } = require('./helpers');
const { SCOPES, AUTH } = require('./fakes/scopes');
const { makeClock, makeRuntime } = require('./fakes/runtime');
const build = require('../build');
const samples = require('./samples');

const SERVICES = ['FormApp', 'UrlFetchApp', 'MailApp', 'ScriptApp', 'PropertiesService', 'LockService', 'Utilities',
  'Session', 'DriveApp', 'GmailApp', 'SpreadsheetApp', 'DocumentApp', 'CacheService', 'CalendarApp'];

/** A session through every path: install, sends, outage, refusals, digests and every Run-menu function. */
function fullSession(options = {}) {
  const h = configuredHarness({ respond: answers(201, 503, { status: 422, body: '{"error":"Code postal invalide"}' }, 201), ...options });
  const run = (fn) => {
    try {
      return fn();
    } catch (err) {
      return err;
    }
  };
  run(() => h.call('checkConfig'));
  run(() => h.call('install'));
  // As an install older than the ALERT_EMAIL requirement: the digests go to the installing account.
  h.properties.delete('ALERT_EMAIL');
  h.submit(samples.FULL_RESPONSE);
  h.submit({ ...samples.FULL_RESPONSE, id: 'r-2' });
  h.submit({ ...samples.FULL_RESPONSE, id: 'r-3' });
  h.clock.advance(HOUR);
  run(() => h.fireClock());
  run(() => h.call('showQueue'));
  run(() => h.call('resendDead'));
  run(() => h.call('resendAll', '2026-11-01'));
  h.clock.advance(5 * MINUTE);
  run(() => h.fireClock());
  run(() => h.call('sendTest'));
  run(() => h.call('exportFormDescription'));
  run(() => h.call('setConfig', samples.URL, samples.SECRET, 'alertes@example.fr'));
  run(() => h.call('uninstall'));
  return h;
}

test('statically: every service method the built file calls is in the reference table and allowed by the manifest', () => {
  const text = build.ensureBuilt().text.replace(/^\s*(\/\/|\*).*$/gm, '');  // code, not comments
  const manifest = new Set(readManifest().oauthScopes);
  const used = new Set([...text.matchAll(new RegExp(`\\b(${SERVICES.join('|')})\\.(\\w+)\\(`, 'g'))].map((m) => `${m[1]}.${m[2]}`));
  assert.ok(used.size >= 12, [...used].join(', '));
  for (const method of used) {
    assert.ok(SCOPES[method], `${method} is not in test/fakes/scopes.js`);
    assert.ok(SCOPES[method].length === 0 || SCOPES[method].some((s) => manifest.has(s)), `${method} needs ${SCOPES[method]}`);
  }
  assert.ok(![...used].some((m) => m.startsWith('DriveApp.')), 'no Drive any more');
});

test('at run time: a session through every path calls only methods the manifest allows', () => {
  const h = fullSession();
  assert.deepEqual(h.runtime.denied, []);
  assert.ok(h.runtime.calls.get('UrlFetchApp.fetch') >= 4);
  assert.ok(h.runtime.calls.get('MailApp.sendEmail') >= 1, 'the digest was sent');
  assert.ok(h.runtime.calls.get('ScriptApp.requireAllScopes') >= 2);
});

test('every scope of the manifest is needed: without it, part of the session fails with the reference message', () => {
  for (const scope of readManifest().oauthScopes) {
    const manifest = readManifest();
    manifest.oauthScopes = manifest.oauthScopes.filter((s) => s !== scope);
    const h = fullSession({ manifest });
    assert.ok(h.runtime.denied.length > 0, `${scope} seems unneeded`);
    for (const method of h.runtime.denied) assert.ok(SCOPES[method].includes(scope), `${method} failed without ${scope}`);
  }
});

test('DriveApp.createFile, getFileById and setTrashed are refused under drive.file, as the reference lists only drive', () => {
  const runtime = makeRuntime({ clock: makeClock(0), manifest: { oauthScopes: [`${AUTH}drive.file`] } });
  for (const method of ['DriveApp.createFile', 'DriveApp.getFileById', 'File.setTrashed']) {
    assert.throws(() => runtime.check(method), new RegExp(`^Exception: You do not have permission to call ${method.replace('.', '\\.')}\\. Required permissions: `));
  }
  assert.throws(() => runtime.check('DriveApp.searchFiles'), /not in test\/fakes\/scopes\.js/, 'an unlisted method is never waved through');
});

test('install() and checkConfig() ask for every scope first: one left unticked stops them before any trigger exists', () => {
  const granted = readManifest().oauthScopes.filter((s) => !s.endsWith('script.send_mail'));
  const h = createHarness({ now: samples.FIXED_NOW_MS, form: samples.INTERVENTION_FORM, granted });
  h.setScriptProperty('WEBHOOK_URL', samples.URL);
  h.setScriptProperty('WEBHOOK_SECRET', samples.SECRET);
  h.setScriptProperty('ALERT_EMAIL', 'accueil@agence-exemple.fr');
  assert.throws(() => h.call('install'), /^Exception: Authorization is required to perform that action\. Missing: .*script\.send_mail/);
  assert.equal(h.triggers.length, 0);
  assert.throws(() => h.call('checkConfig'), /Authorization is required/);
  h.runtime.granted.add(`${AUTH}script.send_mail`);
  assert.equal(h.call('install'), 'installed');
});
