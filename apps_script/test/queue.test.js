'use strict';
// The queue, one failure mode per test: what is kept (references only), when it is retried, and
// what the owner is told.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness } = require('./harness');
const { configuredHarness, answers, MINUTE, HOUR, AGENCY_EMAIL } = require('./helpers');
const samples = require('./samples');

const REJECTION = {
  status: 422,
  body: JSON.stringify({ status: 'rejected', error: 'Le téléphone 06 12 34 56 78 est invalide', field: 'Phone', question: 'Téléphone' }),
};
const UNAVAILABLE = { status: 503, body: '{"status":"unavailable","error":"Ogust is unreachable"}', headers: { 'Retry-After': '60' } };

/** An installed harness: the retry trigger exists, so h.fireClock() plays it. */
/** The Paris date the digests give, computed independently of the script. */
function parisOf(date) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} à ${parts.hour}:${parts.minute}`;
}

function installed(options) {
  const h = configuredHarness(options);
  h.call('install');
  return h;
}

test('a queue record holds a reference, never the answers, and costs a few hundred bytes', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  h.submit(samples.FULL_RESPONSE);
  const [item] = h.queue();
  assert.equal(item.key, `q_${samples.FULL_RESPONSE.id}`);
  assert.deepEqual(Object.keys(item).sort(), ['a', 'e', 'f', 'key', 'n', 'responseId', 's', 't']);
  assert.equal(item.t, samples.FULL_RESPONSE.timestamp.getTime());
  assert.equal(item.a, 1);
  assert.equal(item.s, 503);
  const stored = h.properties.get(item.key);
  assert.ok(stored.length < 300, `${stored.length} bytes`);
  for (const secret of ['Dupont', 'Zoé', '06 12', 'example.fr']) assert.ok(!stored.includes(secret), secret);
});

test('503 then 201: the first retry run probes, delivers and empties the queue', () => {
  const h = installed({ respond: answers(UNAVAILABLE, 201) });
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(5 * MINUTE);
  const result = h.fireClock();
  assert.deepEqual({ ...result }, { sent: 1, delivered: 1, waiting: 0 });
  assert.equal(h.requests.length, 2);
  assert.deepEqual(h.queue(), []);
  assert.equal(h.requests[1].headers['webhook-id'], h.requests[0].headers['webhook-id']);
  assert.equal(h.requests[1].payload, h.requests[0].payload, 'the body rebuilt from the FormResponse is the same bytes');
  h.clock.advance(HOUR);
  h.fireClock();
  assert.equal(h.requests.length, 2, 'nothing left to send');
  assert.equal(h.mails.length, 0);
});

test('while the function is down one answer probes it, the others wait, and submissions add no fetch', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  for (let i = 0; i < 5; i++) h.submit({ ...samples.FULL_RESPONSE, id: `r-${i}` });
  assert.equal(h.requests.length, 5, 'each submission tries once while the outage is unknown');
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.equal(h.requests.length, 6, 'one probe, not five');
  assert.equal(h.state().failedProbes, 1);
  assert.equal(h.state().notBefore, h.requests[5].at + 1000 + 5 * MINUTE, 'next probe 5 minutes after the answer');
  h.submit({ ...samples.FULL_RESPONSE, id: 'r-late' });
  assert.equal(h.requests.length, 6, 'a submission during a known outage is queued without a fetch');
  assert.match(h.queue().find((r) => r.responseId === 'r-late').e, /^held: function unavailable since 2026-11-28T09:2/);
  h.clock.advance(4 * MINUTE);
  h.fireClock();
  assert.equal(h.requests.length, 6, 'the circuit is still open');
});

test('Retry-After longer than the backoff is respected', () => {
  const h = installed({ respond: answers({ status: 429, body: 'Too Many Requests', headers: { 'Retry-After': '3600' } }) });
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  const probedAt = h.requests[1].at;
  assert.ok(h.state().notBefore >= probedAt + HOUR);
  h.clock.advance(50 * MINUTE);
  h.fireClock();
  assert.equal(h.requests.length, 2, 'not before the hour the function asked for');
  h.clock.advance(15 * MINUTE);
  h.fireClock();
  assert.equal(h.requests.length, 3);
});

test('a network error is an outage too; the answer waits, and the error is kept short', () => {
  const h = installed({ respond: answers(new Error('Address unavailable: https://europe-west1-forms-to-ogust.cloudfunctions.net/forms-to-ogust')) });
  const result = h.submit(samples.FULL_RESPONSE);
  assert.equal(result.kind, 'unavailable');
  const [item] = h.queue();
  assert.match(item.e, /^Network error: Address unavailable/);
  assert.ok(item.e.length <= 120);
});

test('a missing permission is reported, not retried every 5 minutes, and does not use up attempts', () => {
  const h = installed({ respond: answers(201) });
  h.submit({ ...samples.FULL_RESPONSE, id: 'r-avant' });
  // The user unticks "Connect to an external service" in the granular consent screen.
  h.runtime.granted.delete('https://www.googleapis.com/auth/script.external_request');
  const result = h.submit(samples.FULL_RESPONSE);
  assert.equal(result.kind, 'permission');
  assert.equal(h.queue()[0].a, 0, 'not counted as an attempt');
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.equal(h.state().blocked, 'permission');
  const [mail] = h.mails;
  assert.match(mail.subject, /une autorisation manque/);
  assert.match(mail.body, /UrlFetchApp\.fetch/);
  assert.match(mail.body, /run install\(\)/);
  for (let i = 0; i < 11; i++) {
    h.clock.advance(5 * MINUTE);
    h.fireClock();
  }
  assert.equal(h.mails.length, 1, 'told once');
  assert.equal(h.queue()[0].a, 0);
  h.runtime.granted.add('https://www.googleapis.com/auth/script.external_request');
  h.call('install');
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.deepEqual(h.queue(), [], 'sent once the permission is back');
});

test('a spent UrlFetch quota pauses sending for an hour instead of failing the answer', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  h.submit(samples.FULL_RESPONSE);
  h.quotas.urlfetch.window(h.clock.now()).used = h.quotas.urlfetch.limit;  // another script spent it
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.equal(h.state().blocked, 'quota');
  assert.ok(h.state().notBefore >= h.clock.now() + 59 * MINUTE);
  assert.equal(h.queue()[0].a, 1, 'the failed fetch is not counted against the answer');
});

test('422 is not retried; the French digest gives its Paris date and the function\'s reason, phone masked', () => {
  const h = installed({ respond: answers(REJECTION) });
  const result = h.submit(samples.FULL_RESPONSE);
  assert.equal(result.outcome, 'rejected');
  assert.equal(h.mails.length, 0, 'onFormSubmit never mails');
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.deepEqual(h.queue(), []);
  assert.equal(h.kept().items[0].why, 'refused');
  assert.equal(h.mails.length, 1);
  const [mail] = h.mails;
  assert.equal(mail.to, AGENCY_EMAIL);
  assert.equal(mail.subject, '[Formulaire → Ogust] 1 réponse refusée');
  assert.ok(mail.body.includes('• Réponse envoyée le ' + parisOf(samples.FULL_RESPONSE.timestamp) +
    ' : Le téléphone 06******78 est invalide (champ : Phone) (question : « Téléphone »)'), mail.body);
  // A form without the tab (its refusals carry no agencyNotified): no box to tick, the installer resends.
  assert.match(mail.body, /puis transmettez cet e-mail à la personne qui a installé le lien entre le formulaire et Ogust/);
  assert.ok(!mail.body.includes('Suivi Ogust'), 'no tab to point to');
  for (const jargon of ['resendDead', 'HTTP', 'dead letter', 'showQueue']) assert.ok(!mail.body.includes(jargon), jargon);
  assert.ok(!mail.body.includes('06 12 34 56 78') && !h.allLogText().includes('06 12 34 56 78'));
  assert.ok(!mail.body.includes(samples.SECRET.slice(6)));
  h.clock.advance(HOUR);
  h.fireClock();
  assert.equal(h.requests.length, 1, 'never sent again');
});

test('each refused answer is listed with its own Paris date and its own reason, not only the first', () => {
  const reasons = {
    'r-cp': 'Code postal « 7500 » invalide',
    'r-mail': 'Deux clients Ogust ont l\'adresse m***@e***.fr',
    'r-nom': 'Réponse obligatoire manquante',
  };
  const h = installed({
    respond: (request) => ({ status: 422, body: JSON.stringify({ status: 'rejected', error: reasons[JSON.parse(request.payload).responseId] }) }),
  });
  // 30 March 2026, 23:30 UTC is already the 31st in Paris (summer time, UTC+2).
  const times = { 'r-cp': Date.UTC(2026, 2, 30, 23, 30), 'r-mail': Date.UTC(2026, 2, 31, 7, 5), 'r-nom': Date.UTC(2026, 2, 31, 12, 0) };
  for (const [id, at] of Object.entries(times)) h.submit({ ...samples.FULL_RESPONSE, id, timestamp: new Date(at) });
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  const [mail] = h.mails;
  assert.equal(mail.subject, '[Formulaire → Ogust] 3 réponses refusées');
  const listed = mail.body.split('\n').filter((line) => line.trim().startsWith('• '));
  assert.deepEqual(listed.map((line) => line.trim()), [
    '• Réponse envoyée le 31/03/2026 à 01:30 : Code postal « 7500 » invalide',
    '• Réponse envoyée le 31/03/2026 à 09:05 : Deux clients Ogust ont l\'adresse m***@e***.fr',
    '• Réponse envoyée le 31/03/2026 à 14:00 : Réponse obligatoire manquante',
  ]);
  assert.equal(mail.body.match(/Que faire/g).length, 1, 'one advice for one kind of refusal');
});

test('past ten refused answers the digest lists ten and counts the rest', () => {
  const h = installed({ respond: answers(REJECTION) });
  for (let i = 0; i < 14; i++) h.submit({ ...samples.FULL_RESPONSE, id: `r-${i}`, timestamp: new Date(samples.FIXED_NOW_MS - (14 - i) * MINUTE) });
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  const [mail] = h.mails;
  assert.equal(mail.subject, '[Formulaire → Ogust] 14 réponses refusées');
  assert.equal(mail.body.split('\n').filter((line) => line.trim().startsWith('• Réponse envoyée le')).length, 10);
  assert.match(mail.body, /• … et 4 autres \(la personne qui a installé le lien peut toutes les lister\)/);
  assert.ok(Buffer.byteLength(h.properties.get('_state') || '', 'utf8') < 9 * 1024, 'the run state fits one Script property');
});

/** The function's 422 for a form with the tab "Suivi Ogust": the agency is told by the function itself. */
const TOLD = {
  status: 422,
  body: JSON.stringify({ status: 'rejected', error: 'Code postal « 7500 » invalide', field: 'main_address.zip_code', agencyNotified: true }),
};

test('a refusal the function tells the agency of (agencyNotified) is neither in the digest nor kept for resendDead', () => {
  const h = installed({ respond: answers(TOLD) });
  const result = h.submit(samples.FULL_RESPONSE);
  assert.equal(result.outcome, 'rejected');
  assert.equal(result.agencyNotified, true);
  assert.deepEqual(h.queue(), [], 'nothing waits for the digest');
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.equal(h.mails.length, 0, 'the function\'s e-mail and the tab already told the agency');
  assert.deepEqual(h.kept().items, []);
  assert.equal(h.call('resendDead').queued, 0, 'resendDead has nothing of it');
  assert.match(h.allLogText(), /The agency is told by the function/);
  h.clock.advance(HOUR);
  h.fireClock();
  assert.equal(h.requests.length, 1, 'never sent again');
});

test('an answer queued during an outage then refused with agencyNotified leaves the queue untold; the outage is still told', () => {
  const h = installed({ respond: answers(UNAVAILABLE, TOLD) });
  h.submit(samples.FULL_RESPONSE);
  assert.equal(h.queue().length, 1);
  for (let i = 0; i < 4; i++) {
    h.clock.advance(30 * MINUTE);
    h.fireClock();
  }
  assert.deepEqual(h.queue(), []);
  assert.deepEqual(h.kept().items, []);
  const bodies = h.mails.map((mail) => mail.subject + '\n' + mail.body).join('\n');
  assert.ok(!/refusée/.test(bodies), bodies);
});

test('beside refusals the agency is told of, the digest still lists those of forms without the tab and the 401s', () => {
  const told = ['t-1', 't-2'];
  const h = installed({
    respond: (request) => {
      const id = JSON.parse(request.payload).responseId;
      if (told.includes(id)) return TOLD;
      if (id === 'sans-onglet') return REJECTION;
      return { status: 401, body: '{"status":"unauthorized","error":"signature mismatch"}' };
    },
  });
  for (const id of [...told, 'sans-onglet', 'signature']) h.submit({ ...samples.FULL_RESPONSE, id });
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.equal(h.mails.length, 1);
  const [mail] = h.mails;
  assert.equal(mail.subject, '[Formulaire → Ogust] 2 réponses refusées');
  assert.equal(mail.body.split('\n').filter((line) => line.trim().startsWith('• Réponse envoyée le')).length, 2);
  assert.ok(!mail.body.includes('7500'), 'the told refusal is not repeated');
  assert.match(mail.body, /Détail technique \(HTTP 401\)/);
  assert.deepEqual(h.kept().items.map((entry) => entry.r).sort(), ['sans-onglet', 'signature']);
});

test('100 submissions refused with 401 make one digest, not 100 e-mails; ALERT_EMAIL receives it', () => {
  const h = installed({ respond: answers({ status: 401, body: '{"status":"unauthorized","error":"signature mismatch"}' }) });
  h.setScriptProperty('ALERT_EMAIL', 'alertes@example.fr');
  for (let i = 0; i < 100; i++) h.submit({ ...samples.FULL_RESPONSE, id: `r-${i}` });
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.equal(h.mails.length, 1);
  assert.equal(h.mails[0].to, 'alertes@example.fr');
  assert.match(h.mails[0].subject, /100 réponses refusées/);
  assert.match(h.mails[0].body, /Transmettez cet e-mail à la personne qui a installé le lien/);
  assert.match(h.mails[0].body, /Détail technique \(HTTP 401\) : .*WEBHOOK_SECRET/);
  assert.equal(h.kept().items.length + h.kept().more, 100);
});

test('a digest state left by the previous version (counts by status) is still told, as a count', () => {
  const h = installed({ respond: answers(REJECTION) });
  const state = JSON.parse(h.properties.get('_state') || '{}');
  state.notes = { refused: { 422: { n: 2, message: 'HTTP 422: ancien motif' } }, dead: 1 };
  h.setScriptProperty('_state', JSON.stringify(state));
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  const [mail] = h.mails;
  assert.equal(mail.subject, '[Formulaire → Ogust] 2 réponses refusées, 1 réponse non envoyée');
  assert.match(mail.body, /• … et 2 autres/);
});

test('digests: at most one per hour and five per day, however much happens', () => {
  const h = installed({ respond: answers(REJECTION) });
  for (let run = 0; run < 12 * 23; run++) {
    h.submit({ ...samples.FULL_RESPONSE, id: `r-${run}` });
    h.clock.advance(5 * MINUTE);
    h.fireClock();
  }
  assert.equal(h.mails.length, 5);
  for (let i = 1; i < h.mails.length; i++) assert.ok(h.mails[i].at - h.mails[i - 1].at >= HOUR);
});

test('a HTTP 500 on one answer backs that answer off and lets the others through', () => {
  let calls = 0;
  const h = installed({
    respond: (request) => {
      calls++;
      return JSON.parse(request.payload).responseId === 'r-bug' ? { status: 500, body: 'Internal Server Error' } : { status: 201, body: '' };
    },
  });
  h.submit({ ...samples.FULL_RESPONSE, id: 'r-bug' });
  h.submit({ ...samples.FULL_RESPONSE, id: 'r-ok' });
  assert.equal(h.queue().length, 1);
  assert.equal(h.queue()[0].n, h.queue()[0].f, 'due at once');
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  const [item] = h.queue();
  assert.equal(item.a, 2);
  assert.equal(item.n - h.requests.at(-1).at >= 10 * MINUTE - 1000, true, 'backed off 10 minutes after the second failure');
  assert.equal(h.state().notBefore || 0, 0, 'no outage: the circuit stays closed');
  assert.equal(calls, 3);
});

test('the backoff of one answer doubles from 5 minutes and is capped at 6 hours', () => {
  const h = configuredHarness();
  const backoff = (n) => h.context.backoffMs_(n) / MINUTE;
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20].map(backoff), [5, 10, 20, 40, 80, 160, 320, 360, 360]);
});

test('an edit of a queued answer supersedes it: one record, and the newest version is sent once', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  h.submit(samples.EDITED_RESPONSE);
  assert.equal(h.queue().length, 1);
  assert.equal(h.queue()[0].t, samples.EDITED_RESPONSE.timestamp.getTime());
  h.server.respond = answers(201);
  h.clock.advance(HOUR);
  h.fireClock();
  const sent = h.requests.filter((r) => r.status === 201);
  assert.equal(sent.length, 1);
  assert.equal(JSON.parse(sent[0].payload).answers.find((a) => a.itemId === 115).value, '07 98 76 54 32');
});

test('an edit delivered by onFormSubmit removes the older queued record', () => {
  const h = installed({ respond: answers(503, 201) });
  h.submit(samples.FULL_RESPONSE);
  assert.equal(h.queue().length, 1);
  h.submit(samples.EDITED_RESPONSE);
  assert.deepEqual(h.queue(), [], 'superseded by the version just delivered');
});

test('an edit arriving during a retry run keeps its newer record (the run does not overwrite it)', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(5 * MINUTE);
  let edited = false;
  h.server.respond = () => {
    if (!edited) {
      edited = true;
      h.context.onFormSubmit({ response: h.forms.active.addResponse(samples.EDITED_RESPONSE), source: h.forms.active.api });
    }
    return UNAVAILABLE;
  };
  h.fireClock();
  const [item] = h.queue();
  assert.equal(item.t, samples.EDITED_RESPONSE.timestamp.getTime(), "the edit's record, not the run's update of the old one");
});

test('a queued response deleted from the form is dropped and listed, not retried forever', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  h.submit(samples.FULL_RESPONSE);
  h.forms.active.deleteResponse(samples.FULL_RESPONSE.id);
  h.server.respond = answers(201);
  h.clock.advance(HOUR);
  h.fireClock();
  assert.deepEqual(h.queue(), []);
  assert.equal(h.kept().items[0].why, 'unreadable');
  assert.equal(h.requests.length, 1);
});

test('after four days of outage the answer is given up into the summary; resendDead() queues it again', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  h.submit(samples.FULL_RESPONSE);
  h.runUntil(h.clock.now() + 4 * 24 * HOUR + HOUR);
  assert.deepEqual(h.queue(), []);
  assert.equal(h.kept().items[0].why, 'dead');
  assert.ok(h.mails.some((m) => /1 réponse non envoyée/.test(m.subject)));
  const fetches = h.requests.length;
  h.runUntil(h.clock.now() + HOUR);
  assert.equal(h.requests.length, fetches, 'a given-up answer is not retried automatically');
  h.server.respond = answers(201);
  assert.equal(h.call('resendDead').queued, 1);
  assert.deepEqual(h.kept().items, []);
  h.runUntil(h.clock.now() + 5 * MINUTE);
  assert.deepEqual(h.queue(), []);
  assert.equal(h.requests.at(-1).status, 201);
  assert.equal(h.requests.at(-1).headers['webhook-id'], h.requests[0].headers['webhook-id']);
});

test('when the lock is held by another run, retryQueue does nothing and sends nothing', () => {
  const h = installed({ respond: answers(503, 201) });
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(HOUR);
  h.lock.heldByOther = true;
  assert.equal(h.fireClock().skipped, 'locked');
  assert.equal(h.requests.length, 1);
  h.lock.heldByOther = false;
  h.fireClock();
  assert.equal(h.requests.length, 2);
  assert.equal(h.lock.held, false, 'the lock is released');
});

test('a submission arriving before the configuration is kept, onFormSubmit does not throw, the digest says so', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS, form: samples.INTERVENTION_FORM });
  h.setScriptProperty('WEBHOOK_URL', samples.URL);
  h.setScriptProperty('WEBHOOK_SECRET', samples.SECRET);
  h.setScriptProperty('ALERT_EMAIL', AGENCY_EMAIL);
  h.call('install');
  h.properties.delete('WEBHOOK_SECRET');  // removed by hand afterwards
  const result = h.submit(samples.FULL_RESPONSE);
  assert.equal(result.kind, 'config');
  assert.equal(h.requests.length, 0);
  assert.equal(h.queue().length, 1);
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.match(h.mails[0].subject, /le lien n'est pas configuré/);
  h.setScriptProperty('WEBHOOK_SECRET', samples.SECRET);
  h.clock.advance(5 * MINUTE);
  h.fireClock();
  assert.equal(h.requests.length, 1);
  assert.deepEqual(h.queue(), []);
});

test('onFormSubmit never throws: with the properties quota spent it logs and leaves the answer in the form', () => {
  const h = installed();
  h.quotas.properties.window(h.clock.now()).used = h.quotas.properties.limit;
  const result = h.submit(samples.FULL_RESPONSE);
  assert.equal(result.outcome, 'lost');
  assert.ok(h.logs.some((l) => l.level === 'error' && /stays in the form; resendAll\(\)/.test(l.line)));
});

test('a retry run stops starting sends after 50 answers or 60 s', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  for (let i = 0; i < 120; i++) h.submit({ ...samples.FULL_RESPONSE, id: `r-${i}` });
  h.server.respond = answers(201);
  h.clock.advance(HOUR);
  assert.equal(h.fireClock().sent, 50, 'count cap');
  h.server.respond = () => ({ status: 201, body: '', latencyMs: 25 * 1000 });
  h.clock.advance(5 * MINUTE);
  assert.equal(h.fireClock().sent, 3, '0 s, 25 s, 50 s: the fourth would start past 60 s');
});

test('an edit delivered by onFormSubmit during a retry run is not brought back by the run', () => {
  const h = installed({ respond: answers(UNAVAILABLE) });
  h.submit(samples.FULL_RESPONSE);
  h.clock.advance(5 * MINUTE);
  let edited = false;
  h.server.respond = () => {
    if (!edited) {
      edited = true;
      // The function recovers just as the run's probe fails; the edit's own send gets through.
      h.server.respond = answers(201);
      h.context.onFormSubmit({ response: h.forms.active.addResponse(samples.EDITED_RESPONSE), source: h.forms.active.api });
    }
    return UNAVAILABLE;
  };
  h.fireClock();
  assert.deepEqual(h.queue(), [], 'the run does not write back the record the edit removed');
  assert.equal(h.requests.filter((r) => r.status === 201).length, 1);
});
