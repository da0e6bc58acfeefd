/**
 * The sender: one signed POST per try, and what each answer or exception means for the form side.
 *   2xx                                done (201 created, 200 updated/unchanged, 202 queued)
 *   408, 429, 502, 503, 504, network   unavailable: the whole queue waits (Retry-After respected)
 *   other 5xx                          failed on this answer: it alone backs off
 *   any other status                   refused: not retried, reported in the next digest e-mail,
 *                                      unless the answer says `agencyNotified` (below)
 *   permission or quota exception      blocked: reported, retried once an hour, attempts not counted
 *
 * A refusal whose answer carries `"agencyNotified": true` (the form has the tab "Suivi Ogust") reaches
 * the agency as the function's own e-mail and the tab's row, where the "Renvoyer" box resends it: the
 * script neither lists it in its digest nor keeps it for resendDead(), so one refusal is told once,
 * by one channel. Everything else the function refused, and whatever never reached it, stays the
 * script's to report.
 */

/**
 * Installable form-submit trigger (install() creates it). e.response is the FormResponse and
 * e.source the Form (docs/google-cloud.md §1). It never throws: a failure is logged, and the answer
 * stays in the form, where resendAll() and the server-side reconciler find it.
 */
function onFormSubmit(e) {
  let responseId = '(unknown)';
  try {
    const form = e.source || FormApp.getActiveForm();
    responseId = e.response.getId();
    return submitResponse_(form, e.response, {});
  } catch (err) {
    console.error('onFormSubmit could neither send nor queue response ' + responseId + ': ' +
        maskPersonal_(errorText_(err)) + '. The answer stays in the form; resendAll() or the server-side ' +
        'reconciler sends it.');
    return { outcome: 'lost', status: 0, message: maskPersonal_(errorText_(err)) };
  }
}

/**
 * Sends one response now, or queues a reference to it. options.force (sendTest) tries even while
 * the queue waits for the function. One read of Script Properties, at most one write.
 */
function submitResponse_(form, response, options) {
  const values = readStore_();
  const payload = buildPayload_(form, response);
  const key = queueKey_(payload.responseId);
  const submittedAtMs = Date.parse(payload.submittedAt);
  const config = configFrom_(values);
  const now = nowMs_();
  const hold = options.force ? '' : holdReason_(stateFrom_(values), now);
  let result;
  if (config.error) {
    result = { outcome: 'retry', kind: 'config', status: 0, message: config.error };
  } else if (hold) {
    result = { outcome: 'retry', kind: 'held', status: 0, message: hold };
  } else {
    result = postSigned_(config, payload);
  }
  const label = 'response ' + payload.responseId + ' (submitted ' + payload.submittedAt + ')';
  if (result.outcome === 'done') {
    console.log('Delivered ' + label + ': ' + result.message);
    // An older version of this response waiting in the queue is superseded by the one just sent.
    if (values[key] !== undefined) store_().deleteProperty(key);
  } else if (result.outcome === 'rejected' && result.agencyNotified) {
    console.warn('Refused, not retried: ' + label + ': ' + result.message + ' ' + AGENCY_NOTIFIED_NOTE);
    if (values[key] !== undefined) store_().deleteProperty(key);
  } else if (result.outcome === 'rejected') {
    console.error('Refused, not retried: ' + label + ': ' + result.message + ' ' + statusHint_(result.status));
    keepRecord_(values, key, refusedRecord_(submittedAtMs, result, now));
  } else {
    const level = result.kind === 'held' ? 'log' : 'warn';
    console[level]('Queued ' + label + ': ' + result.message);
    keepRecord_(values, key, pendingRecord_(submittedAtMs, result, now));
  }
  return result;
}

/** POSTs the body with a fresh webhook-timestamp and signature; never throws. */
function postSigned_(config, payload) {
  const body = toAsciiJson_(payload);
  const webhookId = webhookIdFor_(payload.responseId, payload.submittedAt);
  // Standard Webhooks: the timestamp is the attempt time (unix seconds); the id and body stay the same.
  const timestamp = String(Math.floor(nowMs_() / 1000));
  const options = {
    method: 'post',
    contentType: 'application/json',
    payload: body,
    headers: {
      'webhook-id': webhookId,
      'webhook-timestamp': timestamp,
      'webhook-signature': signatureFor_(config.secret, webhookId, timestamp, body),
    },
    // Without this, UrlFetchApp throws on 4xx/5xx and the status and the function's message are lost.
    muteHttpExceptions: true,
    // A redirect would turn the POST into a GET; 3xx counts as a failure (Standard Webhooks).
    followRedirects: false,
  };
  let result;
  try {
    const response = UrlFetchApp.fetch(config.url, options);
    result = classifyResponse_(response.getResponseCode(), response.getContentText(), response.getHeaders());
  } catch (err) {
    result = classifyFetchError_(err);
  }
  result.webhookId = webhookId;
  return result;
}

