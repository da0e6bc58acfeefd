/**
 * E-mails to the owner, only when a person must act: a rejected submission, or one given up on.
 * The mail names the response, never the secret, and carries the function's own message.
 */

/** ALERT_EMAIL if set, else the account the triggers run as (the one that ran install()). */
function alertRecipient_(config) {
  const configured = config ? config.alertEmail
      : PropertiesService.getScriptProperties().getProperty(CONFIG_KEYS.alertEmail);
  return configured || Session.getEffectiveUser().getEmail();
}

function alertRejected_(record, result) {
  notifyOwner_('[forms-to-ogust] Submission rejected (HTTP ' + result.status + ') - ' + record.formTitle, [
    'The Cloud Function refused a form submission and it will NOT be retried.',
    '',
    'Form: ' + record.formTitle,
    'Response id: ' + record.responseId,
    'Submitted at: ' + record.submittedAt,
    'Function said: ' + result.message,
    '',
    'What to do: ' + statusHint_(result.status),
  ]);
}

function alertDead_(record) {
  notifyOwner_('[forms-to-ogust] Submission not delivered after ' +
      Math.round(SETTINGS.giveUpAfterMs / 3600000) + ' h - ' + record.formTitle, [
    'A form submission could not be delivered to the Cloud Function after ' + record.attempts + ' attempts.',
    'The script stopped retrying it; it is kept, marked dead, in Script Properties.',
    '',
    'Form: ' + record.formTitle,
    'Response id: ' + record.responseId,
    'Submitted at: ' + record.submittedAt,
    'Last error: ' + record.lastError,
    '',
    'What to do: fix the cause (' + statusHint_(record.lastStatus) + '),',
    'then run resendDead() from the Apps Script editor. showQueue() lists what is waiting.',
  ]);
}

/** Sends the alert; a mail failure (e.g. the daily MailApp quota) is logged, never fatal. */
function notifyOwner_(subject, lines) {
  try {
    MailApp.sendEmail(alertRecipient_(null), subject, lines.join('\n'));
  } catch (err) {
    console.error('Could not e-mail the owner (' + subject + '): ' + err.message);
  }
}
