'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { configuredHarness, answers, MINUTE, HOUR } = require('./helpers');
const samples = require('./samples');

const REJECTION = {
  status: 422,
  body: JSON.stringify({ status: 'rejected', error: 'Le code postal est invalide', field: 'CodePostal', question: 'Code postal' }),
};

test('503 then 200: retryQueue sends once more after the backoff and empties the queue', () => {
  const h = configuredHarness({ respond: answers(503, 200) });
  h.submit(samples.FULL_RESPONSE);
  assert.equal(h.queue().length, 1);
  const [item] = h.queue();
  assert.equal(item.key, `q_${h.requests[0].headers['webhook-id']}`);
  assert.equal(item.attempts, 1);
  assert.equal(item.status, 'pending');
  assert.equal(item.lastStatus, 503);
  assert.equal(item.nextAt, samples.FIXED_NOW_MS + 5 * MINUTE);

  h.clock.advance(4 * MINUTE);
  h.call('retryQueue');
  assert.equal(h.requests.length, 1, 'not due yet');

  h.clock.advance(1 * MINUTE);
  h.call('retryQueue');
  assert.equal(h.requests.length, 2);
  assert.deepEqual(h.queue(), []);
  h.clock.advance(HOUR);
  h.call('retryQueue');
  assert.equal(h.requests.length, 2, 'nothing left to send');
  assert.equal(h.mails.length, 0);
});

test('a network error (fetch throws) keeps the submission in the queue', () => {
  const h = configuredHarness({ respond: answers(new Error('Address unavailable: https://…')) });
  const result = h.submit(samples.FULL_RESPONSE);
  assert.equal(result.outcome, 'retry');
  const [item] = h.queue();
  assert.match(item.lastError, /^Network error: Address unavailable/);
  assert.equal(item.body, h.requests[0].payload);
});

test('429 and 408 are queued, and Retry-After pushes the next attempt back', () => {
  const h = configuredHarness({ respond: answers({ status: 429, body: 'Too Many Requests', headers: { 'Retry-After': '3600' } }) });
  h.submit(samples.FULL_RESPONSE);
  const [item] = h.queue();
  assert.equal(item.lastStatus, 429);
  assert.equal(item.nextAt, samples.FIXED_NOW_MS + HOUR);

  const h408 = configuredHarness({ respond: answers(408) });
  h408.submit(samples.FULL_RESPONSE);
  assert.equal(h408.queue().length, 1);
});

test('422 is not retried, not queued, and the owner is mailed the function message', () => {
  const h = configuredHarness({ respond: answers(REJECTION) });
  h.call('install');
  const result = h.submit(samples.FULL_RESPONSE);
  assert.equal(result.outcome, 'rejected');
  assert.deepEqual(h.queue(), []);
  assert.equal(h.mails.length, 1);
  const [mail] = h.mails;
  assert.equal(mail.to, h.ownerEmail);
  assert.match(mail.subject, /rejected \(HTTP 422\)/);
  assert.ok(mail.body.includes('Le code postal est invalide (field: CodePostal) (question: "Code postal")'));
  assert.ok(mail.body.includes(samples.FULL_RESPONSE.id));
  assert.ok(!mail.body.includes(samples.SECRET));
  assert.ok(h.logs.some((l) => l.level === 'error' && l.line.includes('HTTP 422')));
  h.clock.advance(HOUR);
  h.call('retryQueue');
  assert.equal(h.requests.length, 1);
});

test('401 is not retried and the mail says to check the secret; ALERT_EMAIL wins over the owner', () => {
  const h = configuredHarness({ respond: answers({ status: 401, body: '{"status":"unauthorized","error":"signature mismatch"}' }) });
  h.call('setConfig', samples.URL, samples.SECRET, 'alertes@example.fr');
  h.submit(samples.FULL_RESPONSE);
  assert.deepEqual(h.queue(), []);
  assert.equal(h.mails[0].to, 'alertes@example.fr');
  assert.match(h.mails[0].body, /signature mismatch/);
  assert.match(h.mails[0].body, /WEBHOOK_SECRET/);
});

test('a 4xx after an earlier 5xx removes the item and mails once', () => {
  const h = configuredHarness({ respond: answers(500, REJECTION) });
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(5 * MINUTE);
  h.call('retryQueue');
  assert.deepEqual(h.queue(), []);
  assert.equal(h.mails.length, 1);
});

