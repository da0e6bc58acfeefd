'use strict';
// Runs the BUILT single file (dist/forms-to-ogust.gs, rebuilt here when the sources changed) in a
// node:vm context, as Apps Script does, with stand-ins for the services (test/fakes/*) that check
// scopes against appsscript.json, count quotas and spend time on a fake clock.

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const build = require('../build');
const { makeClock, makeRuntime, MINUTE } = require('./fakes/runtime');
const { makeForm, makeFormApp } = require('./fakes/forms');
const { makePropertiesService } = require('./fakes/properties');
const { makeUtilities } = require('./fakes/utilities');
const { makeUrlFetchApp } = require('./fakes/urlfetch');
const { makeMailApp } = require('./fakes/mail');
const { makeScriptApp, makeLockService, makeSession } = require('./fakes/script');

const OWNER_EMAIL = 'proprietaire@example.fr';
const MANIFEST_PATH = path.join(__dirname, '..', 'appsscript.json');

function readManifest() {
  return JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8'));
}

/**
 * options: {now: ms since epoch (fake clock) | 'real', form: form spec (fakes/forms.js),
 *           respond: (request) => ({status, body, headers, latencyMs}) or throw,
 *           manifest: parsed appsscript.json (default: the real one), granted: scopes the user ticked,
 *           costs: {executionMs, fetchMs}, echoLogs: bool}
 */
function createHarness(options = {}) {
  const clock = makeClock(options.now);
  const runtime = makeRuntime({ clock, manifest: options.manifest || readManifest(), granted: options.granted, costs: options.costs });
  const logs = [];
  const record = (level) => (...args) => {
    const line = args.map(String).join(' ');
    logs.push({ level, line });
    if (options.echoLogs) process.stderr.write(`[gs ${level}] ${line}\n`);
  };
  const server = { respond: options.respond || (() => ({ status: 201, body: '{"status":"created"}' })) };
  const forms = { active: options.form ? makeForm(runtime, options.form) : null };

  const properties = makePropertiesService(runtime);
  const lock = makeLockService(runtime);
  const mail = makeMailApp(runtime);
  const fetch = makeUrlFetchApp(runtime, (request) => server.respond(request));
  let context = null;
  const scriptApp = makeScriptApp(runtime, (name) => typeof context[name] === 'function');
  // A lock not released by the script is released when its execution ends.
  runtime.onExecutionEnd = () => { lock.state.held = false; };

  context = vm.createContext({
    FormApp: makeFormApp(runtime, () => {
      if (!forms.active) throw new Error('harness: no active form');
      return forms.active;
    }),
    UrlFetchApp: fetch.service,
    Utilities: makeUtilities(runtime),
    PropertiesService: properties.service,
    LockService: lock.service,
    ScriptApp: scriptApp.service,
    MailApp: mail.service,
    Session: makeSession(runtime, OWNER_EMAIL),
    Logger: { log: record('log') },
    console: { log: record('log'), info: record('info'), warn: record('warn'), error: record('error') },
  });
  // The context has its own Date; only Date.now() is redirected to the test clock.
  context.__clock = clock;
  vm.runInContext('Date.now = function () { return __clock.now(); };', context);
  const bundle = build.ensureBuilt();
  vm.runInContext(bundle.text, context, { filename: build.BUNDLE_NAME });

  const h = {
    context,
    clock,
    runtime,
    quotas: runtime.quotas,
    logs,
    server,
    forms,
    requests: fetch.requests,
    properties: properties.store,
    propertiesStats: properties.stats,
    lock: lock.state,
    mails: mail.sent,
    triggers: scriptApp.triggers,
    ownerEmail: OWNER_EMAIL,
    stats: { submitThrows: 0, triggerRuns: {} },
    /** A person types a Script property in Project Settings (no execution, no quota). */
    setScriptProperty(key, value) {
      properties.editByHand(key, value);
    },
    /** Replaces the active form (the script is bound to one form at a time). */
    setForm(spec) {
      forms.active = makeForm(runtime, spec);
      return forms.active;
    },
    /** Runs a global function of the script, as the Run button of the editor would. */
    call(name, ...args) {
      if (typeof context[name] !== 'function') throw new Error(`harness: no global function ${name}`);
      return runtime.execute(name, false, () => context[name](...args));
    },
    /** A person submits (or edits) a response; the installable form-submit trigger fires. */
    submit(responseSpec) {
      const response = forms.active.addResponse(responseSpec);
      h.stats.triggerRuns.onFormSubmit = (h.stats.triggerRuns.onFormSubmit || 0) + 1;
      try {
        return runtime.execute('onFormSubmit', true, () => context.onFormSubmit({
          authMode: 'FULL', triggerUid: 'trigger-1', response, source: forms.active.api,
        }));
      } catch (err) {
        h.stats.submitThrows++;
        throw err;
      }
    },
    /** Fires the handler of an installed time-driven trigger once, as Google would. */
    fireClock(handler = 'retryQueue') {
      if (!scriptApp.triggers.some((t) => t.handler === handler && String(t.eventType) === 'CLOCK')) {
        throw new Error(`harness: no time-driven trigger for ${handler}; run install() first`);
      }
      h.stats.triggerRuns[handler] = (h.stats.triggerRuns[handler] || 0) + 1;
      return runtime.execute(handler, true, () => context[handler]());
    },
    /**
     * Plays time until `untilMs`: every installed everyMinutes trigger fires on its period, and each
     * {at, response} of `submissions` is submitted at its time, in time order. An execution that runs
     * long pushes the next event back, as executions of one user run one after the other here.
     */
    runUntil(untilMs, submissions = []) {
      const clocks = scriptApp.triggers.filter((t) => String(t.eventType) === 'CLOCK' && t.source.detail.everyMinutes);
      const periods = clocks.map((t) => ({ handler: t.handler, period: t.source.detail.everyMinutes * MINUTE,
        next: t.createdAt + t.source.detail.everyMinutes * MINUTE }));
      const queue = [...submissions].sort((a, b) => a.at - b.at);
      let s = 0;
      for (;;) {
        const tick = periods.reduce((best, p) => (!best || p.next < best.next ? p : best), null);
        const nextSubmission = s < queue.length ? queue[s].at : Infinity;
        const at = Math.min(tick ? tick.next : Infinity, nextSubmission);
        if (at > untilMs) break;
        if (clock.now() < at) clock.set(at);
        if (nextSubmission <= (tick ? tick.next : Infinity)) {
          h.submit(queue[s++].response);
        } else {
          tick.next += tick.period;
          h.fireClock(tick.handler);
        }
      }
      if (clock.now() < untilMs) clock.set(untilMs);
    },
    /** Queue records as stored in Script Properties. */
    queue() {
      return [...properties.store]
        .filter(([key]) => key.startsWith('q_'))
        .map(([key, value]) => ({ key, responseId: key.slice(2), ...JSON.parse(value) }));
    },
    state() {
      return JSON.parse(properties.store.get('_state') || '{}');
    },
    kept() {
      return JSON.parse(properties.store.get('_kept') || '{"items":[],"more":0}');
    },
    /** Every log line, to check that no secret or personal data leaks. */
    allLogText() {
      return logs.map((l) => l.line).join('\n');
    },
  };
  return h;
}

module.exports = { createHarness, readManifest, OWNER_EMAIL };
