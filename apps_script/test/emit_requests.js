#!/usr/bin/env node
'use strict';
// Prints, as JSON on stdout, the exact HTTP requests the REAL .gs files send for the French samples,
// so the Python contract test (tests/processes/contract/test_apps_script_contract.py) can verify them with
// shared.webhook and the standardwebhooks reference library.
//
//   node apps_script/test/emit_requests.js [--secret whsec_…] [--now <unix seconds> | --now real]
//
// Output: {"requests": [{"name", "url", "method", "contentType", "headers", "bodyBase64",
//          "expected": {"formId", "responseId", "submittedAt", "respondentEmail", "answers": {itemId: value}}}]}
// Uses only node built-ins: no `npm ci` needed. It loads dist/forms-to-ogust.gs, built if stale.

const { createHarness } = require('./harness');
const samples = require('./samples');

function parseArgs(argv) {
  const args = { secret: samples.SECRET, now: String(samples.FIXED_NOW_MS / 1000) };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in args) || argv[i + 1] === undefined) throw new Error(`usage: emit_requests.js [--secret S] [--now SECONDS|real]`);
    args[name] = argv[i + 1];
  }
  return args;
}

/** What the function should read back: every answered item of the response, by item id. */
function expectedFor(formSpec, responseSpec) {
  const answers = {};
  for (const item of formSpec.items) {
    if (Object.hasOwn(responseSpec.answers, item.id)) answers[item.id] = responseSpec.answers[item.id];
    else if (['TEXT', 'PARAGRAPH_TEXT', 'DATE', 'TIME'].includes(item.type)) answers[item.id] = '';
  }
  return {
    formId: formSpec.id,
    formTitle: formSpec.title,
    responseId: responseSpec.id,
    submittedAt: responseSpec.timestamp.toISOString(),
    respondentEmail: formSpec.collectEmail ? responseSpec.email : null,
    answers,
  };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const now = args.now === 'real' ? 'real' : Number(args.now) * 1000;
  if (now !== 'real' && !Number.isFinite(now)) throw new Error(`--now must be unix seconds or "real"`);
  const cases = [
    ['intervention_full', samples.INTERVENTION_FORM, samples.FULL_RESPONSE],
    ['intervention_edited', samples.INTERVENTION_FORM, samples.EDITED_RESPONSE],
    ['workshop_no_email', samples.WORKSHOP_FORM, samples.WORKSHOP_RESPONSE],
  ];
  const requests = cases.map(([name, formSpec, responseSpec]) => {
    const h = createHarness({ now, form: formSpec, respond: () => ({ status: 201, body: '{"status":"created"}' }) });
    // As typed in Project Settings > Script properties: no execution, so the clock stays put.
    h.setScriptProperty('WEBHOOK_URL', samples.URL);
    h.setScriptProperty('WEBHOOK_SECRET', args.secret);
    h.submit(responseSpec);
    const [request] = h.requests;
    return {
      name,
      url: request.url,
      method: request.method,
      contentType: request.contentType,
      headers: request.headers,
      bodyBase64: Buffer.from(request.payload, 'utf8').toString('base64'),
      expected: expectedFor(formSpec, responseSpec),
    };
  });
  process.stdout.write(JSON.stringify({ requests }) + '\n');
}

main();
