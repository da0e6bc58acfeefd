/**
 * forms-to-ogust sender — configuration and tunables.
 *
 * The function URL, the webhook secret and an optional alert address live in Script Properties,
 * never in code: Script Properties are shared by every user of the script and are the place the
 * Apps Script guide suggests for app-wide settings (docs/google-cloud.md §6).
 *
 * Files of this project (plain Apps Script globals; a trailing "_" marks a private function, hidden
 * from the editor's Run menu). `node build.js` joins them into dist/forms-to-ogust.gs, the one file
 * to paste:
 *   Config.gs   settings, setConfig(), checkConfig()
 *   Payload.gs  FormResponse -> schema v1 JSON body, webhook-id, exportFormDescription()
 *   Signing.gs  Standard Webhooks v1 signature
 *   Mask.gs     hides e-mail addresses and phone numbers in logs and e-mails
 *   Sender.gs   onFormSubmit(), one signed POST, what each HTTP status or exception means
 *   Store.gs    the one read of Script Properties, queue records (references only), the size budget
 *   State.gs    run state: daily window, circuit after an outage, notes for the next digest
 *   Retry.gs    retryQueue(): capped retry runs, the circuit, one write-back per run
 *   Kept.gs     the capped summary of answers given up or refused, resendDead(), showQueue()
 *   Alerts.gs   the digest e-mail in French (at most one per run, a few per day)
 *   Setup.gs    install(), uninstall(), sendTest(), resendAll()
 */

const CONFIG_KEYS = {
  url: 'WEBHOOK_URL',
  secret: 'WEBHOOK_SECRET',
  alertEmail: 'ALERT_EMAIL',
};

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const SETTINGS = {
  // ClockTriggerBuilder.everyMinutes accepts 1, 5, 10, 15 or 30 (docs/google-cloud.md §7).
  retryEveryMinutes: 5,
  // Backoff of one answer the function failed on (HTTP 500…): 5 min doubling to 6 h.
  firstBackoffMs: 5 * MINUTE_MS,
  maxBackoffMs: 6 * HOUR_MS,
  // While the function is unreachable the whole queue waits and one answer probes it, 5, 10, 20,
  // then every 30 min: a three-day outage costs about 150 fetches, not one per answer per try.
  outageFirstBackoffMs: 5 * MINUTE_MS,
  outageMaxBackoffMs: 30 * MINUTE_MS,
  // Longer than the three-day outage the sender must survive, with a day to drain the queue.
  giveUpAfterMs: 4 * DAY_MS,
  // A retry run stops starting sends after 50 answers or 60 s, so it never nears the 6-minute limit.
  retryMaxSends: 50,
  retryRunMaxMs: 60 * 1000,
  // Retry runs earn 40 min of sending a day and may save up 20 (enough to drain 1,000 answers after
  // an outage at once): in ANY 24 h, whenever Google's quota day starts, they use at most 60 of the
  // 90 min of trigger runtime (docs/google-cloud.md §5). onFormSubmit keeps the rest, so a slow
  // function can never stop the triggers of the account.
  retryRuntimePerDayMs: 40 * MINUTE_MS,
  retryRuntimeBurstMs: 20 * MINUTE_MS,
  // Start-up time of an execution, which the script's own clock does not see [guess].
  runOverheadMs: 1000,
  // The store holds 500 KB (docs/google-cloud.md §5): queue records stop at 450 KB, leaving room for
  // the state, the summary of kept answers and the configuration.
  storeBudgetBytes: 450 * 1024,
  keptMaxBytes: 8 * 1024,
  // E-mail: at most one digest per run, one per hour and 5 per day, out of 100 recipients/day.
  mailsPerDay: 5,
  // Answers a digest lists one by one (refused, given up); past it, a count: the run state stays small.
  digestMaxAnswers: 10,
  mailMinIntervalMs: HOUR_MS,
  // An outage is reported once it lasts an hour, then once a day while it lasts.
  outageReportAfterMs: HOUR_MS,
  outageReminderMs: DAY_MS,
  // A missing permission or a spent quota pauses sending; one try an hour tells when it is over.
  blockedPauseMs: HOUR_MS,
  // How long retryQueue waits for another run to finish before skipping this turn.
  lockWaitMs: 1000,
  // Standard Webhooks secrets are 24 to 64 random bytes.
  secretMinBytes: 24,
  secretMaxBytes: 64,
  // Error text kept in a queue record (a few hundred bytes per record) and in logs and e-mails.
  recordErrorChars: 120,
  maxErrorChars: 300,
};

/**
 * Saves the function URL and the webhook secret (and optionally the alert e-mail) after checking them.
 * Setting them in Project Settings > Script properties does the same without any code; this is for
 * a temporary function, e.g. setConfig('https://…', 'whsec_…'), deleted afterwards so the secret
 * does not stay in the code. Pass '' as alertEmail to remove it.
 */
