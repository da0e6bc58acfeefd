'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness } = require('./harness');
const { configuredHarness } = require('./helpers');
const samples = require('./samples');

function sentPayload(h, index = 0) {
  return JSON.parse(h.requests[index].payload);
}

function answerFor(payload, itemId) {
  return payload.answers.find((a) => a.itemId === itemId);
}

test('the body is schema v1 with the form, the response and the respondent e-mail', () => {
  const h = configuredHarness();
  h.submit(samples.FULL_RESPONSE);
  const p = sentPayload(h);
  assert.equal(p.schemaVersion, 1);
  assert.equal(p.formId, samples.INTERVENTION_FORM.id);
  assert.equal(p.formTitle, "Demande d'intervention — Aide à domicile");
  assert.equal(p.responseId, samples.FULL_RESPONSE.id);
  assert.equal(p.submittedAt, '2026-11-28T09:14:31.512Z');
  assert.equal(p.respondentEmail, 'zoé.dupont-lefèvre@example.fr');
  assert.deepEqual(Object.keys(p), ['schemaVersion', 'formId', 'formTitle', 'responseId', 'submittedAt',
    'respondentEmail', 'answers']);
});

test('French text answers come back intact: accents, apostrophes, emoji, guillemets, newline', () => {
  const h = configuredHarness();
  h.submit(samples.FULL_RESPONSE);
  const p = sentPayload(h);
  for (const id of [101, 102, 103, 104, 115]) {
    assert.equal(answerFor(p, id).value, samples.FULL_RESPONSE.answers[id]);
  }
  assert.equal(answerFor(p, 103).value, "L'Haÿ-les-Roses");
  assert.match(answerFor(p, 104).value, /😊/u);
});

test('each item type keeps its value shape', () => {
  const h = configuredHarness();
  h.submit(samples.FULL_RESPONSE);
  const p = sentPayload(h);
  const shape = (id) => ({ type: answerFor(p, id).type, value: answerFor(p, id).value });
  assert.deepEqual(shape(105), { type: 'MULTIPLE_CHOICE', value: 'Mme' });
  assert.deepEqual(shape(106), { type: 'CHECKBOX', value: ['Ménage', 'Courses', 'Aide à la toilette'] });
  assert.deepEqual(shape(107), { type: 'LIST', value: 'Une fois par semaine' });
  assert.deepEqual(shape(108), { type: 'SCALE', value: '4' });
  assert.deepEqual(shape(110), { type: 'GRID', value: ['Matin', '', 'Soir'] });
  assert.deepEqual(shape(111), { type: 'CHECKBOX_GRID', value: [['Matin', 'Après-midi'], ['Soir']] });
  assert.deepEqual(shape(112), { type: 'FILE_UPLOAD', value: ['1AbC-dEfGhIjKlMnOpQrStUvWxYz_0123'] });
  assert.deepEqual(shape(113), { type: 'DATE', value: '2026-12-01' });
  assert.deepEqual(shape(114), { type: 'TIME', value: '14:30' });
});

test('an unanswered text item is "" and an unanswered checkbox or a section header is absent', () => {
  const h = configuredHarness();
  h.submit(samples.FULL_RESPONSE);
  const p = sentPayload(h);
  assert.deepEqual(answerFor(p, 116), { itemId: 116, title: "Complément d'adresse", type: 'TEXT', value: '' });
  assert.equal(answerFor(p, 117), undefined);
  assert.equal(answerFor(p, 109), undefined);
  assert.deepEqual(p.answers.map((a) => a.itemId),
    [101, 102, 103, 104, 105, 106, 107, 108, 110, 111, 112, 113, 114, 115, 116]);
});

test('respondentEmail is null when the form does not collect e-mails', () => {
  const h = configuredHarness({ form: samples.WORKSHOP_FORM });
  h.submit(samples.WORKSHOP_RESPONSE);
  const p = sentPayload(h);
  assert.equal(p.respondentEmail, null);
  assert.equal(answerFor(p, 201).value, "François N'Guessan-Noël");
  assert.equal(answerFor(p, 204).value, '');
});

test('grid rows left empty by getResponse (null) become "" or [] so every leaf is a string', () => {
  const h = configuredHarness();
  h.submit({ ...samples.FULL_RESPONSE, answers: { 110: ['Matin', null, 'Soir'], 111: [null, ['Soir']] } });
  const p = sentPayload(h);
  assert.deepEqual(answerFor(p, 110).value, ['Matin', '', 'Soir']);
  assert.deepEqual(answerFor(p, 111).value, [[], ['Soir']]);
});

test('the body is pure ASCII and JSON.parse gives back the original strings', () => {
  const h = configuredHarness();
  h.submit(samples.FULL_RESPONSE);
  const body = h.requests[0].payload;
  assert.match(body, /^[\x20-\x7e]*$/, 'only printable ASCII (newlines are escaped too)');
  assert.ok(body.includes('\\u00ff'), 'ÿ escaped');
  assert.ok(body.includes('\\ud83d\\ude0a'), 'emoji escaped as a surrogate pair');
  assert.equal(JSON.parse(body).answers[3].value, samples.FULL_RESPONSE.answers[104]);
  assert.equal(Buffer.byteLength(body, 'utf8'), body.length);
});

test('the request is a JSON POST with muted HTTP exceptions', () => {
  const h = configuredHarness();
  h.submit(samples.FULL_RESPONSE);
  const r = h.requests[0];
  assert.equal(r.url, samples.URL);
  assert.equal(r.method, 'post');
  assert.equal(r.contentType, 'application/json');
  assert.equal(r.options.muteHttpExceptions, true);
  assert.equal(r.options.followRedirects, false);
});

test('webhook-id is stable for one submission and different for an edited response', () => {
  const first = configuredHarness();
  first.submit(samples.FULL_RESPONSE);
  const again = configuredHarness();
  again.submit(samples.FULL_RESPONSE);
  const edited = configuredHarness();
  edited.submit(samples.EDITED_RESPONSE);
  const id = first.requests[0].headers['webhook-id'];
  assert.match(id, /^sub_[0-9a-f]{32}$/);
  assert.ok(!id.includes('.'));
  assert.equal(again.requests[0].headers['webhook-id'], id);
  assert.notEqual(edited.requests[0].headers['webhook-id'], id);
  assert.equal(JSON.parse(edited.requests[0].payload).responseId, samples.FULL_RESPONSE.id);
});

test('exportFormDescription lists the questions with their choices, not the layout items', () => {
  const h = createHarness({ now: samples.FIXED_NOW_MS, form: samples.INTERVENTION_FORM });
  const description = JSON.parse(h.call('exportFormDescription'));
  assert.equal(description.formId, samples.INTERVENTION_FORM.id);
  assert.equal(description.formTitle, samples.INTERVENTION_FORM.title);
  assert.equal(description.items.length, samples.INTERVENTION_FORM.items.length - 1);
  const byId = Object.fromEntries(description.items.map((i) => [i.itemId, i]));
  assert.deepEqual(byId[101], { itemId: 101, title: 'Nom', type: 'TEXT' });
  assert.deepEqual(byId[106].choices, ['Ménage', 'Courses', 'Aide à la toilette', 'Repassage']);
  assert.deepEqual(byId[105].choices, ['Mme', 'M.']);
  assert.deepEqual(byId[107].choices, ['Une fois par semaine', 'Deux fois par semaine', 'Ponctuelle']);
  assert.deepEqual(byId[110].choices, ['Matin', 'Après-midi', 'Soir']);
  assert.equal(byId[109], undefined);
  assert.ok(h.allLogText().includes('"formTitle"'), 'the description is logged for copying');
});
