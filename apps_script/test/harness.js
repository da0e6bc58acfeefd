'use strict';
// Runs the REAL .gs files in a node:vm context, as Apps Script does: every file's top level in one
// shared global scope, with stand-ins for the Apps Script services (test/fakes/*) and a clock the
// test controls (Date.now inside the context).

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { makeForm, makeFormApp } = require('./fakes/forms');
const services = require('./fakes/services');

const SCRIPT_DIR = path.resolve(__dirname, '..');
const OWNER_EMAIL = 'proprietaire@example.fr';

function scriptFiles() {
  return fs.readdirSync(SCRIPT_DIR).filter((f) => f.endsWith('.gs')).sort();
}

/**
 * options: {now: ms since epoch (fixed fake clock) | 'real', form: form spec (see fakes/forms.js),
 *           respond: (request) => ({status, body, headers}) or throw, echoLogs: bool}
 */
function createHarness(options = {}) {
  const clock = {
    ms: options.now === 'real' || options.now === undefined ? null : options.now,
    now() {
      return this.ms === null ? Date.now() : this.ms;
    },
    advance(ms) {
      if (this.ms === null) throw new Error('harness: cannot advance the real clock');
      this.ms += ms;
    },
  };
  const logs = [];
  const record = (level) => (...args) => {
    const line = args.map(String).join(' ');
    logs.push({ level, line });
    if (options.echoLogs) process.stderr.write(`[gs ${level}] ${line}\n`);
  };
  const server = { respond: options.respond || (() => ({ status: 201, body: '{"status":"created"}' })) };
  const forms = { active: options.form ? makeForm(options.form) : null };

  const properties = services.makePropertiesService();
  const lock = services.makeLockService();
  const mail = services.makeMailApp();
  const drive = services.makeDriveApp();
  const fetch = services.makeUrlFetchApp((request) => server.respond(request));
  let context = null;
  const scriptApp = services.makeScriptApp((name) => typeof context[name] === 'function');

  context = vm.createContext({
    FormApp: makeFormApp(() => {
      if (!forms.active) throw new Error('harness: no active form');
      return forms.active;
    }),
    UrlFetchApp: fetch.service,
    Utilities: services.makeUtilities(),
    PropertiesService: properties.service,
    LockService: lock.service,
    ScriptApp: scriptApp.service,
    MailApp: mail.service,
    Session: services.makeSession(OWNER_EMAIL),
    DriveApp: drive.service,
    Logger: { log: record('log') },
    console: { log: record('log'), info: record('info'), warn: record('warn'), error: record('error') },
  });
  // The context has its own Date; only Date.now() is redirected to the test clock.
  context.__clock = clock;
  vm.runInContext('Date.now = function () { return __clock.now(); };', context);
  for (const file of scriptFiles()) {
    vm.runInContext(fs.readFileSync(path.join(SCRIPT_DIR, file), 'utf8'), context, { filename: file });
  }

  return {
    context,
    clock,
    logs,
    server,
    forms,
    requests: fetch.requests,
    properties: properties.store,
    lock: lock.state,
    mails: mail.sent,
    driveFiles: drive.files,
    triggers: scriptApp.triggers,
    ownerEmail: OWNER_EMAIL,
    /** Calls a global function of the script, as the Run button or a trigger would. */
    call(name, ...args) {
      if (typeof context[name] !== 'function') throw new Error(`harness: no global function ${name}`);
      return context[name](...args);
    },
    /** Fires the installable form-submit trigger for a response of the active form. */
    submit(responseSpec) {
      const response = forms.active.addResponse(responseSpec);
      return context.onFormSubmit({
        authMode: 'FULL', triggerUid: 'trigger-1', response, source: forms.active,
      });
    },
    /** Queue records as stored in Script Properties. */
    queue() {
      return [...properties.store]
        .filter(([key]) => key.startsWith('q_'))
        .map(([key, value]) => ({ key, ...JSON.parse(value) }));
    },
    /** Every log line, to check that no secret leaks. */
    allLogText() {
      return logs.map((l) => l.line).join('\n');
    },
  };
}

module.exports = { createHarness, scriptFiles, OWNER_EMAIL };
