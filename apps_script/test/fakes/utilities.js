'use strict';
// Utilities with only the documented overloads (utilities/utilities in the Apps Script reference):
// any other mix of argument types throws the message Apps Script gives, e.g. computeHmacSha256Signature
// exists as (Byte[], Byte[]), (String, String) and (String, String, Charset), never (Byte[], String).
// Byte[] values are SIGNED (-128..127). The String overloads without a Charset are reported not to
// encode non-ASCII text as UTF-8 reliably (docs/google-cloud.md §6): refused here.

const crypto = require('node:crypto');
const { ScriptError } = require('./runtime');

const Charset = Object.freeze({
  UTF_8: Object.freeze({ toString: () => 'UTF_8' }),
  US_ASCII: Object.freeze({ toString: () => 'US_ASCII' }),
});
const DIGESTS = { SHA_256: 'sha256', SHA_1: 'sha1', MD5: 'md5' };
// Enum values are objects in Apps Script, not their names.
const DigestAlgorithm = Object.freeze(Object.fromEntries(Object.keys(DIGESTS).map(
  (name) => [name, Object.freeze({ toString: () => name })])));

const OVERLOADS = {
  base64Decode: [['String'], ['String', 'Charset']],
  base64Encode: [['Byte[]'], ['String'], ['String', 'Charset']],
  base64EncodeWebSafe: [['Byte[]'], ['String'], ['String', 'Charset']],
  computeDigest: [['DigestAlgorithm', 'Byte[]'], ['DigestAlgorithm', 'String'], ['DigestAlgorithm', 'String', 'Charset']],
  computeHmacSha256Signature: [['Byte[]', 'Byte[]'], ['String', 'String'], ['String', 'String', 'Charset']],
  newBlob: [['Byte[]'], ['Byte[]', 'String'], ['Byte[]', 'String', 'String'], ['String'], ['String', 'String'],
    ['String', 'String', 'String']],
  sleep: [['Integer']],
  formatDate: [['Date', 'String', 'String']],
};

function isByteArray(value) {
  return Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= -128 && b <= 127);
}

function typeOf(value) {
  if (typeof value === 'string') return 'String';
  // The script's Date comes from another realm (node:vm): instanceof would say no.
  if (Object.prototype.toString.call(value) === '[object Date]') return 'Date';
  if (isByteArray(value)) return 'Byte[]';
  if (Object.values(Charset).includes(value)) return 'Charset';
  if (Object.values(DigestAlgorithm).includes(value)) return 'DigestAlgorithm';
  if (Number.isInteger(value)) return 'Integer';
  return value === null ? 'null' : typeof value;
}

/** How Apps Script names a JS value's type in its "don't match" message. */
function reportedType(value) {
  if (Array.isArray(value)) return 'number[]';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'object' && value !== null && !Object.values(Charset).includes(value)
    && !Object.values(DigestAlgorithm).includes(value)) return 'object';
  return typeOf(value);
}

/** The signature the arguments match, or the Apps Script error. */
function overload(name, args) {
  const types = args.map(typeOf).join(',');
  if (OVERLOADS[name].some((signature) => signature.join(',') === types)) return types;
  throw new ScriptError(`The parameters (${args.map(reportedType).join(',')}) don't match the method signature for Utilities.${name}.`);
}

function textBytes(value, charset, method) {
  if (charset === Charset.UTF_8) return Buffer.from(value, 'utf8');
  if (!/^[\x00-\x7f]*$/.test(value)) {
    throw new Error(`fake Utilities.${method}: non-ASCII string without Charset.UTF_8 (reported unreliable)`);
  }
  return Buffer.from(value, 'ascii');
}

const bytesOf = (value, charset, method) => (typeof value === 'string' ? textBytes(value, charset, method)
  : Buffer.from(value.map((b) => b & 0xff)));
const toSignedBytes = (buffer) => Array.from(buffer, (b) => (b > 127 ? b - 256 : b));

function makeBlob(runtime, bytes) {
  return runtime.api('Blob', {
    getBytes: () => toSignedBytes(bytes),
    getDataAsString: () => bytes.toString('utf8'),
  });
}

/**
 * Utilities.formatDate(date, timeZone, format): Java SimpleDateFormat patterns. The fake knows the
 * letters the script uses (yyyy MM dd HH mm ss) and quoted text ('à'); any other letter throws, so a
 * pattern it cannot check is noticed rather than formatted wrongly. The zone goes through Intl (IANA).
 */
function formatDate(date, timeZone, format) {
  if (Number.isNaN(date.getTime())) throw new ScriptError('Invalid argument: date');
  let parts;
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date(date.getTime()));
  } catch (err) {
    throw new ScriptError(`Invalid argument: timeZone (${timeZone})`);
  }
  const field = Object.fromEntries(parts.map((p) => [p.type, p.value]));
  const tokens = { yyyy: field.year, MM: field.month, dd: field.day, HH: field.hour, mm: field.minute, ss: field.second };
  return format.replace(/'([^']*)'|([A-Za-z])\2*/g, (match, quoted) => {
    if (quoted !== undefined) return quoted;
    if (tokens[match] === undefined) throw new Error(`fake Utilities.formatDate: pattern letters "${match}" not modelled`);
    return tokens[match];
  });
}

function makeUtilities(runtime) {
  return runtime.api('Utilities', {
    Charset,
    DigestAlgorithm,
    base64Decode(...args) {
      overload('base64Decode', args);
      const [encoded] = args;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) throw new ScriptError('Could not decode string.');
      return toSignedBytes(Buffer.from(encoded, 'base64'));
    },
    base64Encode(...args) {
      overload('base64Encode', args);
      return bytesOf(args[0], args[1], 'base64Encode').toString('base64');
    },
    base64EncodeWebSafe(...args) {
      overload('base64EncodeWebSafe', args);
      return bytesOf(args[0], args[1], 'base64EncodeWebSafe').toString('base64url');
    },
    computeDigest(...args) {
      overload('computeDigest', args);
      const [algorithm, value, charset] = args;
      return toSignedBytes(crypto.createHash(DIGESTS[String(algorithm)]).update(bytesOf(value, charset, 'computeDigest')).digest());
    },
    computeHmacSha256Signature(...args) {
      overload('computeHmacSha256Signature', args);
      const [value, key, charset] = args;
      const mac = crypto.createHmac('sha256', bytesOf(key, charset, 'computeHmacSha256Signature'));
      return toSignedBytes(mac.update(bytesOf(value, charset, 'computeHmacSha256Signature')).digest());
    },
    newBlob(...args) {
      overload('newBlob', args);
      return makeBlob(runtime, typeof args[0] === 'string' ? Buffer.from(args[0], 'utf8') : bytesOf(args[0]));
    },
    formatDate(...args) {
      overload('formatDate', args);
      return formatDate(...args);
    },
    /** Sleeping spends execution time like any other wait: the fake clock moves. */
    sleep(...args) {
      overload('sleep', args);
      runtime.clock.spend(args[0]);
    },
  });
}

module.exports = { makeUtilities, toSignedBytes, Charset, formatDate };
