'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness } = require('./harness');
const { configuredHarness, answers, MINUTE } = require('./helpers');
const samples = require('./samples');

function triggerKinds(h) {
  return h.triggers.map((t) => `${t.handler}:${t.eventType}`).sort();
}

test('install() twice leaves exactly one form-submit trigger and one 5-minute retry trigger', () => {
  const h = configuredHarness();
  h.call('install');
  h.call('install');
  assert.deepEqual(triggerKinds(h), ['onFormSubmit:ON_FORM_SUBMIT', 'retryQueue:CLOCK']);
  const submit = h.triggers.find((t) => t.handler === 'onFormSubmit');
  assert.equal(submit.source.id, samples.INTERVENTION_FORM.id);
  const retry = h.triggers.find((t) => t.handler === 'retryQueue');
  assert.equal(retry.source.detail.everyMinutes, 5);
});

test('install() removes duplicate triggers left by earlier hand-made setups', () => {
  const h = configuredHarness();
  const ScriptApp = h.context.ScriptApp;
  const form = h.forms.active.api;
  ScriptApp.newTrigger('onFormSubmit').forForm(form).onFormSubmit().create();
  ScriptApp.newTrigger('onFormSubmit').forForm(form).onFormSubmit().create();
  ScriptApp.newTrigger('retryQueue').timeBased().everyMinutes(1).create();
  ScriptApp.newTrigger('retryQueue').timeBased().everyMinutes(10).create();
  h.call('install');
  assert.deepEqual(triggerKinds(h), ['onFormSubmit:ON_FORM_SUBMIT', 'retryQueue:CLOCK']);
});

test('install() refuses to run before setConfig()', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS, form: samples.INTERVENTION_FORM });
  assert.throws(() => h.call('install'), /not configured: set WEBHOOK_URL and WEBHOOK_SECRET in Project Settings/);
  assert.equal(h.triggers.length, 0);
});

test('uninstall() removes both triggers and keeps other triggers and the queue', () => {
  const h = configuredHarness({ respond: answers(503) });
  h.call('install');
  h.context.ScriptApp.newTrigger('showQueue').timeBased().everyHours(24).create();
  h.submit(samples.FULL_RESPONSE);
  assert.equal(h.call('uninstall'), 2);
  assert.deepEqual(triggerKinds(h), ['showQueue:CLOCK']);
  assert.equal(h.queue().length, 1);
});

test('setConfig() stores the URL and secret and never logs the secret', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS, form: samples.INTERVENTION_FORM });
  h.call('setConfig', samples.URL, samples.SECRET, 'alertes@example.fr');
  assert.equal(h.properties.get('WEBHOOK_URL'), samples.URL);
  assert.equal(h.properties.get('WEBHOOK_SECRET'), samples.SECRET);
  assert.equal(h.properties.get('ALERT_EMAIL'), 'alertes@example.fr');
  h.call('checkConfig');
  h.call('setConfig', samples.URL, samples.SECRET, '');
  assert.equal(h.properties.has('ALERT_EMAIL'), false);
  const secretBody = samples.SECRET.slice('whsec_'.length);
  assert.ok(!h.allLogText().includes(secretBody), 'secret absent from the logs');
});

const BAD_SECRETS = {
  'no prefix': 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  'not base64': 'whsec_pas-du-base64!!',
  'too short (8 bytes)': 'whsec_' + Buffer.alloc(8, 1).toString('base64'),
  'too long (65 bytes)': 'whsec_' + Buffer.alloc(65, 1).toString('base64'),
  'empty': '',
  'missing': undefined,
};
for (const [name, secret] of Object.entries(BAD_SECRETS)) {
  test(`setConfig() rejects a bad secret: ${name}, without echoing it`, () => {
    const h = createHarness({ now: samples.FIXED_NOW_MS });
    assert.throws(() => h.call('setConfig', samples.URL, secret), (err) => {
      assert.match(err.message, /WEBHOOK_SECRET/);
      if (secret) assert.ok(!err.message.includes(secret.slice(6) || secret));
      return true;
    });
    assert.equal(h.properties.size, 0);
  });
}

for (const url of ['http://europe-west1-x.cloudfunctions.net/f', 'http://localhost:8080/', 'ftp://x', 'https://', 'pas une url', '']) {
  test(`setConfig() rejects the URL "${url}"`, () => {
    const h = createHarness({ now: samples.FIXED_NOW_MS });
    assert.throws(() => h.call('setConfig', url, samples.SECRET), /must be the https:\/\/ URL/);
    assert.equal(h.properties.size, 0);
  });
}

test('setConfig() rejects a bad alert address', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS });
  assert.throws(() => h.call('setConfig', samples.URL, samples.SECRET, 'pas-une-adresse'), /ALERT_EMAIL/);
});

test('sendTest() sends the latest response through the normal path', () => {
  const h = configuredHarness();
  h.forms.active.addResponse(samples.FULL_RESPONSE);
  h.forms.active.addResponse({ ...samples.FULL_RESPONSE, id: 'older', timestamp: new Date('2026-11-01T08:00:00Z') });
  const message = h.call('sendTest');
  assert.equal(message, 'HTTP 201: created');
  assert.equal(h.requests.length, 1);
  assert.equal(JSON.parse(h.requests[0].payload).responseId, samples.FULL_RESPONSE.id);
});

