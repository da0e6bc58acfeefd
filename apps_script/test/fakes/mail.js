'use strict';
// MailApp (mail/mail-app): the daily quota counts RECIPIENTS (to, cc and bcc), 100 a day on a
// consumer account (docs/google-cloud.md §5); past it sendEmail throws
// "Service invoked too many times for one day: email.".

function recipientsOf(message) {
  return ['to', 'cc', 'bcc'].flatMap((field) => String(message[field] || '').split(',')).map((a) => a.trim()).filter(Boolean);
}

function makeMailApp(runtime) {
  const sent = [];
  const quota = runtime.quotas.email;
  const service = runtime.api('MailApp', {
    sendEmail(...args) {
      const message = typeof args[0] === 'object' ? { ...args[0] } : { to: args[0], subject: args[1], body: args[2], ...(args[3] || {}) };
      if (!message.to || message.subject === undefined || message.body === undefined) {
        throw new Error('fake MailApp.sendEmail: recipient, subject and body are needed');
      }
      quota.use(runtime.clock.now(), recipientsOf(message).length);
      sent.push({ ...message, at: runtime.clock.now() });
    },
    getRemainingDailyQuota: () => quota.remaining(runtime.clock.now()),
  });
  return { sent, service };
}

module.exports = { makeMailApp };
