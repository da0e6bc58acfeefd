/**
 * Standard Webhooks v1 signature: "v1," + base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")),
 * where key is the base64-DECODED part of the "whsec_<base64>" secret (raw bytes, not the text).
 */

/** The webhook-signature header value for one attempt. */
function signatureFor_(secret, webhookId, timestamp, body) {
  const key = Utilities.base64Decode(secret.slice('whsec_'.length));
  const message = utf8Bytes_(webhookId + '.' + timestamp + '.' + body);
  // Byte[] value + Byte[] key overload: a string key would be hashed as text, not as the decoded bytes.
  const mac = Utilities.computeHmacSha256Signature(message, key);
  return 'v1,' + Utilities.base64Encode(mac);
}

/**
 * UTF-8 bytes of a string with the charset named explicitly: the string overloads without a
 * Charset are reported not to encode non-ASCII text as UTF-8 reliably. (The body is ASCII anyway.)
 */
function utf8Bytes_(text) {
  return Utilities.base64Decode(Utilities.base64Encode(text, Utilities.Charset.UTF_8));
}
