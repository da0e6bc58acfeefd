/**
 * retryQueue: the time-driven trigger that sends what onFormSubmit could not. Each run reads Script
 * Properties once, sends at most SETTINGS.retryMaxSends answers for at most SETTINGS.retryRunMaxMs
 * and within its credit of trigger runtime (State.gs), then writes everything back in one setProperties()
 * (plus one delete per answer delivered). HTTP functions are never retried by Google
 * (docs/google-cloud.md §8), so the form side owns the retries.
 */

/** Runs under the script lock so two overlapping runs never send the same answer twice. */
function retryQueue() {
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(SETTINGS.lockWaitMs)) {
    console.log('retryQueue: another run holds the lock; nothing done this time.');
    return { sent: 0, skipped: 'locked' };
  }
  try {
    return retryRun_();
  } finally {
    lock.releaseLock();
  }
}

function retryRun_() {
  const values = readStore_();
  const run = {
    started: nowMs_(),
    values: values,
    state: stateFrom_(values),
    kept: keptFrom_(values),
    puts: {},
    deletes: {},
    sent: 0,
    delivered: 0,
  };
  const stateBefore = toAsciiJson_(run.state);
  const keptBefore = toAsciiJson_(run.kept);
  rollWindow_(run.state, run.started);
  const records = queuedRecords_(values);
  const pending = settleRecords_(run, records);
  const config = configFrom_(values);
  if (config.error) {
    noteOncePerDay_(run.state, 'config', config.error);
  } else {
    sendDue_(run, config, pending);
  }
  noteOverflow_(run);
  const waiting = records.length - Object.keys(run.deletes).filter(isQueueKey_).length;
  noteOutage_(run, waiting);
  if (run.sent) run.state.runtimeCredit -= nowMs_() - run.started + SETTINGS.runOverheadMs;
  sendDigest_(run, config, waiting);
  commit_(run, stateBefore, keptBefore);
  if (run.sent || Object.keys(run.deletes).length) {
    console.log('retryQueue: ' + run.sent + ' sent, ' + run.delivered + ' delivered, ' + waiting + ' waiting.');
  }
  return { sent: run.sent, delivered: run.delivered, waiting: waiting };
}

/** Moves refused records and those past the give-up time to the summary; returns the rest. */
function settleRecords_(run, records) {
  const notes = run.state.notes;
  return records.filter(function (item) {
    const r = item.record;
    if (r.k === 'r') {
      keepAside_(run.kept, { r: item.responseId, t: r.t, why: 'refused', s: r.s, e: r.e });
      noteAnswer_(notes, 'refused', { t: r.t, s: r.s, e: r.e });
    } else if (run.started - r.f >= SETTINGS.giveUpAfterMs && stillFailing_(run.state, r)) {
      keepAside_(run.kept, { r: item.responseId, t: r.t, why: 'dead', s: r.s, e: r.e });
      noteAnswer_(notes, 'dead', { t: r.t, s: r.s, e: r.e });
    } else {
      return true;
    }
    run.deletes[item.key] = true;
    return false;
  });
}

/**
 * An old answer is given up only while it fails: the function is down or blocked, or it failed on
 * this answer itself. One merely waiting for its turn (a slow function, the daily budget) is not.
 */
function stillFailing_(state, record) {
  if (state.downSince || state.blocked) return true;
  return record.a > 0 && record.s >= 500 && [502, 503, 504].indexOf(record.s) < 0;
}

/** Sends due answers, oldest first, until a cap is reached or the function proves unavailable. */
function sendDue_(run, config, pending) {
  const state = run.state;
  if (state.notBefore > run.started) return;
  const due = pending
      .filter(function (item) { return (item.record.n || 0) <= run.started; })
      .sort(function (a, b) { return (a.record.n - b.record.n) || (a.record.t - b.record.t); });
  if (!due.length) return;  // an idle run writes nothing
  refillCredit_(state, run.started);
  let form = null;
  let failuresInRow = 0;
  let slowest = 0;
  for (let i = 0; i < due.length && run.sent < SETTINGS.retryMaxSends; i++) {
    const elapsed = nowMs_() - run.started;
    if (elapsed >= SETTINGS.retryRunMaxMs) break;
    // The next send may take as long as the slowest one seen lately: it must fit in the budget too.
    if (elapsed + SETTINGS.runOverheadMs + state.sendMs > state.runtimeCredit) {
      noteOncePerDay_(state, 'budget', 1);
      break;
    }
    form = form || FormApp.getActiveForm();
    const item = due[i];
    const sendStarted = nowMs_();
    const result = sendQueued_(run, form, config, item);
    slowest = Math.max(slowest, nowMs_() - sendStarted);
    if (result.outcome === 'done' || result.outcome === 'rejected' || result.outcome === 'gone') {
      failuresInRow = 0;
      if (result.outcome !== 'gone') closeCircuit_(state);
      continue;
    }
    const now = nowMs_();
    if (result.kind === 'permission' || result.kind === 'quota') {
      // Not the answer's fault: its record stays as it is.
      block_(state, now, result.kind, result.message);
      break;
    }
    const record = item.record;
    record.a = (record.a || 0) + 1;
    record.s = result.status;
    record.e = recordError_(result.message);
    if (result.kind === 'unavailable') {
      run.puts[item.key] = toAsciiJson_(record);
      openCircuit_(state, now, result.retryAfterMs);
      break;
    }
    record.n = now + backoffMs_(record.a);
    run.puts[item.key] = toAsciiJson_(record);
    if (++failuresInRow >= 3) {
      openCircuit_(state, now, 0);
      break;
    }
  }
  if (slowest) state.sendMs = slowest;
}

