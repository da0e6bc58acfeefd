'use strict';
// Three days of outage and 1,000 submissions, on the fake clock, with every Apps Script quota of a
// consumer account enforced by the fakes. The figures asserted here are quoted in docs/apps-script.md.
const test = require('node:test');
const assert = require('node:assert/strict');
const { configuredHarness, MINUTE, HOUR } = require('./helpers');
const { makeFunction } = require('./fakes/function');
const { crowdResponse } = require('./crowd');
const samples = require('./samples');

const DAY = 24 * HOUR;

/** n submissions spread evenly over `spanMs` from `startMs`; every `editEvery`-th one edits an earlier one. */
function submissionsOver(startMs, spanMs, n, editEvery) {
  const list = [];
  let fresh = 0;
  const versions = new Map();
  for (let k = 0; k < n; k++) {
    const at = startMs + Math.floor((k * spanMs) / n);
    let i;
    if (editEvery && k % editEvery === editEvery - 1) {
      i = Math.floor(fresh / 2);  // an answer from earlier in the outage, still queued
    } else {
      i = fresh++;
    }
    const edit = versions.has(i) ? versions.get(i) + 1 : 0;
    versions.set(i, edit);
    list.push({ at, response: crowdResponse(i, at, edit) });
  }
  return { list, distinct: fresh };
}

function diagnose(t, h) {
  t.diagnostic(JSON.stringify(figures(h)));
  for (const q of Object.values(h.quotas)) {
    t.diagnostic(`${q.name} ${JSON.stringify(q.windows.map((w) => [new Date(w.start).toISOString().slice(5, 16), w.used, w.byKind]))}`);
  }
}

function figures(h) {
  const q = h.quotas;
  return {
    propertiesReadsPeakDay: q.properties.peak('reads'),
    propertiesWritesPeakDay: q.properties.peak('writes'),
    propertiesCallsPeakDay: q.properties.peak(),
    urlFetchPeakDay: q.urlfetch.peak(),
    mailRecipientsPeakDay: q.email.peak(),
    triggerMinutesPeakDay: Math.round(q.triggerRuntimeMs.peak() / MINUTE),
    storePeakKB: Math.round(h.propertiesStats.peakBytes / 1024),
    mails: h.mails.length,
    fetches: h.requests.length,
  };
}

function assertWithinQuotas(h) {
  for (const quota of Object.values(h.quotas)) {
    assert.equal(quota.refused, 0, `${quota.name} quota exceeded`);
    assert.ok(quota.peak() <= quota.limit, `${quota.name}: ${quota.peak()} > ${quota.limit}`);
  }
  assert.ok(h.propertiesStats.peakBytes <= 500 * 1024);
}

test('a three-day outage with 1,000 submissions: every answer delivered exactly once, within every quota', (t) => {
  const h = configuredHarness();
  const fn = makeFunction({ secret: samples.SECRET, clock: h.clock, downUntil: samples.FIXED_NOW_MS + 3 * DAY });
  h.server.respond = fn.respond;
  h.call('install');
  const start = samples.FIXED_NOW_MS;
  const { list, distinct } = submissionsOver(start, 3 * DAY, 1000, 25);
  h.runUntil(start + 4 * DAY, list);

  assert.equal(h.stats.submitThrows, 0, 'onFormSubmit never throws');
  assert.equal(h.stats.triggerRuns.onFormSubmit, 1000);
  assert.equal(distinct, 960, '40 of the 1,000 submissions are edits of a queued answer');
  assert.equal(fn.deliveries.size, distinct, 'every response arrived');
  for (const [responseId, deliveries] of fn.deliveries) {
    assert.equal(deliveries.length, 1, `${responseId} delivered once`);
    const latest = h.forms.active.latest(responseId);
    assert.equal(deliveries[0].submittedAt, latest.timestamp.toISOString(), 'the newest version, not a superseded one');
  }
  assert.deepEqual(h.queue(), [], 'nothing left waiting');
  assert.deepEqual(h.kept().items, [], 'nothing given up');
  assertWithinQuotas(h);

  // Per 24 h window, the busiest one (the day of recovery for most): far from every limit.
  assert.deepEqual(figures(h), {
    propertiesReadsPeakDay: 665, propertiesWritesPeakDay: 980, propertiesCallsPeakDay: 1288,  // of 50,000
    urlFetchPeakDay: 560,  // of 20,000: 960 deliveries and 127 probes in all
    mailRecipientsPeakDay: 2,  // of 100
    triggerMinutesPeakDay: 18,  // of 90
    storePeakKB: 174,  // of 500: 960 records of ~185 bytes
    mails: 4,  // outage after 1 h, reminders after 25 h and 49 h, recovery
    fetches: 1087,
  });
  assert.deepEqual(h.mails.map((m) => m.subject.replace(/^\[Formulaire → Ogust\] /, '')),
    ['le service est indisponible', 'le service est indisponible', 'le service est indisponible', 'le service répond de nouveau']);
});

