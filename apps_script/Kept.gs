/**
 * Answers taken out of the queue for a person to look at: given up after SETTINGS.giveUpAfterMs of
 * failures ("dead"), refused by the function ("refused"), or unreadable from the form. One Script
 * Property, capped at SETTINGS.keptMaxBytes: past the cap only a count and the span of their
 * submission times are kept, enough for resendAll(since, until) (and the server-side reconciler
 * finds them anyway).
 */

const KEPT_KEY = '_kept';

function keptFrom_(values) {
  const stored = parseJson_(values[KEPT_KEY]) || {};
  return {
    items: Array.isArray(stored.items) ? stored.items : [],
    more: stored.more || 0,
    moreSince: stored.moreSince || 0,
    moreUntil: stored.moreUntil || 0,
  };
}

/** entry: {r: responseId, t: submittedAt ms, why: "dead"|"refused"|"unreadable", s: status, e: error}. */
function keepAside_(kept, entry) {
  if (!kept.more) {
    kept.items.push(entry);
    if (toAsciiJson_(kept).length <= SETTINGS.keptMaxBytes) return;
    kept.items.pop();
  }
  kept.more += 1;
  kept.moreSince = kept.moreSince ? Math.min(kept.moreSince, entry.t) : entry.t;
  kept.moreUntil = Math.max(kept.moreUntil, entry.t);
}

/**
 * Puts every answer of the summary back in the queue (after the cause is fixed); retryQueue sends
 * them within its usual caps. Answers past the summary's cap need resendAll(since, until), logged here.
 */
function resendDead() {
  const lock = LockService.getScriptLock();
  lock.waitLock(30 * 1000);
  try {
    const values = readStore_();
    const kept = keptFrom_(values);
    const state = stateFrom_(values);
    const now = nowMs_();
    const updates = {};
    const summary = { queued: 0, alreadyQueued: 0, notListed: kept.more };
    kept.items.forEach(function (entry) {
      const key = queueKey_(entry.r);
      if (values[key] !== undefined || updates[key]) {
        summary.alreadyQueued++;
        return;
      }
      updates[key] = toAsciiJson_(pendingRecord_(entry.t, null, now));
      summary.queued++;
    });
    // The owner says the cause is fixed: the next run tries at once.
    state.notBefore = 0;
    state.blocked = '';
    updates[KEPT_KEY] = toAsciiJson_({ items: [], more: 0, moreSince: 0, moreUntil: 0 });
    updates[STATE_KEY] = toAsciiJson_(state);
    store_().setProperties(updates);
    if (kept.more) {
      summary.since = isoTime_(kept.moreSince - 1);
      summary.until = isoTime_(kept.moreUntil);
      console.warn('resendDead: ' + kept.more + ' more answer(s) were not listed (summary full): run resendAll("' +
          summary.since + '", "' + summary.until + '") to send them too.');
    }
    console.log('resendDead: ' + JSON.stringify(summary) + '; retryQueue sends them within minutes.');
    return summary;
  } finally {
    lock.releaseLock();
  }
}

/** Logs and returns what waits (ids, dates and last errors, never the answers) and what is kept aside. */
function showQueue() {
  const values = readStore_();
  const state = stateFrom_(values);
  const lines = queuedRecords_(values).map(function (item) {
    const r = item.record;
    return (r.k === 'r' ? 'refused ' : 'pending ') + item.responseId + ' submittedAt=' + isoTime_(r.t) +
        ' attempts=' + r.a + ' next=' + isoTime_(r.n) + ' last=' + (r.e || '-');
  });
  keptFrom_(values).items.forEach(function (entry) {
    lines.push('kept (' + entry.why + ') ' + entry.r + ' submittedAt=' + isoTime_(entry.t) + ' last=' + (entry.e || '-'));
  });
  const kept = keptFrom_(values);
  if (kept.more) {
    lines.push('kept: ' + kept.more + ' more not listed, submitted from ' + isoTime_(kept.moreSince) + ' to ' +
        isoTime_(kept.moreUntil) + ': resendAll("' + isoTime_(kept.moreSince - 1) + '", "' + isoTime_(kept.moreUntil) + '")');
  }
  const span = parseJson_(values[OVERFLOW_KEY]);
  if (span) {
    lines.push('storage was full: answers submitted from ' + isoTime_(span.since) + ' to ' + isoTime_(span.until) +
        ' were not queued: resendAll("' + isoTime_(span.since - 1) + '", "' + isoTime_(span.until) + '")');
  }
  if (state.notBefore > nowMs_()) {
    lines.push('sending resumes from ' + isoTime_(state.notBefore) + (state.blocked ? ' (' + state.blocked + ')' : ''));
  }
  console.log(lines.length ? lines.join('\n') : 'The queue is empty.');
  return lines;
}
