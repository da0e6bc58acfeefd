/**
 * Functions a person runs from the Apps Script editor (Run menu), in this order:
 * setConfig(...) → install() → sendTest(). Then, when needed: resendAll(since), resendDead(),
 * showQueue(), exportFormDescription(), uninstall().
 */

const SUBMIT_HANDLER = 'onFormSubmit';
const RETRY_HANDLER = 'retryQueue';

/**
 * Creates exactly one form-submit trigger and one time-driven retry trigger, whatever existed
 * before (extra copies are deleted), so running it twice is harmless.
 */
function install() {
  readConfig_();  // refuse to start sending before setConfig()
  const lock = LockService.getScriptLock();
  lock.waitLock(30 * 1000);
  try {
    const form = FormApp.getActiveForm();
    ensureOneTrigger_(SUBMIT_HANDLER, ScriptApp.EventType.ON_FORM_SUBMIT, function () {
      ScriptApp.newTrigger(SUBMIT_HANDLER).forForm(form).onFormSubmit().create();
    });
    ensureOneTrigger_(RETRY_HANDLER, ScriptApp.EventType.CLOCK, function () {
      ScriptApp.newTrigger(RETRY_HANDLER).timeBased().everyMinutes(SETTINGS.retryEveryMinutes).create();
    });
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
  console.log('Uninstalled: ' + removed + ' trigger(s) removed; ' + queuedItems_().length +
      ' item(s) left in the queue.');
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
 * Sends the latest response through the normal path. Needed because a response submitted by a
 * script (FormResponse.submit()) does not fire the form-submit trigger: submit the form by hand once.
 */
function sendTest() {
  const form = FormApp.getActiveForm();
  const responses = form.getResponses();
  if (responses.length === 0) {
    throw new Error('The form has no response yet: fill it in once by hand, then run sendTest() again.');
  }
  const result = deliverPayload_(buildPayload_(form, responses[responses.length - 1]));
  console.log('sendTest: ' + result.message + ' - ' + statusHint_(result.status));
  return result.message;
}

/**
 * Sends every response submitted after `since` (a Date, or text such as "2026-11-28" or
 * "2026-11-28T09:00:00Z") through the normal path. The function deduplicates on webhook-id, so a
 * response it already has is answered 200 and not created twice.
 */
function resendAll(since) {
  const sinceDate = parseSince_(since);
  const form = FormApp.getActiveForm();
  const responses = form.getResponses(sinceDate);
  const started = nowMs_();
  const summary = { done: 0, queued: 0, rejected: 0, notSent: 0 };
  for (let i = 0; i < responses.length; i++) {
    if (nowMs_() - started >= SETTINGS.runBudgetMs) {
      summary.notSent = responses.length - i;
      // getResponses(date) returns responses *after* the date: restart 1 ms before the first unsent one.
      const restartAt = new Date(responses[i].getTimestamp().getTime() - 1).toISOString();
      console.warn('resendAll: stopped before the 6-minute limit; run resendAll("' + restartAt +
          '") to send the rest.');
      break;
    }
    const outcome = deliverPayload_(buildPayload_(form, responses[i])).outcome;
    summary[outcome === 'done' ? 'done' : outcome === 'retry' ? 'queued' : 'rejected']++;
  }
  console.log('resendAll since ' + sinceDate.toISOString() + ': ' + JSON.stringify(summary));
  return summary;
}

function parseSince_(since) {
  // Date objects from another context fail `instanceof Date`: duck-type on getTime().
  const date = since && typeof since.getTime === 'function' ? new Date(since.getTime()) : new Date(String(since));
  if (since === undefined || since === null || isNaN(date.getTime())) {
    throw new Error('resendAll(since) needs a date, e.g. resendAll("2026-11-28") (got "' + since + '").');
  }
  return date;
}
