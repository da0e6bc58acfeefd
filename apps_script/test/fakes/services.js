'use strict';
// Stand-ins for the Apps Script services the sender uses, following the Apps Script reference rather
// than shortcuts: Byte[] values are SIGNED (-128..127), Properties values are strings of at most
// 9 KB, UrlFetchApp throws on 4xx/5xx unless muteHttpExceptions is set, and so on. Each fake also
// refuses calls the real service would refuse or that would silently go wrong there.

const crypto = require('node:crypto');

const PROPERTY_VALUE_MAX_BYTES = 9 * 1024;  // quotas page: "Properties value size 9kB / val"
const PROPERTY_STORE_MAX_BYTES = 500 * 1024;  // "Properties total storage 500kB / property store"

// ---------- bytes ----------

function toSignedBytes(buffer) {
  return Array.from(buffer, (b) => (b > 127 ? b - 256 : b));
}

function fromByteArray(bytes) {
  if (!Array.isArray(bytes)) throw new Error('fake Utilities: expected a Byte[] (array)');
  for (const b of bytes) {
    if (!Number.isInteger(b) || b < -128 || b > 127) {
      throw new Error(`fake Utilities: ${b} is not a Java byte (-128..127)`);
    }
  }
  return Buffer.from(bytes.map((b) => b & 0xff));
}

function isAscii(text) {
  return /^[\x00-\x7f]*$/.test(text);
}

const Charset = Object.freeze({
  UTF_8: Object.freeze({ toString: () => 'UTF_8' }),
  US_ASCII: Object.freeze({ toString: () => 'US_ASCII' }),
});

/** A string argument becomes bytes: UTF-8 with Charset.UTF_8; without a charset only ASCII is safe. */
function textBytes(value, charset, method) {
  if (charset === Charset.UTF_8) return Buffer.from(value, 'utf8');
  if (charset === Charset.US_ASCII || charset === undefined) {
    // The string overloads without a Charset are reported not to encode non-ASCII as UTF-8
    // reliably (reference/google-cloud.md §1.6): refuse, so the script cannot depend on it.
    if (!isAscii(value)) throw new Error(`fake Utilities.${method}: non-ASCII string without Charset.UTF_8`);
    return Buffer.from(value, 'ascii');
  }
  throw new Error(`fake Utilities.${method}: unknown charset ${charset}`);
}

function bytesOf(value, charset, method) {
  return typeof value === 'string' ? textBytes(value, charset, method) : fromByteArray(value);
}

function makeBlob(bytes, contentType, name) {
  let data = Buffer.from(bytes);
  const blob = {
    getBytes: () => toSignedBytes(data),
    getDataAsString: (charset) => {
      if (charset !== undefined && String(charset) !== 'UTF-8' && charset !== Charset.UTF_8) {
        throw new Error(`fake Blob: charset ${charset} not supported`);
      }
      return data.toString('utf8');
    },
    setDataFromString: (text) => {
      data = Buffer.from(text, 'utf8');
      return blob;
    },
    getContentType: () => contentType || null,
    getName: () => name || null,
  };
  return blob;
}

function makeUtilities() {
  const base64Encode = (data, charset) => bytesOf(data, charset, 'base64Encode').toString('base64');
  return {
    Charset,
    DigestAlgorithm: Object.freeze({ SHA_256: 'SHA_256', SHA_1: 'SHA_1', MD5: 'MD5' }),
    computeHmacSha256Signature(value, key, charset) {
      if (arguments.length < 2) throw new Error('fake Utilities.computeHmacSha256Signature: value and key needed');
      const mac = crypto.createHmac('sha256', bytesOf(key, charset, 'computeHmacSha256Signature'));
      mac.update(bytesOf(value, charset, 'computeHmacSha256Signature'));
      return toSignedBytes(mac.digest());
    },
    computeDigest(algorithm, value, charset) {
      const names = { SHA_256: 'sha256', SHA_1: 'sha1', MD5: 'md5' };
      if (!names[algorithm]) throw new Error(`fake Utilities.computeDigest: ${algorithm} not supported`);
      return toSignedBytes(crypto.createHash(names[algorithm]).update(bytesOf(value, charset, 'computeDigest')).digest());
    },
    base64Encode,
    base64EncodeWebSafe: (data, charset) => bytesOf(data, charset, 'base64EncodeWebSafe').toString('base64url'),
    base64Decode(encoded) {
      if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
        throw new Error('Could not decode string.');
      }
      return toSignedBytes(Buffer.from(encoded, 'base64'));
    },
    newBlob(data, contentType, name) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : fromByteArray(data);
      return makeBlob(bytes, contentType, name);
    },
    sleep() {
      throw new Error('fake Utilities.sleep: the sender must not sleep (it wastes trigger runtime)');
    },
  };
}