function classifyResponse_(status, text, headers) {
  const message = 'HTTP ' + status + ': ' + functionMessage_(text);
  const result = { outcome: 'retry', kind: 'failed', status: status, message: message, attempted: true };
  if (status >= 200 && status < 300) {
    result.outcome = 'done';
  } else if ([408, 429, 502, 503, 504].indexOf(status) >= 0) {
    result.kind = 'unavailable';
    result.retryAfterMs = retryAfterMs_(headers);
  } else if (status < 500) {
    result.outcome = 'rejected';
    result.agencyNotified = agencyNotified_(text);
  }
  return result;
}

/** What the script logs instead of keeping a refusal the agency is told of by the function. */
const AGENCY_NOTIFIED_NOTE = 'The agency is told by the function (its e-mail and the "Suivi Ogust" tab, ' +
    'whose "Renvoyer" box resends it): not listed in the digest, not kept for resendDead().';

/** Whether the function's JSON answer says the agency is told of this refusal (`"agencyNotified": true`). */
function agencyNotified_(text) {
  try {
    const parsed = JSON.parse(text);
    return Boolean(parsed && typeof parsed === 'object' && parsed.agencyNotified === true);
  } catch (ignored) {
    return false;  // not the function's JSON (a front-end error page): the script reports it
  }
}

/**
 * fetch() throws for a missing permission, a spent quota, or when no answer came (DNS, refused
 * connection, timeout). Only the last is the function being unreachable; the first two are ours to
 * fix, and retrying them every few minutes would only fail again.
 */
function classifyFetchError_(err) {
  const text = truncate_(maskPersonal_(errorText_(err)));
  if (isPermissionError_(text)) {
    return { outcome: 'retry', kind: 'permission', status: 0, message: 'Permission missing: ' + text };
  }
  if (/too many times for one day|too much computer time|quota|bandwidth/i.test(text)) {
    return { outcome: 'retry', kind: 'quota', status: 0, message: 'Quota used up: ' + text };
  }
  return { outcome: 'retry', kind: 'unavailable', status: 0, message: 'Network error: ' + text, attempted: true };
}

function isPermissionError_(text) {
  return /do not have permission|authorization is required|required permissions/i.test(text);
}

function errorText_(err) {
  return String(err && err.message || err);
}

/** The function's own words: "error" (+ field and question) from its JSON answer, else the raw text. */
function functionMessage_(text) {
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch (ignored) {
    // Not JSON (e.g. a Google front-end error page): fall back to the text.
  }
  if (parsed && typeof parsed === 'object') {
    const parts = [parsed.error || parsed.status || ''];
    if (parsed.field) parts.push('(field: ' + parsed.field + ')');
    if (parsed.question) parts.push('(question: "' + parsed.question + '")');
    const joined = parts.join(' ').trim();
    if (joined) return truncate_(maskPersonal_(joined));
  }
  return truncate_(maskPersonal_(String(text || '').replace(/\s+/g, ' ').trim() || '(empty answer)'));
}

/** Retry-After in seconds or as an HTTP date (Standard Webhooks: honour it); 0 when absent. */
function retryAfterMs_(headers) {
  const names = Object.keys(headers || {});
  for (let i = 0; i < names.length; i++) {
    if (names[i].toLowerCase() !== 'retry-after') continue;
    const value = String(headers[names[i]]).trim();
    if (/^\d+$/.test(value)) return parseInt(value, 10) * 1000;
    const date = Date.parse(value);
    return isNaN(date) ? 0 : Math.max(0, date - nowMs_());
  }
  return 0;
}

/** What a status means and what to do, in the words used by docs/apps-script.md. */
function statusHint_(status) {
  const hints = {
    0: 'The function could not be reached; the script retries on its own.',
    400: 'The function could not read the submission (schema). Update this script from the repository.',
    401: 'Signature refused: WEBHOOK_SECRET differs from the secret the function holds. Fix it in ' +
        'Script properties, then run resendDead().',
    403: 'The function refuses the call: it must allow unauthenticated invocation (allUsers, Cloud Run Invoker).',
    404: 'Nothing at this URL: check WEBHOOK_URL with checkConfig().',
    413: 'The submission is larger than the function accepts.',
    422: 'The mapping rejected the answers: correct them in Ogust by hand, or fix the form or the mapping, ' +
        'then run resendDead().',
  };
  if (hints[status]) return hints[status];
  if (status >= 300 && status < 400) return 'The URL redirects: WEBHOOK_URL must be the exact function URL.';
  if (status >= 500 || status === 408 || status === 429) return 'Temporary problem; the script retries on its own.';
  return 'See docs/apps-script.md, section "What the messages mean".';
}

function truncate_(text) {
  return text.length > SETTINGS.maxErrorChars ? text.slice(0, SETTINGS.maxErrorChars) + '…' : text;
}
