/**
 * Retry queue: one Script Property per submission, key "q_<webhookId>", value JSON
 * {webhookId, responseId, submittedAt, formTitle, body | bodyFileId, attempts, firstAt, nextAt,
 *  lastError, lastStatus, status: "pending" | "dead"}.
 * One property per item because a value may hold at most 9 KB; a bigger body goes to a Drive file.
 * HTTP functions are never retried by Google, so the form side owns the retries.
 */

const QUEUE_PREFIX = 'q_';

/**
 * Time-driven trigger (install() creates it): resends due items with exponential backoff.
 * Runs under the script lock so two overlapping runs never send the same item twice.
 */
function retryQueue() {
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(SETTINGS.lockWaitMs)) {
    console.log('retryQueue: another run holds the lock; nothing done this time.');
    return { sent: 0, skipped: 'locked' };
  }
  try {
    return processDueItems_();
  } finally {
    lock.releaseLock();
  }
}

function processDueItems_() {
  const items = queuedItems_();
  if (items.length === 0) return { sent: 0 };
  const config = readConfig_();
  const started = nowMs_();
  const due = items
      .filter(function (r) { return r.status !== 'dead' && r.nextAt <= started; })
      .sort(function (a, b) { return a.nextAt - b.nextAt; });
  let sent = 0;
  for (let i = 0; i < due.length && nowMs_() - started < SETTINGS.runBudgetMs; i++) {
    attemptDelivery_(due[i], config);
    sent++;
  }
  console.log('retryQueue: ' + sent + ' attempt(s), ' + queuedItems_().length + ' item(s) left in the queue.');
  return { sent: sent };
}

/**
 * Manual resend of every item marked dead (after the problem is fixed). An item that still fails
 * stays dead; one that is rejected is removed and mailed like any rejection.
 */
function resendDead() {
  const lock = LockService.getScriptLock();
  lock.waitLock(30 * 1000);
  try {
    const config = readConfig_();
    const dead = queuedItems_().filter(function (r) { return r.status === 'dead'; });
    const summary = { done: 0, rejected: 0, stillFailing: 0 };
    dead.forEach(function (record) {
      const outcome = attemptDelivery_(record, config).outcome;
      if (outcome === 'done') summary.done++;
      else if (outcome === 'rejected') summary.rejected++;
      else summary.stillFailing++;
    });
    console.log('resendDead: ' + JSON.stringify(summary));
    return summary;
  } finally {
    lock.releaseLock();
  }
}

/** Logs and returns what is waiting in the queue (no answers, only ids, dates and last errors). */
function showQueue() {
  const lines = queuedItems_().map(function (r) {
    return r.status + ' ' + r.webhookId + ' response=' + r.responseId + ' submittedAt=' + r.submittedAt +
        ' attempts=' + r.attempts + ' next=' + (r.nextAt ? new Date(r.nextAt).toISOString() : '-') + ' last=' + r.lastError;
  });
  console.log(lines.length ? lines.join('\n') : 'The queue is empty.');
  return lines;
}

/** Keeps a record after a transient failure: schedules the next attempt, or gives up once. */
function keepForRetry_(record, result) {
  const now = nowMs_();
  record.lastError = result.message;
  record.lastStatus = result.status;
  record.lastAttemptAt = now;
  if (record.status === 'dead') {
    // A manual resend that failed again: keep it dead, the owner already knows.
    saveItem_(record);
    return;
  }
  if (now - record.firstAt >= SETTINGS.giveUpAfterMs) {
    record.status = 'dead';
    saveItem_(record);
    console.error('Giving up on ' + record.webhookId + ' after ' + record.attempts + ' attempts: ' + record.lastError);
    alertDead_(record);
    return;
  }
  // The last attempt happens at the give-up time, so an item is declared dead close to 72 h, not 78 h.
  record.nextAt = Math.min(now + Math.max(backoffMs_(record.attempts), result.retryAfterMs || 0),
      record.firstAt + SETTINGS.giveUpAfterMs);
  saveItem_(record);
}

/** 5 min, 10 min, 20 min… capped at 6 h: about 15 attempts within the 72 h before giving up. */
function backoffMs_(attempts) {
  const exponent = Math.max(attempts, 1) - 1;
  return Math.min(SETTINGS.firstBackoffMs * Math.pow(2, exponent), SETTINGS.maxBackoffMs);
}

function queueKey_(webhookId) {
  return QUEUE_PREFIX + webhookId;
}

/** Writes the record; a value over the Properties limit keeps its body in a Drive file instead. */
function saveItem_(record) {
  let text = storedText_(record, true);
  if (text.length > SETTINGS.propertyValueMaxBytes) {
    if (!record.bodyFileId) {
      record.bodyFileId = DriveApp.createFile('forms-to-ogust ' + record.webhookId + '.json', record.body).getId();
    }
    text = storedText_(record, false);
  }
  // toAsciiJson_ keeps the value ASCII, so its length in characters is its size in bytes.
  PropertiesService.getScriptProperties().setProperty(queueKey_(record.webhookId), text);
}

function storedText_(record, withBody) {
  const stored = {};
  Object.keys(record).forEach(function (key) {
    if (key !== 'body' || (withBody && !record.bodyFileId)) stored[key] = record[key];
  });
  return toAsciiJson_(stored);
}

function loadItem_(webhookId) {
  const text = PropertiesService.getScriptProperties().getProperty(queueKey_(webhookId));
  return text ? JSON.parse(text) : null;
}

function queuedItems_() {
  const props = PropertiesService.getScriptProperties();
  return props.getKeys()
      .filter(function (key) { return key.indexOf(QUEUE_PREFIX) === 0; })
      .map(function (key) { return JSON.parse(props.getProperty(key)); });
}

/** The exact body first sent: the same bytes must be re-signed on every attempt. */
function bodyOf_(record) {
  if (record.body === undefined && record.bodyFileId) {
    record.body = DriveApp.getFileById(record.bodyFileId).getBlob().getDataAsString();
  }
  return record.body;
}

/** Removes a delivered or rejected record (and its Drive file). */
function forgetItem_(record) {
  PropertiesService.getScriptProperties().deleteProperty(queueKey_(record.webhookId));
  if (record.bodyFileId) {
    try {
      DriveApp.getFileById(record.bodyFileId).setTrashed(true);
    } catch (err) {
      console.warn('Could not trash Drive file ' + record.bodyFileId + ': ' + err.message);
    }
  }
}
