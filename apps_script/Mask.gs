/**
 * Hides personal data in anything the script logs, stores as an error or e-mails: the function's
 * messages may quote an answer (an e-mail address, a phone number).
 */

// French numbers (0X XX XX XX XX, +33 X XX XX XX XX, any separators) and other international ones.
const PHONE_PATTERN_ = /(?:\+33[\s.\-]?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b|\+\d(?:[\s.\-]?\d){8,14}\b/g;
const EMAIL_PATTERN_ = /([^\s@"'<>()\[\],;:«»]+)@([^\s@"'<>()\[\],;:«»]+\.[^\s@"'<>()\[\],;:«».]+)/g;

/**
 * "zoé.dupont@example.fr" -> "z***@e***.fr", "06 12 34 56 78" -> "06******78": the format the
 * function's own logs use (docs/configuration.md).
 */
function maskPersonal_(text) {
  return String(text)
      .replace(EMAIL_PATTERN_, function (match, local, domain) {
        const dot = domain.lastIndexOf('.');
        return local.charAt(0) + '***@' + domain.charAt(0) + '***' + domain.slice(dot);
      })
      .replace(PHONE_PATTERN_, function (match) {
        const digits = match.replace(/\D/g, '');
        return digits.slice(0, 2) + new Array(digits.length - 3).join('*') + digits.slice(-2);
      });
}
