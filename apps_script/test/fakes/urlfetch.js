'use strict';
// UrlFetchApp.fetch (url-fetch/url-fetch-app in the Apps Script reference; options as listed in
// docs/google-cloud.md §4): 20,000 calls a day, throws on 4xx/5xx unless
// muteHttpExceptions is set, and takes the time the function takes to answer (fake clock).
//
// respond(request) plays the function: it returns {status, body, headers, latencyMs} or throws an
// Error (no answer: DNS, refused connection, timeout; err.latencyMs is the time lost).

const { ScriptError } = require('./runtime');

const OPTIONS = new Set(['contentType', 'headers', 'method', 'payload', 'useIntranet', 'validateHttpsCertificates',
  'followRedirects', 'muteHttpExceptions', 'escaping']);

function makeUrlFetchApp(runtime, respond) {
  const requests = [];
  const service = runtime.api('UrlFetchApp', {
    fetch(url, params = {}) {
      runtime.quotas.urlfetch.use(runtime.clock.now());
      for (const name of Object.keys(params)) {
        if (!OPTIONS.has(name)) throw new Error(`fake UrlFetchApp: "${name}" is not a fetch option`);
      }
      if (typeof params.payload !== 'string') throw new Error('fake UrlFetchApp: the sender must post a string payload');
      const request = {
        url,
        method: (params.method || 'get').toLowerCase(),
        contentType: params.contentType,
        headers: { ...(params.headers || {}) },
        payload: params.payload,
        options: { ...params },
        at: runtime.clock.now(),
      };
      requests.push(request);
      let answer;
      try {
        answer = respond(request);
      } catch (err) {
        runtime.clock.spend(err.latencyMs ?? runtime.costs.fetchMs);
        throw new ScriptError(err.message);
      }
      runtime.clock.spend(answer.latencyMs ?? runtime.costs.fetchMs);
      const status = answer.status;
      const text = answer.body === undefined ? '' : String(answer.body);
      request.status = status;
      if (status >= 400 && !params.muteHttpExceptions) {
        throw new ScriptError(`Request failed for ${url} returned code ${status}. Truncated server response: ${text.slice(0, 100)}`);
      }
      return runtime.api('HTTPResponse', {
        getResponseCode: () => status,
        getContentText: () => text,
        getHeaders: () => ({ ...(answer.headers || {}) }),
        getAllHeaders: () => ({ ...(answer.headers || {}) }),
      });
    },
  });
  return { requests, service };
}

module.exports = { makeUrlFetchApp };
