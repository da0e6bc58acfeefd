'use strict';
// PropertiesService as the quotas page describes it (docs/google-cloud.md §5):
// values are strings of at most 9 KB, the store holds at most 500 KB (checked for setProperty AND
// setProperties, which writes all or nothing), and every call counts against the daily
// properties read/write quota.

const { ScriptError } = require('./runtime');

const PROPERTY_VALUE_MAX_BYTES = 9 * 1024;  // "Properties value size 9kB / val"
const PROPERTY_STORE_MAX_BYTES = 500 * 1024;  // "Properties total storage 500kB / property store"

const entryBytes = (key, value) => Buffer.byteLength(key) + Buffer.byteLength(value);

function makePropertiesService(runtime) {
  const store = new Map();
  const stats = { bytes: 0, peakBytes: 0 };
  const count = (kind) => runtime.quotas.properties.use(runtime.clock.now(), 1, kind);
  const check = (key, value) => {
    if (typeof key !== 'string' || typeof value !== 'string') {
      throw new Error(`fake PropertiesService: key and value must be strings (key ${key})`);
    }
    if (Buffer.byteLength(value, 'utf8') > PROPERTY_VALUE_MAX_BYTES) {
      throw new ScriptError('Argument too large: value');
    }
  };
  /** Applies {key: value | null} at once, or throws and changes nothing when the store would overflow. */
  const apply = (changes) => {
    let bytes = stats.bytes;
    for (const [key, value] of changes) {
      if (store.has(key)) bytes -= entryBytes(key, store.get(key));
      if (value !== null) bytes += entryBytes(key, value);
    }
    if (bytes > PROPERTY_STORE_MAX_BYTES) {
      throw new ScriptError('You have exceeded the property storage quota. Please remove some properties and try again.');
    }
    for (const [key, value] of changes) {
      if (value === null) store.delete(key);
      else store.set(key, value);
    }
    stats.bytes = bytes;
    stats.peakBytes = Math.max(stats.peakBytes, bytes);
  };
  const properties = runtime.api('Properties', {
    getProperty(key) {
      count('reads');
      return store.has(key) ? store.get(key) : null;
    },
    getProperties() {
      count('reads');
      return Object.fromEntries(store);
    },
    getKeys() {
      count('reads');
      return [...store.keys()];
    },
    setProperty(key, value) {
      count('writes');
      check(key, value);
      apply([[key, value]]);
      return properties;
    },
    setProperties(values, deleteAllOthers) {
      count('writes');
      const entries = Object.entries(values);
      for (const [key, value] of entries) check(key, value);
      const removed = deleteAllOthers ? [...store.keys()].filter((k) => !Object.hasOwn(values, k)).map((k) => [k, null]) : [];
      apply([...removed, ...entries]);
      return properties;
    },
    deleteProperty(key) {
      count('writes');
      apply([[key, null]]);
      return properties;
    },
    deleteAllProperties() {
      count('writes');
      apply([...store.keys()].map((k) => [k, null]));
      return properties;
    },
  });
  const service = runtime.api('PropertiesService', { getScriptProperties: () => properties });
  /** Project Settings > Script properties, edited by a person: sizes apply, no script quota. */
  const editByHand = (key, value) => {
    check(key, value);
    apply([[key, value]]);
  };
  return { store, stats, service, editByHand };
}

module.exports = { makePropertiesService, PROPERTY_VALUE_MAX_BYTES, PROPERTY_STORE_MAX_BYTES };