/** One queued answer: rebuilt from the form (its newest version), signed and sent. */
function sendQueued_(run, form, config, item) {
  let response;
  try {
    response = form.getResponse(item.responseId);
  } catch (err) {
    const text = maskPersonal_(errorText_(err));
    if (isPermissionError_(text)) return { outcome: 'retry', kind: 'permission', status: 0, message: text };
    // "Throws if the response does not exist" (Form.getResponse): deleted from the form, most likely.
    run.deletes[item.key] = true;
    keepAside_(run.kept, { r: item.responseId, t: item.record.t, why: 'unreadable', s: 0, e: recordError_(text) });
    run.state.notes.gone = (run.state.notes.gone || 0) + 1;
    return { outcome: 'gone' };
  }
  const result = postSigned_(config, buildPayload_(form, response));
  if (result.attempted) run.sent++;
  if (result.outcome === 'done') {
    run.delivered++;
    run.deletes[item.key] = true;
    console.log('Delivered response ' + item.responseId + ' (attempt ' + ((item.record.a || 0) + 1) + '): ' + result.message);
  } else if (result.outcome === 'rejected' && result.agencyNotified) {
    run.deletes[item.key] = true;
    console.warn('Refused, not retried: response ' + item.responseId + ': ' + result.message + ' ' + AGENCY_NOTIFIED_NOTE);
  } else if (result.outcome === 'rejected') {
    run.deletes[item.key] = true;
    keepAside_(run.kept, { r: item.responseId, t: item.record.t, why: 'refused', s: result.status,
      e: recordError_(result.message) });
    noteAnswer_(run.state.notes, 'refused', { t: item.record.t, s: result.status, e: recordError_(result.message) });
    console.error('Refused, not retried: response ' + item.responseId + ': ' + result.message);
  } else {
    console.warn('Not delivered yet: response ' + item.responseId + ': ' + result.message);
  }
  return result;
}

/** 5 min, 10 min, 20 min… capped at 6 h, for an answer the function fails on while others pass. */
function backoffMs_(attempts) {
  const exponent = Math.max(attempts, 1) - 1;
  return Math.min(SETTINGS.firstBackoffMs * Math.pow(2, exponent), SETTINGS.maxBackoffMs);
}

/**
 * The span of answers onFormSubmit could not queue goes to the next digest whenever it grew. The
 * mark itself stays until a resendAll() covers it, so every digest and showQueue() give the whole span.
 */
function noteOverflow_(run) {
  const span = parseJson_(run.values[OVERFLOW_KEY]);
  if (!span || run.state.overflowTold === span.until) return;
  run.state.overflowTold = span.until;
  run.state.notes.overflow = { since: span.since, until: span.until };
}

function noteOutage_(run, waiting) {
  const state = run.state;
  const now = nowMs_();
  if (!state.downSince || now - state.downSince < SETTINGS.outageReportAfterMs) return;
  if (state.outageReportedAt && now - state.outageReportedAt < SETTINGS.outageReminderMs) return;
  state.notes.outage = { since: state.downSince, waiting: waiting };
  delete state.notes.recovered;
  state.outageReportedAt = now;
}

/**
 * Writes the run's changes. The second read skips any record onFormSubmit rewrote during the run (an
 * edit of that response arrived): its newer record wins. Deletes go first, to free room.
 */
function commit_(run, stateBefore, keptBefore) {
  const props = store_();
  const keys = Object.keys(run.puts).concat(Object.keys(run.deletes));
  if (keys.length) {
    const fresh = props.getProperties();
    keys.forEach(function (key) {
      if (fresh[key] !== run.values[key]) {
        delete run.puts[key];
        delete run.deletes[key];
      }
    });
  }
  Object.keys(run.deletes).forEach(function (key) { props.deleteProperty(key); });
  const stateText = toAsciiJson_(run.state);
  if (stateText !== stateBefore) run.puts[STATE_KEY] = stateText;
  const keptText = toAsciiJson_(run.kept);
  if (keptText !== keptBefore) run.puts[KEPT_KEY] = keptText;
  if (Object.keys(run.puts).length) props.setProperties(run.puts);
}
