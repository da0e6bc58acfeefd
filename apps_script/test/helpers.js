'use strict';
// Small helpers shared by the *.test.js files.

const crypto = require('node:crypto');
const { createHarness } = require('./harness');
const samples = require('./samples');

/** The agency office's address, the digests' ALERT_EMAIL in these tests. */
const AGENCY_EMAIL = 'accueil@aide-a-domicile-sainte-therese.fr';

/**
 * A harness on the intervention form, clock fixed, configured as the install steps say: the three
 * Script properties typed in Project Settings (no execution, no time spent).
 */
function configuredHarness(options = {}) {
  const h = createHarness({ now: samples.FIXED_NOW_MS, form: samples.INTERVENTION_FORM, ...options });
  h.setScriptProperty('WEBHOOK_URL', samples.URL);
  h.setScriptProperty('WEBHOOK_SECRET', samples.SECRET);
  h.setScriptProperty('ALERT_EMAIL', AGENCY_EMAIL);
  return h;
}

/** Independent Standard Webhooks v1 check with node:crypto (no code shared with the script). */
function expectedSignature(secret, id, timestamp, body) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const mac = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** A server that answers the given statuses in order (the last one repeats). */
function answers(...list) {
  let i = 0;
  return () => {
    const next = list[Math.min(i++, list.length - 1)];
    if (next instanceof Error) throw next;
    return typeof next === 'number' ? { status: next, body: '' } : next;
  };
}

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

module.exports = { configuredHarness, expectedSignature, answers, MINUTE, HOUR, AGENCY_EMAIL };
