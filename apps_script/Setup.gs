/**
 * Functions a person runs from the Apps Script editor (Run menu): install() once, after setting
 * WEBHOOK_URL, WEBHOOK_SECRET and ALERT_EMAIL. Then, when needed: sendTest(), resendAll(since), resendDead(),
 * showQueue(), checkConfig(), exportFormDescription(), uninstall().
 */

const SUBMIT_HANDLER = 'onFormSubmit';
const RETRY_HANDLER = 'retryQueue';

/**
 * Asks for every permission, checks the configuration, then creates exactly one form-submit trigger
 * and one time-driven retry trigger whatever existed before (extra copies are deleted), so running
 * it twice is harmless. It also lifts a pause left by a missing permission.
 */
function install() {
  // Granular consent: every scope of the manifest now, not a missing one at the first submission.
  ScriptApp.requireAllScopes(ScriptApp.AuthMode.FULL);
  const lock = LockService.getScriptLock();
  lock.waitLock(30 * 1000);
  try {
    const values = readStore_();
    // Refuse to start before the URL, the secret and the digests' address are set.
    requireAlertEmail_(readConfig_(values));
    const form = FormApp.getActiveForm();
    ensureOneTrigger_(SUBMIT_HANDLER, ScriptApp.EventType.ON_FORM_SUBMIT, function () {
      ScriptApp.newTrigger(SUBMIT_HANDLER).forForm(form).onFormSubmit().create();
    });
    ensureOneTrigger_(RETRY_HANDLER, ScriptApp.EventType.CLOCK, function () {
      ScriptApp.newTrigger(RETRY_HANDLER).timeBased().everyMinutes(SETTINGS.retryEveryMinutes).create();
    });
    const state = stateFrom_(values);
    if (state.blocked) {
      state.blocked = '';
      state.notBefore = 0;
      store_().setProperty(STATE_KEY, toAsciiJson_(state));
    }
  } finally {
    lock.releaseLock();
  }
  console.log('Installed: ' + SUBMIT_HANDLER + ' on form submit, ' + RETRY_HANDLER + ' every ' +
      SETTINGS.retryEveryMinutes + ' minutes.');
  return 'installed';
}

/** Removes this script's triggers. The queue is kept; install() later resumes it. */
function uninstall() {
  let removed = 0;
  ScriptApp.getProjectTriggers().forEach(function (trigger) {
    const handler = trigger.getHandlerFunction();
    if (handler === SUBMIT_HANDLER || handler === RETRY_HANDLER) {
      ScriptApp.deleteTrigger(trigger);
      removed++;
    }
  });
  console.log('Uninstalled: ' + removed + ' trigger(s) removed; ' + queuedRecords_(readStore_()).length +
      ' answer(s) left in the queue.');
  return removed;
}

/**
 * Keeps the first trigger of this handler and event type, deletes every other one for the handler.
 * getProjectTriggers() only sees the current user's triggers: install as the same account each time.
 */
function ensureOneTrigger_(handler, eventType, create) {
  let kept = null;
  ScriptApp.getProjectTriggers().forEach(function (trigger) {
    if (trigger.getHandlerFunction() !== handler) return;
    if (!kept && String(trigger.getEventType()) === String(eventType)) {
      kept = trigger;
    } else {
      ScriptApp.deleteTrigger(trigger);
    }
  });
  if (!kept) create();
}

/**
 * Sends the latest response now, even while the queue waits for the function. Needed because a
 * response submitted by a script (FormResponse.submit()) does not fire the form-submit trigger
 * (docs/google-cloud.md §3): submit the form by hand once.
 */
function sendTest() {
  const form = FormApp.getActiveForm();
  const responses = form.getResponses();
  if (responses.length === 0) {
    throw new Error('The form has no response yet: fill it in once by hand, then run sendTest() again.');
  }
  const result = submitResponse_(form, responses[responses.length - 1], { force: true });
  console.log('sendTest: ' + result.message + ' - ' + statusHint_(result.status));
  return result.message;
}

/**
 * Queues every response submitted after `since` and, if given, up to `until` (Dates, or text such
 * as "2026-11-28" or "2026-11-28T09:00:00Z"); retryQueue sends them within its caps. The function
 * deduplicates on webhook-id, so a response it already has is answered 200 and not created twice.
 * Stops at the storage budget and logs the date to continue from.
 */
function resendAll(since, until) {
  const sinceDate = parseSince_(since);
  const untilMs = until === undefined ? Infinity : parseSince_(until).getTime();
  const lock = LockService.getScriptLock();
  lock.waitLock(30 * 1000);
  try {
    const values = readStore_();
    const responses = FormApp.getActiveForm().getResponses(sinceDate).filter(function (response) {
      return response.getTimestamp().getTime() <= untilMs;
    });
    const now = nowMs_();
    const updates = {};
    let room = SETTINGS.storeBudgetBytes - storeBytes_(values);
    const summary = { queued: 0, alreadyQueued: 0, notQueued: 0 };
    for (let i = 0; i < responses.length; i++) {
      const key = queueKey_(responses[i].getId());
      if (values[key] !== undefined) {
        summary.alreadyQueued++;
        continue;
      }
      const text = toAsciiJson_(pendingRecord_(responses[i].getTimestamp().getTime(), null, now));
      room -= utf8Length_(key) + text.length;
      if (room < 0) {
        summary.notQueued = responses.length - i;
        // getResponses(date) returns responses *after* the date: restart 1 ms before the first left out.
        summary.restartFrom = isoTime_(responses[i].getTimestamp().getTime() - 1);
        console.warn('resendAll: the storage budget is reached; once these are sent, run resendAll("' +
            summary.restartFrom + '"' + (until === undefined ? '' : ', "' + isoTime_(untilMs) + '"') + ') for the rest.');
        break;
      }
      updates[key] = text;
      summary.queued++;
    }
    const state = stateFrom_(values);
    state.notBefore = 0;
    state.blocked = '';
    updates[STATE_KEY] = toAsciiJson_(state);
    store_().setProperties(updates);
    // The storage-full span is now queued (or resendAll said where to continue): forget it.
    const span = parseJson_(values[OVERFLOW_KEY]);
    if (span && !summary.notQueued && sinceDate.getTime() < span.since && untilMs >= span.until) {
      store_().deleteProperty(OVERFLOW_KEY);
    }
    console.log('resendAll since ' + sinceDate.toISOString() + (until === undefined ? '' : ' until ' + isoTime_(untilMs)) +
        ': ' + JSON.stringify(summary) +
        '; retryQueue sends them, ' + SETTINGS.retryMaxSends + ' every ' + SETTINGS.retryEveryMinutes + ' minutes.');
    return summary;
  } finally {
    lock.releaseLock();
  }
}

function parseSince_(since) {
  // Date objects from another context fail `instanceof Date`: duck-type on getTime().
  const date = since && typeof since.getTime === 'function' ? new Date(since.getTime()) : new Date(String(since));
  if (since === undefined || since === null || isNaN(date.getTime())) {
    throw new Error('resendAll(since, until) needs dates, e.g. resendAll("2026-11-28") (got "' + since + '").');
  }
  return date;
}
