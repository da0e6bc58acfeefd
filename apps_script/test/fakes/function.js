'use strict';
// The forms-to-ogust Cloud Function as the sender sees it (README "The function answers"): it checks
// the Standard Webhooks signature with node:crypto (no code shared with the script), deduplicates
// on webhook-id (201 the first time, 200 after), and can be down: 503 with Retry-After, as
// shared/receiver.py answers. It records every delivery to count what arrived, and how often.

const crypto = require('node:crypto');

function makeFunction({ secret, clock, downUntil = 0, latencyMs, retryAfterSeconds = 60 }) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const fn = {
    downUntil,
    latencyMs,
    applied: new Map(),  // webhook-id -> body, the versions written to Ogust
    deliveries: new Map(),  // responseId -> [{webhookId, submittedAt, status}] answered 2xx
    answered: { 503: 0, 401: 0, 201: 0, 200: 0 },
    respond(request) {
      const { headers, payload } = request;
      const expected = crypto.createHmac('sha256', key)
        .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${payload}`).digest('base64');
      const answer = (status, body, extra = {}) => {
        fn.answered[status] = (fn.answered[status] || 0) + 1;
        return { status, body: JSON.stringify(body), latencyMs: fn.latencyMs, ...extra };
      };
      if (headers['webhook-signature'] !== `v1,${expected}`) return answer(401, { status: 'unauthorized', error: 'signature mismatch' });
      if (clock.now() < fn.downUntil) {
        return answer(503, { status: 'unavailable', error: 'Ogust is unreachable' },
          { headers: { 'Retry-After': String(retryAfterSeconds) } });
      }
      const body = JSON.parse(payload);
      const duplicate = fn.applied.has(headers['webhook-id']);
      fn.applied.set(headers['webhook-id'], body);
      const list = fn.deliveries.get(body.responseId) || [];
      list.push({ webhookId: headers['webhook-id'], submittedAt: body.submittedAt, duplicate });
      fn.deliveries.set(body.responseId, list);
      return duplicate ? answer(200, { status: 'unchanged' }) : answer(201, { status: 'created', customerId: 344563872 });
    },
  };
  return fn;
}

module.exports = { makeFunction };
