/**
 * The digest e-mail to the owner: what retry runs noted since the last one (answers refused or given
 * up, an outage, a missing permission…), sent by retryQueue at most once per run, once an hour and
 * SETTINGS.mailsPerDay times a day, against MailApp's 100 recipients/day. It names responses and
 * dates, never answers or the secret, and masks e-mail addresses and phone numbers.
 */

/** ALERT_EMAIL if set, else the account the triggers run as (the one that ran install()). */
function alertRecipient_(config) {
  return config.alertEmail || Session.getEffectiveUser().getEmail();
}

/** Counts refusals by status and keeps the function's first message for each. */
function noteRefused_(notes, status, message) {
  const refused = notes.refused || (notes.refused = {});
  const entry = refused[status] || (refused[status] = { n: 0, message: message || '' });
  entry.n += 1;
}

/** Sends the notes as one e-mail if the caps allow, and clears them; a failure is logged, never fatal. */
function sendDigest_(run, config, waiting) {
  const state = run.state;
  const now = nowMs_();
  if (Object.keys(state.notes).length === 0) return;
  if (state.mails >= SETTINGS.mailsPerDay) return;
  if (state.lastMailAt && now - state.lastMailAt < SETTINGS.mailMinIntervalMs) return;
  try {
    if (MailApp.getRemainingDailyQuota() < 1) return;
    const digest = digestOf_(state.notes, waiting, now);
    MailApp.sendEmail(alertRecipient_(config), '[forms-to-ogust] ' + digest.subject, digest.lines.join('\n'));
    state.mails += 1;
    state.lastMailAt = now;
    state.notes = {};
  } catch (err) {
    console.error('Could not e-mail the owner: ' + maskPersonal_(errorText_(err)) + ' (kept for the next digest).');
  }
}

/** {subject, lines} for the notes, most urgent first. */
function digestOf_(notes, waiting, now) {
  const lines = [];
  const subjects = [];
  const add = function (subject, paragraph) {
    subjects.push(subject);
    lines.push('- ' + paragraph.join('\n  '), '');
  };
  if (notes.config) {
    add('not configured', ['The script cannot send: ' + notes.config,
      'Answers are kept. Fix WEBHOOK_URL / WEBHOOK_SECRET in Project Settings > Script properties, then run checkConfig().']);
  }
  if (notes.permission) {
    add('a permission is missing', ['The script lacks a permission: ' + notes.permission,
      'Paste the current appsscript.json, then run install() from the editor and accept. Answers are kept;',
      'sending is tried once an hour until then.']);
  }
  if (notes.quota) {
    add('a Google quota is used up', [notes.quota, 'Sending is tried once an hour; answers are kept.']);
  }
  if (notes.refused) {
    Object.keys(notes.refused).forEach(function (status) {
      const entry = notes.refused[status];
      add(entry.n + ' answer(s) refused (HTTP ' + status + ')', [entry.n + ' answer(s) refused by the function, not retried. ' +
          'It said: ' + entry.message, 'What to do: ' + statusHint_(Number(status))]);
    });
  }
  if (notes.dead) {
    add(notes.dead + ' answer(s) given up', [notes.dead + ' answer(s) could not be delivered for ' +
        Math.round(SETTINGS.giveUpAfterMs / DAY_MS) + ' days and are no longer retried.',
      'Fix the cause, then run resendDead(). showQueue() lists them (and the span to give resendAll() for',
      'those past the list\'s cap).']);
  }
  if (notes.overflow) {
    add('storage full', ['The script storage was full for answers submitted from ' + isoTime_(notes.overflow.since) +
        ' to ' + isoTime_(notes.overflow.until) + ': they were not queued.',
      'Once the function is back, run resendAll("' + isoTime_(notes.overflow.since - 1) + '", "' +
        isoTime_(notes.overflow.until) + '"); the server-side reconciler also finds them.']);
  }
  if (notes.outage) {
    add('the function is unavailable', ['The function has not accepted answers since ' + isoTime_(notes.outage.since) +
        '. ' + notes.outage.waiting + ' answer(s) wait and are sent when it answers again (checked every 5 to 30 min).',
      'Nothing to do unless it lasts: check the function (docs/operations.md).']);
  }
  if (notes.recovered) {
    add('the function answers again', ['The function answers again: ' + waiting + ' waiting answer(s) are being sent, ' +
        SETTINGS.retryMaxSends + ' every ' + SETTINGS.retryEveryMinutes + ' minutes.']);
  }
  if (notes.budget) {
    add('sending slowed down', ['Retries used their daily share of Apps Script trigger runtime (the function is slow):',
      'the rest is sent in the next 24 h.']);
  }
  if (notes.gone) {
    add(notes.gone + ' answer(s) unreadable', [notes.gone + ' queued answer(s) could not be read from the form ' +
        '(deleted?). They are listed by showQueue(); resendDead() tries them again.']);
  }
  lines.push('showQueue() in the Apps Script editor lists what waits. This message never contains answers or the secret.',
      'Sent ' + isoTime_(now) + '; at most ' + SETTINGS.mailsPerDay + ' such e-mails a day.');
  return { subject: subjects.join(', '), lines: lines };
}
