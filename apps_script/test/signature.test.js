'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness } = require('./harness');
const { configuredHarness, expectedSignature, answers, MINUTE } = require('./helpers');
const samples = require('./samples');

function loadStandardWebhooks() {
  try {
    return require('standardwebhooks');
  } catch (err) {
    return null;
  }
}

test('the signature matches an independent node:crypto HMAC over "<id>.<timestamp>.<body>"', () => {
  const h = configuredHarness();
  h.submit(samples.FULL_RESPONSE);
  const { headers, payload } = h.requests[0];
  assert.equal(headers['webhook-timestamp'], String(samples.FIXED_NOW_MS / 1000));
  assert.equal(headers['webhook-signature'],
    expectedSignature(samples.SECRET, headers['webhook-id'], headers['webhook-timestamp'], payload));
});

test('the key is the base64-decoded secret, not the "whsec_…" text', () => {
  const h = configuredHarness();
  h.submit(samples.FULL_RESPONSE);
  const { headers, payload } = h.requests[0];
  const crypto = require('node:crypto');
  const textKeyMac = crypto.createHmac('sha256', samples.SECRET)
    .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${payload}`).digest('base64');
  assert.notEqual(headers['webhook-signature'], `v1,${textKeyMac}`);
});

test('the npm standardwebhooks reference library verifies the request (real clock)', (t) => {
  const standardwebhooks = loadStandardWebhooks();
  if (!standardwebhooks) {
    // Loud on purpose: the pinned devDependency is missing, so `npm ci` was not run.
    t.skip('STANDARDWEBHOOKS NPM PACKAGE NOT INSTALLED: run `npm ci` in apps_script/ (reference check skipped)');
    return;
  }
  // The library checks the timestamp against Date.now(): sign with the real clock.
  const h = configuredHarness({ now: 'real' });
  h.submit(samples.FULL_RESPONSE);
  h.setForm(samples.WORKSHOP_FORM);
  h.submit(samples.WORKSHOP_RESPONSE);
  const webhook = new standardwebhooks.Webhook(samples.SECRET);
  for (const { headers, payload } of h.requests) {
    const parsed = webhook.verify(payload, headers);
    assert.equal(parsed.schemaVersion, 1);
  }
  const { headers, payload } = h.requests[0];
  assert.throws(() => webhook.verify(payload.replace('Zo', 'Zu'), headers), standardwebhooks.WebhookVerificationError);
  const otherSecret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  assert.throws(() => new standardwebhooks.Webhook(otherSecret).verify(payload, headers),
    standardwebhooks.WebhookVerificationError);
});

test('every retry gets a fresh timestamp and signature but the same webhook-id and body', () => {
  const h = configuredHarness({ respond: answers(503, 503, 200) });
  h.call('install');
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(5 * MINUTE);
  h.call('retryQueue');
  h.clock.advance(10 * MINUTE);
  h.call('retryQueue');
  assert.equal(h.requests.length, 3);
  const [a, b, c] = h.requests;
  assert.equal(new Set([a, b, c].map((r) => r.headers['webhook-id'])).size, 1);
  assert.equal(new Set([a, b, c].map((r) => r.payload)).size, 1);
  assert.equal(new Set([a, b, c].map((r) => r.headers['webhook-timestamp'])).size, 3);
  assert.equal(new Set([a, b, c].map((r) => r.headers['webhook-signature'])).size, 3);
  for (const r of [a, b, c]) {
    assert.equal(r.headers['webhook-signature'],
      expectedSignature(samples.SECRET, r.headers['webhook-id'], r.headers['webhook-timestamp'], r.payload));
  }
});

test('the fake Utilities returns signed bytes like Apps Script', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS });
  const bytes = h.context.Utilities.computeHmacSha256Signature(
    h.context.Utilities.newBlob('message').getBytes(), h.context.Utilities.newBlob('key').getBytes());
  assert.equal(bytes.length, 32);
  assert.ok(bytes.some((b) => b < 0), 'some bytes are negative');
  assert.ok(bytes.every((b) => b >= -128 && b <= 127));
  assert.throws(() => h.context.Utilities.computeHmacSha256Signature('Zoé', 'clé'), /non-ASCII/);
});
