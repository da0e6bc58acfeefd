/**
 * Script Properties as the sender uses them: read whole, once per execution (getProperties() is one
 * call against the 50,000/day read/write quota, docs/google-cloud.md §5), and written per key.
 *
 * Queue records hold references only, never the answers: key "q_<responseId>", value
 * {"t": submittedAt ms, "f": first queued ms, "a": attempts, "n": next try ms, "s": last HTTP status,
 *  "e": last error (short, masked), "k": "r" when refused and not yet reported}.
 * The body is rebuilt from the FormResponse at send time by the builder onFormSubmit uses, so a
 * record costs about 185 bytes with its key and a newer edit of a response simply overwrites its key.
 */

const QUEUE_PREFIX = 'q_';
// Written by onFormSubmit when the store is full: the span of answers that could not be queued.
const OVERFLOW_KEY = '_overflow';

function store_() {
  return PropertiesService.getScriptProperties();
}

/** Every Script Property as a plain object: the configuration, the state and the queue in one read. */
function readStore_() {
  return store_().getProperties();
}

function queueKey_(responseId) {
  return QUEUE_PREFIX + responseId;
}

function isQueueKey_(key) {
  return key.indexOf(QUEUE_PREFIX) === 0;
}

/** The queue records of a snapshot, as [{key, responseId, record, raw}]. */
function queuedRecords_(values) {
  return Object.keys(values).filter(isQueueKey_).map(function (key) {
    return { key: key, responseId: key.slice(QUEUE_PREFIX.length), record: parseJson_(values[key]) || {}, raw: values[key] };
  });
}

/** A record for an answer not delivered yet; `result` is the outcome of the try just made, if any. */
function pendingRecord_(submittedAtMs, result, now) {
  return {
    t: submittedAtMs,
    f: now,
    a: result && result.attempted ? 1 : 0,
    n: now,
    s: result ? result.status : 0,
    e: result ? recordError_(result.message) : '',
  };
}

/** A refused answer waiting for retryQueue to report it and move it to the summary of kept answers. */
function refusedRecord_(submittedAtMs, result, now) {
  const record = pendingRecord_(submittedAtMs, result, now);
  record.k = 'r';
  return record;
}

function recordError_(message) {
  const text = maskPersonal_(String(message || ''));
  return text.length > SETTINGS.recordErrorChars ? text.slice(0, SETTINGS.recordErrorChars - 1) + '…' : text;
}

/**
 * Writes one record unless the store would pass its budget; then marks the span of answers left out
 * (they stay in the form: resendAll() or the server-side reconciler sends them) and returns false.
 */
function keepRecord_(values, key, record) {
  const text = toAsciiJson_(record);
  const previous = values[key];
  const growth = previous === undefined ? utf8Length_(key) + text.length : text.length - utf8Length_(previous);
  if (storeBytes_(values) + growth > SETTINGS.storeBudgetBytes) {
    markOverflow_(values, record.t);
    return false;
  }
  store_().setProperty(key, text);
  values[key] = text;
  return true;
}

function markOverflow_(values, submittedAtMs) {
  const span = parseJson_(values[OVERFLOW_KEY]) || { since: submittedAtMs, until: submittedAtMs };
  span.since = Math.min(span.since, submittedAtMs);
  span.until = Math.max(span.until, submittedAtMs);
  console.error('The script storage is full: the answer submitted at ' + isoTime_(submittedAtMs) +
      ' is not queued; it stays in the form. Once the function is back, resendAll("' +
      isoTime_(span.since - 1) + '", "' + isoTime_(span.until) + '") sends it (the server-side reconciler also finds it).');
  // A few bytes, inside the margin kept beyond the queue budget.
  store_().setProperty(OVERFLOW_KEY, toAsciiJson_(span));
  values[OVERFLOW_KEY] = toAsciiJson_(span);
}

/** Bytes used by the store as the quotas page counts them [guess: keys and values, UTF-8]. */
function storeBytes_(values) {
  let total = 0;
  Object.keys(values).forEach(function (key) { total += utf8Length_(key) + utf8Length_(values[key]); });
  return total;
}

function utf8Length_(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}

function parseJson_(text) {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch (ignored) {
    return null;
  }
}