test('after 72 h of failures the owner is mailed once, the item stays dead, and resendDead() sends it', () => {
  const h = configuredHarness({ respond: answers(503) });
  h.call('install');
  h.submit(samples.FULL_RESPONSE);
  // The time-driven trigger fires every 5 minutes for 3 days and a bit.
  for (let elapsed = 0; elapsed <= 73 * HOUR; elapsed += 5 * MINUTE) {
    h.clock.advance(5 * MINUTE);
    h.call('retryQueue');
  }
  const [item] = h.queue();
  assert.equal(item.status, 'dead');
  assert.ok(item.attempts >= 10 && item.attempts <= 20, `about 15 attempts, got ${item.attempts}`);
  assert.equal(h.mails.length, 1);
  assert.match(h.mails[0].subject, /not delivered after 72 h/);
  assert.match(h.mails[0].body, /resendDead\(\)/);
  const attempts = h.requests.length;
  h.clock.advance(HOUR);
  h.call('retryQueue');
  assert.equal(h.requests.length, attempts, 'a dead item is not retried automatically');

  h.call('resendDead');
  assert.equal(h.requests.length, attempts + 1, 'resendDead retries it even though it still fails');
  assert.equal(h.queue()[0].status, 'dead');
  assert.equal(h.mails.length, 1, 'no second mail');

  h.server.respond = answers(201);
  const summary = h.call('resendDead');
  assert.equal(summary.done, 1);
  assert.deepEqual(h.queue(), []);
  const last = h.requests.at(-1);
  assert.equal(last.headers['webhook-id'], h.requests[0].headers['webhook-id']);
  assert.equal(last.payload, h.requests[0].payload);
});

test('the backoff doubles from 5 minutes and is capped at 6 hours', () => {
  const h = configuredHarness();
  const backoff = (n) => h.context.backoffMs_(n) / MINUTE;
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20].map(backoff), [5, 10, 20, 40, 80, 160, 320, 360, 360]);
});

test('a payload over the 9 KB Properties limit goes to Drive and back, then the file is trashed', () => {
  const long = 'Très long commentaire, avec des accents é à ù. '.repeat(300);
  const h = configuredHarness({ respond: answers(503, 200) });
  h.submit({ ...samples.FULL_RESPONSE, answers: { ...samples.FULL_RESPONSE.answers, 104: long } });
  const [item] = h.queue();
  assert.ok(item.bodyFileId, 'the body is in a Drive file');
  assert.equal(item.body, undefined, 'not in the property');
  assert.ok(h.properties.get(item.key).length < 9 * 1024);
  const file = h.driveFiles.get(item.bodyFileId);
  assert.equal(file.content, h.requests[0].payload);

  h.clock.advance(5 * MINUTE);
  h.call('retryQueue');
  assert.equal(h.requests[1].payload, h.requests[0].payload);
  assert.equal(JSON.parse(h.requests[1].payload).answers[3].value, long);
  assert.deepEqual(h.queue(), []);
  assert.equal(file.trashed, true);
});

test('the fake Properties store refuses a value over 9 KB, as Apps Script does', () => {
  const h = configuredHarness();
  const props = h.context.PropertiesService.getScriptProperties();
  assert.throws(() => props.setProperty('big', 'x'.repeat(9 * 1024 + 1)), /Argument too large/);
});

test('when the lock is held by another run, retryQueue does nothing and sends nothing', () => {
  const h = configuredHarness({ respond: answers(503, 200) });
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(HOUR);
  h.lock.heldByOther = true;
  const result = h.call('retryQueue');
  assert.equal(result.skipped, 'locked');
  assert.equal(h.requests.length, 1);
  assert.equal(h.queue()[0].attempts, 1);
  h.lock.heldByOther = false;
  h.call('retryQueue');
  assert.equal(h.requests.length, 2);
  assert.equal(h.lock.held, false, 'the lock is released');
});

test('a submission arriving before setConfig is kept in the queue and the trigger fails loudly', () => {
  const { createHarness } = require('./harness');
  const h = createHarness({ now: samples.FIXED_NOW_MS, form: samples.INTERVENTION_FORM });
  assert.throws(() => h.submit(samples.FULL_RESPONSE), /not configured/);
  assert.equal(h.requests.length, 0);
  assert.equal(h.queue().length, 1);
  h.call('setConfig', samples.URL, samples.SECRET);
  h.clock.advance(5 * MINUTE);
  h.call('retryQueue');
  assert.equal(h.requests.length, 1);
  assert.deepEqual(h.queue(), []);
});

test('retryQueue stops starting sends before the 6-minute execution limit', () => {
  const h = configuredHarness({ respond: answers(503) });
  for (let i = 0; i < 5; i++) h.submit({ ...samples.FULL_RESPONSE, id: `r${i}` });
  h.clock.advance(HOUR);
  h.server.respond = () => {
    h.clock.advance(90 * 1000);  // each call takes 90 s
    return { status: 200, body: '' };
  };
  const sent = h.call('retryQueue').sent;
  assert.equal(sent, 3);
  assert.equal(h.queue().length, 2);
});
