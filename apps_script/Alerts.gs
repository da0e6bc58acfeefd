/**
 * The digest e-mail, in French for the agency's office staff: what retry runs noted since the last
 * one (each refused answer with its Paris date and its own reason, answers given up, an outage, a
 * missing permission…), sent by retryQueue at most once per run, once an hour and
 * SETTINGS.mailsPerDay times a day, against MailApp's 100 recipients/day, to ALERT_EMAIL. It names
 * dates, never answers or the secret, and masks e-mail addresses and phone numbers. What only the
 * person who installed the script can fix carries a "Détail technique" line for them, in English.
 * A refusal the function said it tells the agency of itself (`agencyNotified`: the form has the tab
 * "Suivi Ogust") never comes here (Sender.gs): one refusal, one message.
 */

const DIGEST_SUBJECT_PREFIX = '[Formulaire → Ogust] ';
const PARIS_TIME_ZONE = 'Europe/Paris';
const FORWARD_TO_INSTALLER = 'Transmettez cet e-mail à la personne qui a installé le lien entre le formulaire et Ogust.';

/** ALERT_EMAIL (install() requires it); the account the triggers run as for an older install without it. */
function alertRecipient_(config) {
  return config.alertEmail || Session.getEffectiveUser().getEmail();
}

/** "28/11/2026 à 14:05", Paris time, as the agency's response spreadsheet shows it. */
function parisTime_(ms) {
  return Utilities.formatDate(new Date(ms), PARIS_TIME_ZONE, "dd/MM/yyyy 'à' HH:mm");
}

/**
 * Adds one answer to the next digest's list of `kind` ("refused" or "dead"): {t: submitted at (ms),
 * s: HTTP status, e: the function's words}. Past SETTINGS.digestMaxAnswers only a count is kept, so
 * the run state stays small.
 */
function noteAnswer_(notes, kind, entry) {
  const list = answersNoted_(notes, kind);
  if (list.length < SETTINGS.digestMaxAnswers) {
    list.push({ t: entry.t, s: entry.s || 0, e: entry.e || '' });
  } else {
    notes[kind + 'More'] = (notes[kind + 'More'] || 0) + 1;
  }
}

/** The list of `kind` in the notes; a count left by an older version of the script becomes "more". */
function answersNoted_(notes, kind) {
  if (Array.isArray(notes[kind])) return notes[kind];
  let older = 0;
  if (typeof notes[kind] === 'number') older = notes[kind];
  if (notes[kind] && typeof notes[kind] === 'object') {
    Object.keys(notes[kind]).forEach(function (status) { older += notes[kind][status].n || 0; });
  }
  if (older) notes[kind + 'More'] = (notes[kind + 'More'] || 0) + older;
  notes[kind] = [];
  return notes[kind];
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
    MailApp.sendEmail(alertRecipient_(config), DIGEST_SUBJECT_PREFIX + digest.subject, digest.lines.join('\n'));
    state.mails += 1;
    state.lastMailAt = now;
    state.notes = {};
  } catch (err) {
    console.error('Could not e-mail the digest: ' + maskPersonal_(errorText_(err)) + ' (kept for the next digest).');
  }
}

/** "1 réponse refusée", "3 réponses refusées". */
function count_(n, singular, plural) {
  return n + ' ' + (n > 1 ? plural : singular);
}

/** The function's words for the office: no status code, the field and the question in French. */
function reasonForOffice_(error) {
  const text = String(error || '').replace(/^HTTP \d+: /, '')
      .replace(/\(field: ([^)]*)\)/g, '(champ : $1)')
      .replace(/\(question: "([^"]*)"\)/g, '(question : « $1 »)');
  return text || '(le service n\'a pas donné de motif)';
}

/** What to do about a refusal with this status. */
function refusalAdvice_(status) {
  if (status === 422) {
    // Only forms without the tab "Suivi Ogust" come here: the tab's refusals are the function's to tell.
    return 'Corrigez ce que dit le motif (la fiche du client dans Ogust, ou faites corriger le formulaire ou ' +
        'sa configuration), puis transmettez cet e-mail à la personne qui a installé le lien entre le formulaire ' +
        'et Ogust : elle renverra la réponse, qui reste dans le formulaire.';
  }
  return 'Le lien entre le formulaire et Ogust est mal réglé ; les réponses sont gardées dans le formulaire. ' +
      FORWARD_TO_INSTALLER + '\n  Détail technique (HTTP ' + status + ') : ' + statusHint_(status);
}

/** The lines listing each answer of `kind`, and how many more there were. */
function answerLines_(notes, kind, describe) {
  const lines = answersNoted_(notes, kind).map(function (entry) {
    return '• Réponse envoyée le ' + parisTime_(entry.t) + ' : ' + describe(entry);
  });
  const more = notes[kind + 'More'] || 0;
  if (more) {
    lines.push('• … et ' + count_(more, 'autre', 'autres') + ' (la personne qui a installé le lien peut toutes les lister).');
  }
  return lines;
}

function noteCount_(notes, kind) {
  return answersNoted_(notes, kind).length + (notes[kind + 'More'] || 0);
}