// ---------- PropertiesService ----------

function makePropertiesService() {
  const store = new Map();
  const totalBytes = () => [...store].reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  const check = (key, value) => {
    if (typeof key !== 'string' || typeof value !== 'string') {
      throw new Error(`fake PropertiesService: key and value must be strings (key ${key})`);
    }
    if (Buffer.byteLength(value, 'utf8') > PROPERTY_VALUE_MAX_BYTES) {
      throw new Error('Exception: Argument too large: value');
    }
  };
  const properties = {
    getProperty: (key) => (store.has(key) ? store.get(key) : null),
    getProperties: () => Object.fromEntries(store),
    getKeys: () => [...store.keys()],
    setProperty(key, value) {
      check(key, value);
      const previous = store.get(key);
      store.set(key, value);
      if (totalBytes() > PROPERTY_STORE_MAX_BYTES) {
        if (previous === undefined) store.delete(key);
        else store.set(key, previous);
        throw new Error('Exception: You have exceeded the property storage quota.');
      }
      return properties;
    },
    setProperties(values, deleteAllOthers) {
      for (const [key, value] of Object.entries(values)) check(key, value);
      if (deleteAllOthers) store.clear();
      for (const [key, value] of Object.entries(values)) store.set(key, value);
      return properties;
    },
    deleteProperty(key) {
      store.delete(key);
      return properties;
    },
    deleteAllProperties() {
      store.clear();
      return properties;
    },
  };
  return { store, service: { getScriptProperties: () => properties } };
}

// ---------- LockService ----------

function makeLockService() {
  const state = { heldByOther: false, held: false, acquisitions: 0 };
  const lock = {
    tryLock() {
      if (state.heldByOther) return false;
      state.held = true;
      state.acquisitions++;
      return true;
    },
    waitLock() {
      if (!lock.tryLock()) throw new Error('Lock timeout: another process was holding the lock for too long.');
    },
    hasLock: () => state.held,
    releaseLock() {
      state.held = false;
    },
  };
  return { state, service: { getScriptLock: () => lock } };
}

// ---------- ScriptApp ----------

const EventType = Object.freeze(Object.fromEntries(
  ['CLOCK', 'ON_OPEN', 'ON_EDIT', 'ON_FORM_SUBMIT', 'ON_CHANGE', 'ON_EVENT_UPDATED'].map(
    (name) => [name, Object.freeze({ toString: () => name, toJSON: () => name })]),
));
const ALLOWED_EVERY_MINUTES = new Set([1, 5, 10, 15, 30]);  // ClockTriggerBuilder.everyMinutes
const MAX_TRIGGERS = 20;  // quotas page: 20 triggers / user / script

