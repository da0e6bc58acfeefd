/**
 * forms-to-ogust sender — configuration and tunables.
 *
 * The function URL, the webhook secret and an optional alert address live in Script Properties,
 * never in code: Script Properties are shared by every user of the script and are the place the
 * Apps Script guide suggests for app-wide settings (guides/properties).
 *
 * Files of this project (plain Apps Script globals; a trailing "_" marks a private function,
 * hidden from the editor's Run menu):
 *   Config.gs   settings, setConfig(), checkConfig()
 *   Payload.gs  FormResponse -> schema v1 JSON body, webhook-id, exportFormDescription()
 *   Signing.gs  Standard Webhooks v1 signature
 *   Sender.gs   onFormSubmit(), one signed POST, what each HTTP status means
 *   Queue.gs    retry queue in Script Properties (Drive for big bodies), retryQueue(), resendDead()
 *   Setup.gs    install(), uninstall(), sendTest(), resendAll()
 *   Alerts.gs   e-mails to the owner
 */

const CONFIG_KEYS = {
  url: 'WEBHOOK_URL',
  secret: 'WEBHOOK_SECRET',
  alertEmail: 'ALERT_EMAIL',
};

const SETTINGS = {
  // ClockTriggerBuilder.everyMinutes accepts 1, 5, 10, 15 or 30; 5 keeps daily trigger runtime low.
  retryEveryMinutes: 5,
  firstBackoffMs: 5 * 60 * 1000,
  maxBackoffMs: 6 * 60 * 60 * 1000,
  // Standard Webhooks' example schedule spans about 3 days before giving up.
  giveUpAfterMs: 72 * 60 * 60 * 1000,
  // Properties values are limited to 9 KB each; keep a margin for the record's own fields.
  propertyValueMaxBytes: 8 * 1024,
  // A script execution is stopped after 6 minutes: stop starting new sends well before that.
  runBudgetMs: 4 * 60 * 1000,
  // How long retryQueue waits for another run to finish before skipping this turn.
  lockWaitMs: 1000,
  // Standard Webhooks secrets are 24 to 64 random bytes.
  secretMinBytes: 24,
  secretMaxBytes: 64,
  maxErrorChars: 500,
};

/**
 * Saves the function URL and the webhook secret (and optionally the alert e-mail) after checking them.
 * Run it once from a temporary function, e.g. setConfig('https://…', 'whsec_…'), then delete that
 * function so the secret does not stay in the code. Pass '' as alertEmail to remove it.
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
      (alertEmail ? ', alerts to ' + alertEmail : ''));
}

/** Checks the stored configuration (e.g. after editing Script Properties by hand) and logs a summary. */
function checkConfig() {
  const config = readConfig_();
  console.log('Configuration OK: url=' + config.url + ', secret=whsec_… (' +
      validateSecret_(config.secret) + ' bytes, not shown), alerts to ' + alertRecipient_(config));
  return 'OK';
}

/** Reads and validates the configuration; throws a message that says how to fix it. */
function readConfig_() {
  const props = PropertiesService.getScriptProperties();
  const url = props.getProperty(CONFIG_KEYS.url);
  const secret = props.getProperty(CONFIG_KEYS.secret);
  if (!url || !secret) {
    throw new Error('forms-to-ogust is not configured: run setConfig(url, secret) or set ' +
        CONFIG_KEYS.url + ' and ' + CONFIG_KEYS.secret + ' in Project Settings > Script properties.');
  }
  validateUrl_(url);
  validateSecret_(secret);
  return { url: url, secret: secret, alertEmail: props.getProperty(CONFIG_KEYS.alertEmail) || '' };
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
    throw new Error(CONFIG_KEYS.alertEmail + ' must be an e-mail address (got "' + email + '").');
  }
}

/** The only clock the script reads, so the test harness can move time. */
function nowMs_() {
  return Date.now();
}
