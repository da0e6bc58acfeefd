'use strict';
// What Apps Script does around every service call, so the fakes fail where the real thing fails:
// - the OAuth check: a method whose scopes (scopes.js) are not in appsscript.json, or not granted
//   by the user (granular consent), throws "You do not have permission to call …";
// - the 6-minute execution limit and the daily quotas, on the fake clock. Quotas "are per user and
//   reset 24 hours after the first request" (docs/google-cloud.md §5).
// Time only moves when the test moves it or when a call costs time (fetch latency, start-up).

const { SCOPES } = require('./scopes');

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const EXECUTION_LIMIT_MS = 6 * MINUTE;  // "Script runtime 6 min / execution" (§1.5)

// Consumer-account quotas (§1.5). Properties "read/write" is one quota for both ("Property GET or
// SET" in the Apps Script dashboard); each call counts once [guess: getProperties() counts as one].
const QUOTAS = {
  properties: { limit: 50000, message: 'Service invoked too many times for one day: properties.' },
  urlfetch: { limit: 20000, message: 'Service invoked too many times for one day: urlfetch.' },
  email: { limit: 100, message: 'Service invoked too many times for one day: email.' },
  triggerRuntimeMs: { limit: 90 * MINUTE, message: 'Service using too much computer time for one day' },
};

// [guess] Time an execution spends before the script's first line, and a fetch by default.
const DEFAULT_COSTS = { executionMs: 500, fetchMs: 1000 };

/** An exception as Apps Script throws it: String(err) is "Exception: <message>". */
class ScriptError extends Error {
  constructor(message) {
    super(message);
    this.name = 'Exception';
  }
}

function makeClock(start) {
  const real = start === 'real' || start === undefined;
  return {
    real,
    ms: real ? null : start,
    now() {
      return this.real ? Date.now() : this.ms;
    },
    /** Moves the fake clock; a no-op on the real clock (costs are then not simulated). */
    spend(ms) {
      if (!this.real) this.ms += ms;
    },
    advance(ms) {
      if (this.real) throw new Error('harness: cannot advance the real clock');
      this.ms += ms;
    },
    set(ms) {
      if (this.real) throw new Error('harness: cannot set the real clock');
      this.ms = ms;
    },
  };
}

/** A daily quota in rolling windows that start at the first use; remembers every window's use. */
class DailyQuota {
  constructor(name, { limit, message }) {
    Object.assign(this, { name, limit, message, windows: [], refused: 0 });
  }

  window(now) {
    const current = this.windows.at(-1);
    if (current && now - current.start < DAY) return current;
    const fresh = { start: now, used: 0, byKind: {} };
    this.windows.push(fresh);
    return fresh;
  }

  /** Counts `amount`, or throws the service's own message when the window's quota is spent. */
  use(now, amount = 1, kind = 'calls') {
    const window = this.window(now);
    if (window.used + amount > this.limit) {
      this.refused++;
      throw new ScriptError(this.message);
    }
    window.used += amount;
    window.byKind[kind] = (window.byKind[kind] || 0) + amount;
  }

  remaining(now) {
    return Math.max(0, this.limit - this.window(now).used);
  }

  /** The largest use of any window, in total or for one kind. */
  peak(kind) {
    return Math.max(0, ...this.windows.map((w) => (kind ? w.byKind[kind] || 0 : w.used)));
  }

  total(kind) {
    return this.windows.reduce((n, w) => n + (kind ? w.byKind[kind] || 0 : w.used), 0);
  }
}

/**
 * manifest: the parsed appsscript.json; granted: the scopes the user ticked (all of the manifest's
 * by default).
 */
function makeRuntime({ clock, manifest, granted, costs }) {
  const runtime = {
    clock,
    costs: { ...DEFAULT_COSTS, ...costs },
    manifestScopes: new Set(manifest.oauthScopes || []),
    granted: new Set(granted || manifest.oauthScopes || []),
    quotas: Object.fromEntries(Object.entries(QUOTAS).map(([name, spec]) => [name, new DailyQuota(name, spec)])),
    calls: new Map(),
    denied: [],
    execution: null,

    /** Every call of the script into a service goes through here first. */
    check(method) {
      const scopes = SCOPES[method];
      if (scopes === undefined) {
        throw new Error(`fake: ${method} is not in test/fakes/scopes.js; add it from its Apps Script reference page`);
      }
      if (scopes.length && !scopes.some((s) => runtime.manifestScopes.has(s) && runtime.granted.has(s))) {
        const listed = scopes.length === 1 ? scopes[0] : `(${scopes.join(' || ')})`;
        runtime.denied.push(method);
        throw new ScriptError(`You do not have permission to call ${method}. Required permissions: ${listed}`);
      }
      if (runtime.execution && clock.now() - runtime.execution.start > EXECUTION_LIMIT_MS) {
        throw new ScriptError('Exceeded maximum execution time');
      }
      runtime.calls.set(method, (runtime.calls.get(method) || 0) + 1);
    },

    /** An Apps Script object of class `type`: each method is checked before it runs. */
    api(type, methods) {
      const object = {};
      for (const [name, value] of Object.entries(methods)) {
        object[name] = typeof value !== 'function' ? value : (...args) => {
          runtime.check(`${type}.${name}`);
          return value(...args);
        };
      }
      return object;
    },

    /** Runs fn as one execution: start-up cost, the 6-minute limit, and trigger runtime if a trigger. */
    execute(name, trigger, fn) {
      const start = clock.now();
      const runtimeQuota = runtime.quotas.triggerRuntimeMs;
      if (trigger && runtimeQuota.remaining(start) <= 0) {
        // The trigger does not run; Google mails its owner a failure summary with this message.
        runtimeQuota.refused++;
        return { skipped: runtimeQuota.message };
      }
      runtime.execution = { name, start };
      clock.spend(runtime.costs.executionMs);
      try {
        return fn();
      } finally {
        runtime.execution = null;
        if (trigger) runtimeQuota.window(start).used += clock.now() - start;
        if (trigger) runtimeQuota.window(start).byKind[name] = (runtimeQuota.window(start).byKind[name] || 0) +
          clock.now() - start;
        if (runtime.onExecutionEnd) runtime.onExecutionEnd();
      }
    },
  };
  return runtime;
}

module.exports = { makeClock, makeRuntime, DailyQuota, ScriptError, QUOTAS, DEFAULT_COSTS, DAY, MINUTE };