function setConfig(url, secret, alertEmail) {
  validateUrl_(url);
  const secretBytes = validateSecret_(secret);
  const values = {};
  values[CONFIG_KEYS.url] = url;
  values[CONFIG_KEYS.secret] = secret;
  if (alertEmail) {
    validateEmail_(alertEmail);
    values[CONFIG_KEYS.alertEmail] = alertEmail;
  }
  const props = PropertiesService.getScriptProperties();
  props.setProperties(values);
  if (alertEmail === '') {
    props.deleteProperty(CONFIG_KEYS.alertEmail);
  }
  // Never log the secret itself: execution logs are visible to every editor of the script.
  console.log('Configuration saved: url=' + url + ', secret=whsec_… (' + secretBytes + ' bytes, not shown)' +
      (alertEmail ? ', alerts to ' + maskPersonal_(alertEmail) : ''));
}

/**
 * Asks for every permission of the manifest, then checks the stored configuration and logs a summary.
 * Run it after editing Script Properties by hand.
 */
function checkConfig() {
  // Granular consent: without this, a permission left unticked only fails at the first submission.
  ScriptApp.requireAllScopes(ScriptApp.AuthMode.FULL);
  const config = readConfig_(readStore_());
  if (!config.alertEmail) {
    console.warn(CONFIG_KEYS.alertEmail + ' is not set: digests go to the account the triggers run as; ' +
        'install() requires it (Project Settings > Script properties).');
  }
  console.log('Configuration OK: url=' + config.url + ', secret=whsec_… (' +
      validateSecret_(config.secret) + ' bytes, not shown), alerts to ' + maskPersonal_(alertRecipient_(config)));
  return 'OK';
}

/** The configuration found in a snapshot of Script Properties, with `error` set when it is unusable. */
function configFrom_(values) {
  const config = {
    url: values[CONFIG_KEYS.url] || '',
    secret: values[CONFIG_KEYS.secret] || '',
    alertEmail: values[CONFIG_KEYS.alertEmail] || '',
    error: '',
  };
  if (!config.url || !config.secret) {
    config.error = 'forms-to-ogust is not configured: set ' + CONFIG_KEYS.url + ' and ' + CONFIG_KEYS.secret +
        ' in Project Settings > Script properties (or run setConfig(url, secret)).';
    return config;
  }
  try {
    validateUrl_(config.url);
    validateSecret_(config.secret);
  } catch (err) {
    config.error = err.message;
  }
  return config;
}

/**
 * install() requires ALERT_EMAIL, the address of the French digests (the agency's office). It cannot
 * ask for it: run from the script editor's Run menu, a script has no dialog to show (a form's getUi()
 * works only while the form itself is open in its editor), so it refuses and says where to set it.
 */
function requireAlertEmail_(config) {
  if (!config.alertEmail) {
    throw new Error(CONFIG_KEYS.alertEmail + ' is not set: add it in Project Settings > Script properties ' +
        '(the address that gets the digests in French, usually the agency office\'s), or run ' +
        'setConfig(url, secret, alertEmail); then run install() again. Nothing was installed.');
  }
  validateEmail_(config.alertEmail);
}

/** The configuration, or an exception whose message says how to fix it. */
function readConfig_(values) {
  const config = configFrom_(values);
  if (config.error) throw new Error(config.error);
  return config;
}

/** Accepts only https URLs: UrlFetchApp runs on Google's servers, so a local http URL can never work. */
function validateUrl_(url) {
  if (typeof url !== 'string' || !/^https:\/\/[^\s\/?#]+[^\s]*$/.test(url)) {
    throw new Error(CONFIG_KEYS.url + ' must be the https:// URL of the Cloud Function (got "' + url + '").');
  }
}

/** Checks the whsec_<base64> format and the key length; returns the key length in bytes. */
function validateSecret_(secret) {
  // The messages never repeat the value: it is a secret.
  if (typeof secret !== 'string' || secret.indexOf('whsec_') !== 0) {
    throw new Error(CONFIG_KEYS.secret + ' must start with "whsec_" (Standard Webhooks format).');
  }
  const encoded = secret.slice('whsec_'.length);
  if (!/^[A-Za-z0-9+\/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error(CONFIG_KEYS.secret + ' must be "whsec_" followed by standard base64 (A-Z a-z 0-9 + / =).');
  }
  const length = Utilities.base64Decode(encoded).length;
  if (length < SETTINGS.secretMinBytes || length > SETTINGS.secretMaxBytes) {
    throw new Error(CONFIG_KEYS.secret + ' must hold ' + SETTINGS.secretMinBytes + ' to ' +
        SETTINGS.secretMaxBytes + ' random bytes (it holds ' + length + ').');
  }
  return length;
}

function validateEmail_(email) {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new Error(CONFIG_KEYS.alertEmail + ' must be an e-mail address.');
  }
}

/** The only clock the script reads, so the test harness can move time. */
function nowMs_() {
  return Date.now();
}

function isoTime_(ms) {
  return new Date(ms).toISOString();
}
