/**
 * The run state: one Script Property, written only by retryQueue (under the script lock) and by the
 * setup functions, so onFormSubmit never races for it. onFormSubmit only reads it, to hold answers
 * back while the function is known to be down.
 *   windowStart, mails              the current 24 h window: digests sent
 *   runtimeCredit, creditAt         trigger runtime retry runs may still spend (a token bucket)
 *   sendMs                          the slowest send of the last sending run, to stay within budget
 *   notBefore                       no send before this time (outage probe, Retry-After, blocked)
 *   failedProbes, downSince         the outage being waited out
 *   blocked                         "permission" or "quota" while such an exception pauses sending
 *   outageReportedAt, lastMailAt    when the owner was last told
 *   overflowTold                    the end of the storage-full span last reported
 *   told                            notes already given in this window (each at most once a day)
 *   notes                           what the next digest e-mail will say
 */

const STATE_KEY = '_state';

function stateFrom_(values) {
  const stored = parseJson_(values[STATE_KEY]) || {};
  const number = function (name) { return typeof stored[name] === 'number' ? stored[name] : 0; };
  return {
    windowStart: number('windowStart'),
    runtimeCredit: typeof stored.runtimeCredit === 'number' ? stored.runtimeCredit : SETTINGS.retryRuntimeBurstMs,
    creditAt: number('creditAt'),
    sendMs: number('sendMs'),
    mails: number('mails'),
    notBefore: number('notBefore'),
    failedProbes: number('failedProbes'),
    downSince: number('downSince'),
    blocked: stored.blocked || '',
    outageReportedAt: number('outageReportedAt'),
    lastMailAt: number('lastMailAt'),
    overflowTold: number('overflowTold'),
    told: stored.told && typeof stored.told === 'object' ? stored.told : {},
    notes: stored.notes && typeof stored.notes === 'object' ? stored.notes : {},
  };
}

/** Quotas "reset 24 hours after the first request" (docs/google-cloud.md §5): the window follows that. */
function rollWindow_(state, now) {
  if (!state.windowStart || now - state.windowStart >= DAY_MS) {
    state.windowStart = now;
    state.mails = 0;
    state.told = {};
  }
}

/** Runtime credit earned since the last run, capped: no 24 h span can hold more than rate + burst. */
function refillCredit_(state, now) {
  if (state.creditAt) {
    state.runtimeCredit = Math.min(SETTINGS.retryRuntimeBurstMs,
        state.runtimeCredit + (now - state.creditAt) * SETTINGS.retryRuntimePerDayMs / DAY_MS);
  }
  state.creditAt = now;
}

/** A note that repeats every run while its cause lasts (configuration, permission…): once a window. */
function noteOncePerDay_(state, kind, value) {
  if (state.told[kind]) return;
  state.told[kind] = 1;
  state.notes[kind] = value;
}

/** Why onFormSubmit should queue without trying, or '' to try now. */
function holdReason_(state, now) {
  // During an outage retryQueue alone probes the function: a submission adds no fetch and no wait.
  if (state.notBefore <= now && !state.downSince) return '';
  // Short: it is kept in the queue record. retryQueue sends the answer when the pause is over.
  return state.blocked ? 'held: sending paused (' + state.blocked + ')'
      : 'held: function unavailable since ' + isoTime_(state.downSince);
}

/** The function did not answer usefully: the whole queue waits, longer after each failed probe. */
function openCircuit_(state, now, retryAfterMs) {
  state.failedProbes += 1;
  if (!state.downSince) state.downSince = now;
  const backoff = Math.min(SETTINGS.outageFirstBackoffMs * Math.pow(2, state.failedProbes - 1),
      SETTINGS.outageMaxBackoffMs);
  state.notBefore = now + Math.max(backoff, retryAfterMs || 0);
}

/** The function answered: sending resumes, and an outage the owner was told about is reported over. */
function closeCircuit_(state) {
  if (state.outageReportedAt || state.blocked) state.notes.recovered = 1;
  state.failedProbes = 0;
  state.downSince = 0;
  state.notBefore = 0;
  state.blocked = '';
  state.outageReportedAt = 0;
}

/** A missing permission or a spent quota: reported once, then one try an hour. */
function block_(state, now, kind, message) {
  state.blocked = kind;
  state.notBefore = now + SETTINGS.blockedPauseMs;
  noteOncePerDay_(state, kind, message);
}
