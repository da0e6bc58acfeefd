'use strict';
// The fakes fail the way Apps Script fails (docs/google-cloud.md §5): a test of the
// script is only as good as the stand-ins it runs against.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness } = require('./harness');
const { configuredHarness, MINUTE, HOUR } = require('./helpers');
const samples = require('./samples');

const scriptProperties = (h) => h.context.PropertiesService.getScriptProperties();

test('Properties: a value over 9 KB is refused', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS });
  assert.throws(() => scriptProperties(h).setProperty('gros', 'é'.repeat(4700)), /^Exception: Argument too large: value$/);
});

test('Properties: 500 KB in all, for setProperties as for setProperty, and a refused write changes nothing', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS });
  const props = scriptProperties(h);
  const values = {};
  for (let i = 0; i < 62; i++) values[`k${i}`] = 'x'.repeat(8 * 1024);  // 496 KB of the 500
  props.setProperties(values);
  const before = new Map(h.properties);
  assert.throws(() => props.setProperties({ a: 'y'.repeat(8 * 1024), b: 'y'.repeat(8 * 1024), k0: 'court' }),
    /exceeded the property storage quota/);
  assert.deepEqual(h.properties, before, 'all or nothing');
  assert.throws(() => props.setProperty('c', 'y'.repeat(8 * 1024)), /exceeded the property storage quota/);
  props.deleteProperty('k1');
  props.setProperty('c', 'y'.repeat(8 * 1024));
});

test('Properties: 50,000 calls a day, reads and writes together, counted per call; the day restarts 24 h later', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS });
  const props = scriptProperties(h);
  for (let i = 0; i < 25000; i++) props.getProperties();
  for (let i = 0; i < 25000; i++) props.setProperty('k', String(i));
  assert.throws(() => props.getProperty('k'), /^Exception: Service invoked too many times for one day: properties\.$/);
  assert.equal(h.quotas.properties.peak('reads'), 25000);
  h.clock.advance(24 * HOUR);
  assert.equal(props.getProperty('k'), '24999');
});

test('Utilities: only the documented overloads, with Apps Script\'s message for any other', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS });
  const U = h.context.Utilities;
  const bytes = U.newBlob('clé').getBytes();
  assert.equal(U.computeHmacSha256Signature(bytes, bytes).length, 32);
  assert.throws(() => U.computeHmacSha256Signature(bytes, 'clé'),
    /^Exception: The parameters \(number\[\],String\) don't match the method signature for Utilities\.computeHmacSha256Signature\.$/);
  assert.throws(() => U.base64Encode(bytes, U.Charset.UTF_8), /don't match the method signature for Utilities\.base64Encode/);
  assert.throws(() => U.computeDigest('SHA_256', 'x'), /don't match/, 'an enum value, not its name');
  assert.throws(() => U.computeHmacSha256Signature('Zoé', 'clé'), /non-ASCII/);
  assert.ok(bytes.some((b) => b < 0), 'Byte[] values are signed');
});

test('MailApp: 100 recipients a day, cc and bcc included, then "Service invoked too many times"', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS });
  const mail = h.context.MailApp;
  for (let i = 0; i < 49; i++) mail.sendEmail({ to: 'a@example.fr', cc: 'b@example.fr', subject: 's', body: 'b' });
  assert.equal(mail.getRemainingDailyQuota(), 2);
  mail.sendEmail('c@example.fr, d@example.fr', 's', 'b');
  assert.throws(() => mail.sendEmail('e@example.fr', 's', 'b'), /^Exception: Service invoked too many times for one day: email\.$/);
});

test('UrlFetchApp: 20,000 calls a day', () => {
  const h = configuredHarness();
  h.quotas.urlfetch.window(h.clock.now()).used = 19999;
  h.context.UrlFetchApp.fetch(samples.URL, { method: 'post', payload: '{}' });
  assert.throws(() => h.context.UrlFetchApp.fetch(samples.URL, { method: 'post', payload: '{}' }),
    /Service invoked too many times for one day: urlfetch\./);
});

test('an execution past 6 minutes is stopped at its next service call', () => {
  const h = configuredHarness({ respond: () => ({ status: 201, body: '', latencyMs: 7 * MINUTE }) });
  h.submit(samples.FULL_RESPONSE);
  assert.ok(h.logs.some((l) => /Exceeded maximum execution time/.test(l.line)), 'onFormSubmit logs it');
});

test('trigger runtime: past 90 minutes in 24 h, triggers stop running until the day restarts', () => {
  const h = configuredHarness({ respond: () => ({ status: 201, body: '', latencyMs: 30 * 1000 }) });
  let ran = 0;
  for (let i = 0; i < 200; i++) {
    if (!h.submit({ ...samples.FULL_RESPONSE, id: `r-${i}` }).skipped) ran++;
  }
  assert.equal(ran, 178, '178 × 30.5 s = 90.5 min; the 179th does not run');
  assert.equal(h.quotas.triggerRuntimeMs.refused, 22);
  h.clock.advance(24 * HOUR);
  assert.equal(h.submit({ ...samples.FULL_RESPONSE, id: 'r-lendemain' }).outcome, 'done');
});

test('the lock: tryLock waits its timeout before giving up, on the fake clock', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS });
  h.lock.heldByOther = true;
  assert.equal(h.context.LockService.getScriptLock().tryLock(1000), false);
  assert.equal(h.clock.now(), samples.FIXED_NOW_MS + 1000);
});
