/**
 * The sender: one signed POST per attempt, and what each HTTP status means for the form side.
 *   2xx                     done (201 created, 200 updated/unchanged, 202 queued)
 *   408, 429, 5xx, no reply  kept in the queue and retried by retryQueue()
 *   any other status        not retried; the owner is e-mailed with the function's message
 */

/**
 * Installable form-submit trigger (install() creates it). e.response is the FormResponse and
 * e.source the Form (Apps Script events guide, "Form submit" for Forms).
 */
function onFormSubmit(e) {
  const form = e.source || FormApp.getActiveForm();
  return deliverPayload_(buildPayload_(form, e.response));
}

/**
 * Sends one payload now; a transient failure leaves it in the queue. The same path serves
 * onFormSubmit, sendTest and resendAll, so a resend of a queued submission reuses its queue record.
 */
function deliverPayload_(payload) {
  const body = toAsciiJson_(payload);
  const webhookId = webhookIdFor_(payload.responseId, payload.submittedAt);
  const record = loadItem_(webhookId) || newRecord_(webhookId, payload, body);
  let config;
  try {
    config = readConfig_();
  } catch (err) {
    // Keep the submission (the signature is computed per attempt, not stored), then fail loudly:
    // a failing trigger makes Google e-mail its owner a failure summary.
    keepForRetry_(record, { outcome: 'retry', status: 0, message: err.message });
    throw err;
  }
  return attemptDelivery_(record, config);
}

function newRecord_(webhookId, payload, body) {
  return {
    webhookId: webhookId,
    responseId: payload.responseId,
    submittedAt: payload.submittedAt,
    formTitle: payload.formTitle,
    body: body,
    attempts: 0,
    firstAt: nowMs_(),
    status: 'pending',
  };
}

/** One attempt for a queue record; updates or removes the record; returns {outcome, status, message}. */
function attemptDelivery_(record, config) {
  const result = postSigned_(config, record.webhookId, bodyOf_(record));
  record.attempts += 1;
  const label = record.webhookId + ' (response ' + record.responseId + ', attempt ' + record.attempts + ')';
  if (result.outcome === 'done') {
    console.log('Delivered ' + label + ': ' + result.message);
    forgetItem_(record);
  } else if (result.outcome === 'rejected') {
    console.error('Rejected, not retried: ' + label + ': ' + result.message + ' ' + statusHint_(result.status));
    forgetItem_(record);
    alertRejected_(record, result);
  } else {
    console.warn('Not delivered yet: ' + label + ': ' + result.message);
    keepForRetry_(record, result);
  }
  return result;
}

/** POSTs the body with a fresh webhook-timestamp and signature; never throws. */
function postSigned_(config, webhookId, body) {
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
  let response;
  try {
    response = UrlFetchApp.fetch(config.url, options);
  } catch (err) {
    // DNS failure, connection refused, timeout…: the function may never have seen the request.
    return { outcome: 'retry', status: 0, message: 'Network error: ' + truncate_(String(err && err.message || err)) };
  }
  return classifyResponse_(response.getResponseCode(), response.getContentText(), response.getHeaders());
}

function classifyResponse_(status, text, headers) {
  const message = 'HTTP ' + status + ': ' + functionMessage_(text);
  if (status >= 200 && status < 300) return { outcome: 'done', status: status, message: message };
  if (status === 408 || status === 429 || status >= 500) {
    return { outcome: 'retry', status: status, message: message, retryAfterMs: retryAfterMs_(headers) };
  }
  return { outcome: 'rejected', status: status, message: message };
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
    if (joined) return truncate_(joined);
  }
  return truncate_(String(text || '').replace(/\s+/g, ' ').trim() || '(empty answer)');
}

/** Retry-After in seconds, if the function or Google's front end sent one (Standard Webhooks: honour it). */
function retryAfterMs_(headers) {
  const names = Object.keys(headers || {});
  for (let i = 0; i < names.length; i++) {
    if (names[i].toLowerCase() === 'retry-after') {
      const seconds = parseInt(headers[names[i]], 10);
      return isNaN(seconds) ? 0 : seconds * 1000;
    }
  }
  return 0;
}

/** What a status means and what to do, in the words used by docs/apps-script.md. */
function statusHint_(status) {
  const hints = {
    0: 'The function could not be reached; the script retries on its own.',
    400: 'The function could not read the submission (schema). Update this script from the repository.',
    401: 'Signature refused: WEBHOOK_SECRET differs from the secret the function holds. Fix it with ' +
        'setConfig(), then resend with resendAll(<date>).',
    403: 'The function refuses the call: it must allow unauthenticated invocation (allUsers, Cloud Run Invoker).',
    404: 'Nothing at this URL: check WEBHOOK_URL with checkConfig().',
    413: 'The submission is larger than the function accepts.',
    422: 'The mapping rejected the answers: correct them in Ogust by hand, or fix the form or the mapping, ' +
        'then resend with resendAll(<date>).',
  };
  if (hints[status]) return hints[status];
  if (status >= 300 && status < 400) return 'The URL redirects: WEBHOOK_URL must be the exact function URL.';
  if (status >= 500 || status === 408 || status === 429) return 'Temporary problem; the script retries on its own.';
  return 'See docs/apps-script.md, section "What the messages mean".';
}

function truncate_(text) {
  return text.length > SETTINGS.maxErrorChars ? text.slice(0, SETTINGS.maxErrorChars) + '…' : text;
}
