'use strict';
// ScriptApp (triggers, requireAllScopes), LockService and Session, after the Apps Script reference
// (script/script-app, script/clock-trigger-builder, lock/lock, base/session).

const { ScriptError } = require('./runtime');

const EventType = Object.freeze(Object.fromEntries(
  ['CLOCK', 'ON_OPEN', 'ON_EDIT', 'ON_FORM_SUBMIT', 'ON_CHANGE', 'ON_EVENT_UPDATED'].map(
    (name) => [name, Object.freeze({ toString: () => name, toJSON: () => name })]),
));
const AuthMode = Object.freeze(Object.fromEntries(
  ['NONE', 'CUSTOM_FUNCTION', 'LIMITED', 'FULL'].map((name) => [name, Object.freeze({ toString: () => name })]),
));
const ALLOWED_EVERY_MINUTES = new Set([1, 5, 10, 15, 30]);  // ClockTriggerBuilder.everyMinutes
const MAX_TRIGGERS = 20;  // quotas page: 20 triggers / user / script

function makeScriptApp(runtime, functionExists) {
  const triggers = [];
  let nextId = 1;
  const create = (handler, eventType, source) => {
    if (triggers.length >= MAX_TRIGGERS) throw new ScriptError('This script has too many triggers.');
    const trigger = { uid: String(nextId++), handler, eventType, source, createdAt: runtime.clock.now() };
    triggers.push(trigger);
    return wrap(trigger);
  };
  const wrap = (t) => runtime.api('Trigger', {
    getUniqueId: () => t.uid,
    getHandlerFunction: () => t.handler,
    getEventType: () => t.eventType,
    getTriggerSourceId: () => t.source.id,
  });
  const triggerBuilder = (handler) => runtime.api('TriggerBuilder', {
    forForm: (form) => runtime.api('FormTriggerBuilder', {
      onFormSubmit: () => runtime.api('FormTriggerBuilder', {
        create: () => create(handler, EventType.ON_FORM_SUBMIT, { id: form.getId(), detail: {} }),
      }),
    }),
    timeBased() {
      const detail = {};
      const builder = runtime.api('ClockTriggerBuilder', {
        everyMinutes(n) {
          if (!ALLOWED_EVERY_MINUTES.has(n)) throw new ScriptError(`Invalid argument: everyMinutes(${n})`);
          detail.everyMinutes = n;
          return builder;
        },
        everyHours(n) {
          detail.everyHours = n;
          return builder;
        },
        after(ms) {
          detail.after = ms;
          return builder;
        },
        create: () => create(handler, EventType.CLOCK, { id: null, detail }),
      });
      return builder;
    },
  });
  const service = runtime.api('ScriptApp', {
    EventType,
    AuthMode,
    newTrigger(handler) {
      // Apps Script accepts any name; the fake refuses a typo that would only fail at fire time.
      if (!functionExists(handler)) throw new Error(`fake ScriptApp: no global function ${handler}`);
      return triggerBuilder(handler);
    },
    getProjectTriggers: () => triggers.map(wrap),
    deleteTrigger(trigger) {
      const index = triggers.findIndex((t) => t.uid === trigger.getUniqueId());
      if (index < 0) throw new Error('fake ScriptApp.deleteTrigger: unknown trigger');
      triggers.splice(index, 1);
    },
    /**
     * "If any consents are missing, then this method ends the current execution and renders an
     * authorization prompt": in the fake, an exception naming what is missing.
     */
    requireAllScopes(authMode) {
      if (authMode !== AuthMode.FULL) throw new Error('fake ScriptApp.requireAllScopes: use ScriptApp.AuthMode.FULL');
      const missing = [...runtime.manifestScopes].filter((s) => !runtime.granted.has(s));
      if (missing.length) throw new ScriptError(`Authorization is required to perform that action. Missing: ${missing.join(', ')}`);
    },
  });
  return { triggers, service };
}

/** The script lock. `heldByOther` plays another execution holding it; tryLock then waits its timeout. */
function makeLockService(runtime) {
  const state = { heldByOther: false, held: false, acquisitions: 0 };
  const tryLock = (timeoutMs) => {
    if (state.heldByOther) {
      runtime.clock.spend(timeoutMs);
      return false;
    }
    state.held = true;
    state.acquisitions++;
    return true;
  };
  const lock = runtime.api('Lock', {
    tryLock,
    waitLock(timeoutMs) {
      if (!tryLock(timeoutMs)) throw new ScriptError('Lock timeout: another process was holding the lock for too long.');
    },
    hasLock: () => state.held,
    releaseLock() {
      state.held = false;
    },
  });
  return { state, service: runtime.api('LockService', { getScriptLock: () => lock }) };
}

function makeSession(runtime, email) {
  const user = runtime.api('User', { getEmail: () => email });
  return runtime.api('Session', {
    getEffectiveUser: () => user,
    getActiveUser: () => user,
    getScriptTimeZone: () => 'Europe/Paris',
  });
}

module.exports = { makeScriptApp, makeLockService, makeSession, EventType, AuthMode };