test('sendTest() on a form without responses says to submit it by hand first', () => {
  const h = configuredHarness();
  assert.throws(() => h.call('sendTest'), /fill it in once by hand/);
});

test('resendAll(since) queues every response after the date; retryQueue sends them with their first ids', () => {
  const h = configuredHarness({ respond: answers(201) });
  h.call('install');
  const form = h.forms.active;
  const day = (d, i) => ({ ...samples.FULL_RESPONSE, id: `r-${i}`, timestamp: new Date(`2026-11-${d}T10:00:00Z`) });
  form.addResponse(day('20', 0));
  const sent = [day('25', 1), day('26', 2), day('27', 3), day('28', 4)].map((r) => form.addResponse(r));
  const summary = h.call('resendAll', '2026-11-21');
  assert.deepEqual({ ...summary }, { queued: 4, alreadyQueued: 0, notQueued: 0 });
  assert.equal(h.requests.length, 0, 'nothing sent by resendAll itself');
  h.clock.advance(5 * 60 * 1000);
  h.fireClock();
  assert.deepEqual(h.requests.map((r) => JSON.parse(r.payload).responseId), ['r-1', 'r-2', 'r-3', 'r-4']);
  assert.deepEqual(h.queue(), []);
  // Same webhook-id as onFormSubmit would have used: the function deduplicates on it.
  const viaTrigger = configuredHarness();
  viaTrigger.context.onFormSubmit({ response: sent[0], source: form.api });
  assert.equal(viaTrigger.requests[0].headers['webhook-id'], h.requests[0].headers['webhook-id']);
});

test('resendAll(since, until) queues only the span, and not an answer already waiting', () => {
  const h = configuredHarness({ respond: answers(503) });
  const day = (d, i) => ({ ...samples.FULL_RESPONSE, id: `r-${i}`, timestamp: new Date(`2026-11-${d}T10:00:00Z`) });
  h.submit(day('25', 1));
  [day('26', 2), day('27', 3)].forEach((r) => h.forms.active.addResponse(r));
  const summary = h.call('resendAll', '2026-11-21', '2026-11-26T23:00:00Z');
  assert.deepEqual({ ...summary }, { queued: 1, alreadyQueued: 1, notQueued: 0 });
  assert.deepEqual(h.queue().map((r) => r.responseId).sort(), ['r-1', 'r-2']);
});

test('resendAll() needs a readable date', () => {
  const h = configuredHarness();
  assert.throws(() => h.call('resendAll'), /needs dates/);
  assert.throws(() => h.call('resendAll', 'hier'), /needs dates/);
});

test('showQueue() lists waiting items without their answers', () => {
  const h = configuredHarness({ respond: answers(503) });
  h.submit(samples.FULL_RESPONSE);
  const lines = h.call('showQueue');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^pending 2_ABaOnudA-Zoe-Dupont-Lefevre submittedAt=2026-11-28T09:14:31.512Z attempts=1/);
  assert.ok(!lines[0].includes('06 12 34 56 78') && !lines[0].includes('Courses'));
});

test('the manifest: Europe/Paris, V8, and exactly the scopes the script needs (no Drive)', () => {
  const manifest = require('../appsscript.json');
  assert.equal(manifest.timeZone, 'Europe/Paris');
  assert.equal(manifest.runtimeVersion, 'V8');
  assert.deepEqual(manifest.oauthScopes.map((s) => s.replace('https://www.googleapis.com/auth/', '')).sort(),
    ['forms.currentonly', 'script.external_request', 'script.scriptapp', 'script.send_mail', 'userinfo.email']);
});

test('install() refuses without ALERT_EMAIL and says where to set it: the Run menu has no dialog to ask', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS, form: samples.INTERVENTION_FORM });
  h.setScriptProperty('WEBHOOK_URL', samples.URL);
  h.setScriptProperty('WEBHOOK_SECRET', samples.SECRET);
  assert.throws(() => h.call('install'), /ALERT_EMAIL is not set: add it in Project Settings > Script properties .*Nothing was installed/);
  assert.equal(h.triggers.length, 0);
  h.setScriptProperty('ALERT_EMAIL', 'accueil sans arobase');
  assert.throws(() => h.call('install'), /ALERT_EMAIL must be an e-mail address/);
  assert.equal(h.triggers.length, 0);
  h.setScriptProperty('ALERT_EMAIL', 'secrétariat@aide-à-domicile.fr');
  assert.equal(h.call('install'), 'installed');
});

test('an install made before ALERT_EMAIL was required still mails its digests, to the installing account', () => {
  const h = configuredHarness({ respond: answers({ status: 422, body: '{"error":"Code postal invalide"}' }) });
  h.call('install');
  h.properties.delete('ALERT_EMAIL');  // as an older version of the script left it
  h.call('checkConfig');
  assert.ok(h.logs.some((l) => l.level === 'warn' && /ALERT_EMAIL is not set/.test(l.line)));
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.equal(h.mails.length, 1);
  assert.equal(h.mails[0].to, h.ownerEmail);
});