/** {subject, lines} for the notes, most urgent first. */
function digestOf_(notes, waiting, now) {
  const lines = [];
  const subjects = [];
  const add = function (subject, paragraph) {
    subjects.push(subject);
    lines.push(paragraph.join('\n  '), '');
  };
  if (notes.config) {
    add('le lien n\'est pas configuré', ['Le formulaire ne peut rien envoyer à Ogust : sa configuration est incomplète. ' +
        'Les réponses sont gardées.', FORWARD_TO_INSTALLER,
    'Détail technique : ' + notes.config + ' Fix WEBHOOK_URL / WEBHOOK_SECRET in Project Settings > Script properties, then run checkConfig().']);
  }
  if (notes.permission) {
    add('une autorisation manque', ['Le script du formulaire a perdu une autorisation Google dont il a besoin. ' +
        'Les réponses sont gardées ; un essai est fait chaque heure.', FORWARD_TO_INSTALLER,
    'Détail technique : ' + notes.permission + ' Paste the current appsscript.json, then run install() from the editor and accept.']);
  }
  if (notes.quota) {
    add('un quota Google est épuisé', ['Google limite le nombre d\'envois par jour et la limite est atteinte. ' +
        'L\'envoi reprend de lui-même (un essai par heure) ; les réponses sont gardées.', 'Détail technique : ' + notes.quota]);
  }
  const refused = noteCount_(notes, 'refused');
  if (refused) {
    const statuses = [];
    const paragraph = [count_(refused, 'réponse n\'a pas été acceptée', 'réponses n\'ont pas été acceptées') +
        ' par le service qui les enregistre dans Ogust ; le script ne les renvoie pas de lui-même :'];
    answerLines_(notes, 'refused', function (entry) {
      if (statuses.indexOf(entry.s) < 0) statuses.push(entry.s);
      return reasonForOffice_(entry.e);
    }).forEach(function (line) { paragraph.push(line); });
    if (!statuses.length) statuses.push(422);
    statuses.forEach(function (status) { paragraph.push('Que faire : ' + refusalAdvice_(status)); });
    add(count_(refused, 'réponse refusée', 'réponses refusées'), paragraph);
  }
  const dead = noteCount_(notes, 'dead');
  if (dead) {
    const days = Math.round(SETTINGS.giveUpAfterMs / DAY_MS);
    const paragraph = [count_(dead, 'réponse n\'a', 'réponses n\'ont') + ' pas pu être envoyée' + (dead > 1 ? 's' : '') +
        ' pendant ' + days + ' jours (le service ne répondait pas) ; le script ne réessaie plus. Elles restent dans le formulaire : rien n\'est perdu.'];
    answerLines_(notes, 'dead', function (entry) {
      return 'dernière erreur : ' + reasonForOffice_(entry.e);
    }).forEach(function (line) { paragraph.push(line); });
    paragraph.push('Si ce formulaire est suivi par le rattrapage automatique, elles arrivent dans Ogust d\'elles-mêmes et ' +
        'apparaissent dans l\'onglet « Suivi Ogust ». Sinon : ' + FORWARD_TO_INSTALLER,
    'Détail technique : resendDead() sends them again; showQueue() lists them (and the span to give resendAll() for those past the list\'s cap).');
    add(count_(dead, 'réponse non envoyée', 'réponses non envoyées'), paragraph);
  }
  if (notes.overflow) {
    add('stockage plein', ['Le stockage du script était plein pour les réponses envoyées du ' + parisTime_(notes.overflow.since) +
        ' au ' + parisTime_(notes.overflow.until) + ' : elles n\'ont pas été mises en attente. Elles restent dans le formulaire.',
    FORWARD_TO_INSTALLER,
    'Détail technique : once the function is back, run resendAll("' + isoTime_(notes.overflow.since - 1) + '", "' +
        isoTime_(notes.overflow.until) + '"); the server-side reconciler also finds them.']);
  }
  if (notes.outage) {
    add('le service est indisponible', ['Le service qui enregistre les réponses dans Ogust ne répond plus depuis le ' +
        parisTime_(notes.outage.since) + '. ' + count_(notes.outage.waiting, 'réponse attend et partira', 'réponses attendent et partiront') +
        ' dès qu\'il répondra (essai toutes les 5 à 30 minutes).',
    'Rien à faire, sauf si cela dure : ' + FORWARD_TO_INSTALLER]);
  }
  if (notes.recovered) {
    add('le service répond de nouveau', ['Le service répond de nouveau : ' + count_(waiting, 'réponse en attente part', 'réponses en attente partent') +
        ' maintenant, ' + SETTINGS.retryMaxSends + ' toutes les ' + SETTINGS.retryEveryMinutes + ' minutes.']);
  }
  if (notes.budget) {
    add('envoi ralenti', ['Le service répond lentement : les envois ont utilisé leur part du temps que Google accorde au script ' +
        'chaque jour. Le reste part dans les 24 heures.']);
  }
  if (notes.gone) {
    add(count_(notes.gone, 'réponse illisible', 'réponses illisibles'), [count_(notes.gone, 'réponse en attente n\'a', 'réponses en attente n\'ont') +
        ' pas pu être relue' + (notes.gone > 1 ? 's' : '') + ' dans le formulaire (supprimée' + (notes.gone > 1 ? 's' : '') + ' ?).',
    'Détail technique : showQueue() lists them; resendDead() tries them again.']);
  }
  lines.push('Cet e-mail ne contient ni les réponses ni le secret du lien. Envoyé le ' + parisTime_(now) + ' ; au plus ' +
      SETTINGS.mailsPerDay + ' e-mails de ce type par jour.');
  return { subject: subjects.join(', '), lines: lines };
}