function makeScriptApp(functionExists) {
  const triggers = [];
  let nextId = 1;
  const create = (handler, eventType, source) => {
    if (triggers.length >= MAX_TRIGGERS) throw new Error('This script has too many triggers.');
    const trigger = {
      uid: String(nextId++), handler, eventType, source,
    };
    triggers.push(trigger);
    return wrap(trigger);
  };
  const wrap = (t) => ({
    getUniqueId: () => t.uid,
    getHandlerFunction: () => t.handler,
    getEventType: () => t.eventType,
    getTriggerSourceId: () => t.source.id,
  });
  return {
    triggers,
    service: {
      EventType,
      newTrigger(handler) {
        // Apps Script accepts any name; the fake refuses a typo that would only fail at fire time.
        if (!functionExists(handler)) throw new Error(`fake ScriptApp: no global function ${handler}`);
        return {
          forForm(form) {
            return {
              onFormSubmit: () => ({ create: () => create(handler, EventType.ON_FORM_SUBMIT, { id: form.getId(), detail: {} }) }),
              onOpen: () => ({ create: () => create(handler, EventType.ON_OPEN, { id: form.getId(), detail: {} }) }),
            };
          },
          timeBased() {
            const detail = {};
            const builder = {
              everyMinutes(n) {
                if (!ALLOWED_EVERY_MINUTES.has(n)) throw new Error(`Invalid argument: everyMinutes(${n})`);
                detail.everyMinutes = n;
                return builder;
              },
              everyHours(n) {
                detail.everyHours = n;
                return builder;
              },
              after(ms) {
                detail.after = ms;
                return builder;
              },
              create: () => create(handler, EventType.CLOCK, { id: null, detail }),
            };
            return builder;
          },
        };
      },
      getProjectTriggers: () => triggers.map(wrap),
      deleteTrigger(trigger) {
        const index = triggers.findIndex((t) => t.uid === trigger.getUniqueId());
        if (index < 0) throw new Error('fake ScriptApp.deleteTrigger: unknown trigger');
        triggers.splice(index, 1);
      },
    },
  };
}

// ---------- MailApp, Session, DriveApp ----------

function makeMailApp() {
  const sent = [];
  return {
    sent,
    service: {
      sendEmail(recipient, subject, body) {
        if (typeof recipient === 'object') sent.push({ ...recipient });
        else sent.push({ to: recipient, subject, body });
      },
      getRemainingDailyQuota: () => 100 - sent.length,
    },
  };
}

function makeSession(email) {
  const user = { getEmail: () => email };
  return { getEffectiveUser: () => user, getActiveUser: () => user, getScriptTimeZone: () => 'Europe/Paris' };
}

function makeDriveApp() {
  const files = new Map();
  let nextId = 1;
  const wrap = (f) => ({
    getId: () => f.id,
    getName: () => f.name,
    getBlob: () => makeBlob(Buffer.from(f.content, 'utf8'), f.mimeType, f.name),
    isTrashed: () => f.trashed,
    setTrashed(trashed) {
      f.trashed = Boolean(trashed);
      return wrap(f);
    },
  });
  return {
    files,
    service: {
      createFile(name, content, mimeType) {
        if (typeof content !== 'string') throw new Error('fake DriveApp.createFile: content must be a string');
        const f = { id: `drive-file-${nextId++}`, name, content, mimeType: mimeType || 'text/plain', trashed: false };
        files.set(f.id, f);
        return wrap(f);
      },
      getFileById(id) {
        const f = files.get(id);
        if (!f) throw new Error('Exception: No item with the given ID could be found, or you do not have permission to access it.');
        return wrap(f);
      },
    },
  };
}

// ---------- UrlFetchApp ----------

/**
 * respond(request) returns {status, body, headers} or throws (network error). Records every request
 * as {url, method, contentType, headers, payload, options}.
 */
function makeUrlFetchApp(respond) {
  const requests = [];
  return {
    requests,
    service: {
      fetch(url, params = {}) {
        if (typeof params.payload !== 'string') throw new Error('fake UrlFetchApp: the sender must post a string payload');
        const request = {
          url,
          method: (params.method || 'get').toLowerCase(),
          contentType: params.contentType,
          headers: { ...(params.headers || {}) },
          payload: params.payload,
          options: { ...params },
        };
        requests.push(request);
        const answer = respond(request);  // may throw: that is the network error
        const status = answer.status;
        const text = answer.body === undefined ? '' : String(answer.body);
        if (status >= 400 && !params.muteHttpExceptions) {
          throw new Error(`Request failed for ${url} returned code ${status}. Truncated server response: ${text.slice(0, 100)}`);
        }
        return {
          getResponseCode: () => status,
          getContentText: () => text,
          getHeaders: () => ({ ...(answer.headers || {}) }),
          getAllHeaders: () => ({ ...(answer.headers || {}) }),
        };
      },
    },
  };
}

module.exports = {
  PROPERTY_VALUE_MAX_BYTES,
  makeUtilities,
  makePropertiesService,
  makeLockService,
  makeScriptApp,
  makeMailApp,
  makeSession,
  makeDriveApp,
  makeUrlFetchApp,
  toSignedBytes,
};