/** Each response arrived exactly once, in its newest version. */
function assertDeliveredOnce(h, fn, count) {
  assert.equal(fn.deliveries.size, count);
  for (const [responseId, deliveries] of fn.deliveries) {
    assert.equal(deliveries.length, 1, `${responseId} delivered once`);
    assert.equal(deliveries[0].submittedAt, h.forms.active.latest(responseId).timestamp.toISOString());
  }
}

/** The resendAll("since", "until") call a digest or showQueue() told the owner to run. */
function resendCallIn(text) {
  const match = /resendAll\("([^"]+)", "([^"]+)"\)/.exec(text);
  assert.ok(match, `no resendAll(since, until) in: ${text}`);
  return [match[1], match[2]];
}

test('3,000 submissions in a three-day outage fill the store: exactly 512 are left in the form, then resendAll sends them', (t) => {
  const h = configuredHarness();
  const fn = makeFunction({ secret: samples.SECRET, clock: h.clock, downUntil: samples.FIXED_NOW_MS + 3 * DAY });
  h.server.respond = fn.respond;
  h.call('install');
  const start = samples.FIXED_NOW_MS;
  const { list } = submissionsOver(start, 3 * DAY, 3000, 0);
  h.runUntil(start + 4 * DAY, list);
  diagnose(t, h);

  // 450 KB of queue at ~185 bytes a record, less the configuration (ALERT_EMAIL included): the store
  // cannot hold more, so this figure is exact.
  assert.equal(h.stats.submitThrows, 0);
  assert.equal(fn.deliveries.size, 2488, 'every answer that fitted in the store');
  assert.equal(h.propertiesStats.peakBytes <= 500 * 1024, true);
  const full = h.mails.filter((m) => /stockage plein/.test(m.subject)).at(-1);
  assert.ok(full, 'the digest names the span left out');
  const [since, until] = resendCallIn(full.body);
  assert.equal(list.filter((s) => s.at > Date.parse(since) && s.at <= Date.parse(until)).length, 512);

  // The net behind the script: resendAll on the span the digest gave (or the server-side reconciler).
  h.call('resendAll', since, until);
  h.runUntil(start + 5 * DAY);
  assertDeliveredOnce(h, fn, 3000);
  assertWithinQuotas(h);
  assert.deepEqual(h.queue(), []);
});

test('a five-day outage: answers older than four days go to the capped summary; resendDead and resendAll send them', (t) => {
  const h = configuredHarness();
  const fn = makeFunction({ secret: samples.SECRET, clock: h.clock, downUntil: samples.FIXED_NOW_MS + 5 * DAY });
  h.server.respond = fn.respond;
  h.call('install');
  const start = samples.FIXED_NOW_MS;
  const { list } = submissionsOver(start, 5 * DAY, 1000, 0);
  h.runUntil(start + 6 * DAY, list);
  diagnose(t, h);

  assert.equal(fn.deliveries.size, 795, 'the answers younger than four days at recovery');
  const kept = h.kept();
  // 8 KB of summary lists 52 answers; the other 153 are a count and a span of submission times.
  assert.equal(kept.items.length, 52);
  assert.ok(kept.items.every((entry) => entry.why === 'dead'));
  assert.equal(kept.more, 153);
  assert.ok(h.mails.some((m) => /réponses? non envoyées?/.test(m.subject)));
  assertWithinQuotas(h);

  const [since, until] = resendCallIn(h.call('showQueue').join('\n'));
  const summary = h.call('resendDead');
  assert.deepEqual({ queued: summary.queued, notListed: summary.notListed }, { queued: 52, notListed: 153 });
  assert.equal(h.call('resendAll', since, until).queued, 153);
  h.runUntil(start + 7 * DAY);
  assertDeliveredOnce(h, fn, 1000);
  assert.deepEqual(h.queue(), []);
});

test('a slow function (20 s an answer) after a one-day outage: retries keep to their share of trigger runtime', (t) => {
  const h = configuredHarness();
  const fn = makeFunction({ secret: samples.SECRET, clock: h.clock, downUntil: samples.FIXED_NOW_MS + DAY, latencyMs: 20 * 1000 });
  h.server.respond = fn.respond;
  h.call('install');
  const start = samples.FIXED_NOW_MS;
  const { list } = submissionsOver(start, DAY, 600, 0);
  h.runUntil(start + 2 * DAY, list);
  diagnose(t, h);
  // 600 answers × 20 s = 200 min of sending, against 40 min a day (+20 saved up) for retries.
  assert.equal(fn.deliveries.size, 171, 'delivered on the first day after recovery');
  assert.ok(h.mails.some((m) => /envoi ralenti/.test(m.subject)));
  h.runUntil(start + 6 * DAY);
  diagnose(t, h);
  assertDeliveredOnce(h, fn, 600);
  assertWithinQuotas(h);
  // 60 min of sending at most in any 24 h, plus the start-up of the 288 runs a day (0.5 s each here).
  const retryPerDay = Math.max(...h.quotas.triggerRuntimeMs.windows.map((w) => w.byKind.retryQueue || 0));
  assert.ok(retryPerDay <= 60 * MINUTE + 288 * 500, `retries keep to their share: ${retryPerDay / MINUTE} min`);
  assert.deepEqual(h.kept().items, [], 'waiting for the budget is not failing: nothing given up');
});
