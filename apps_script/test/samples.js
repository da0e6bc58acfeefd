'use strict';
// French sample forms and responses shared by the Node tests and the Python contract test.

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';  // the Standard Webhooks spec's example key
const URL = 'https://europe-west1-forms-to-ogust.cloudfunctions.net/forms-to-ogust';
// 2026-11-28T09:15:00Z: the fixed fake clock (unix seconds 1795857300).
const FIXED_NOW_MS = Date.UTC(2026, 10, 28, 9, 15, 0);

const INTERVENTION_FORM = {
  id: '1FAIpQLSd-aide-a-domicile-2026',
  title: "Demande d'intervention — Aide à domicile",
  collectEmail: true,
  items: [
    { id: 101, title: 'Nom', type: 'TEXT' },
    { id: 102, title: 'Prénom', type: 'TEXT' },
    { id: 103, title: 'Ville', type: 'TEXT' },
    { id: 104, title: 'Commentaire', type: 'PARAGRAPH_TEXT' },
    { id: 105, title: 'Civilité', type: 'MULTIPLE_CHOICE', choices: ['Mme', 'M.'] },
    { id: 106, title: 'Services souhaités', type: 'CHECKBOX', choices: ['Ménage', 'Courses', 'Aide à la toilette', 'Repassage'] },
    { id: 107, title: 'Fréquence', type: 'LIST', choices: ['Une fois par semaine', 'Deux fois par semaine', 'Ponctuelle'] },
    { id: 108, title: "Niveau d'autonomie", type: 'SCALE' },
    { id: 109, title: 'Informations complémentaires', type: 'SECTION_HEADER' },
    { id: 110, title: 'Disponibilités', type: 'GRID', rows: ['Lundi', 'Mardi', 'Mercredi'], columns: ['Matin', 'Après-midi', 'Soir'] },
    { id: 111, title: 'Créneaux', type: 'CHECKBOX_GRID', rows: ['Semaine', 'Week-end'], columns: ['Matin', 'Après-midi', 'Soir'] },
    { id: 112, title: 'Justificatif de domicile', type: 'FILE_UPLOAD' },
    { id: 113, title: 'Date de début', type: 'DATE' },
    { id: 114, title: 'Heure préférée', type: 'TIME' },
    { id: 115, title: 'Téléphone', type: 'TEXT' },
    { id: 116, title: "Complément d'adresse", type: 'TEXT' },
    { id: 117, title: 'Animaux au domicile', type: 'CHECKBOX', choices: ['Chien', 'Chat'] },
  ],
};

const FULL_RESPONSE = {
  id: '2_ABaOnudA-Zoe-Dupont-Lefevre',
  timestamp: new Date('2026-11-28T09:14:31.512Z'),
  email: 'zoé.dupont-lefèvre@example.fr',
  answers: {
    101: 'Dupont-Lefèvre',
    102: 'Zoé',
    103: "L'Haÿ-les-Roses",
    104: 'Merci ! 😊 Entrée côté cour, 2ᵉ étage.\nCode : « 1234 » — sonnez fort.',
    105: 'Mme',
    106: ['Ménage', 'Courses', 'Aide à la toilette'],
    107: 'Une fois par semaine',
    108: '4',
    110: ['Matin', '', 'Soir'],
    111: [['Matin', 'Après-midi'], ['Soir']],
    112: ['1AbC-dEfGhIjKlMnOpQrStUvWxYz_0123'],
    113: '2026-12-01',
    114: '14:30',
    115: '06 12 34 56 78',
    // 116 unanswered text → ""; 117 unanswered checkbox → absent.
  },
};

const EDITED_RESPONSE = {
  ...FULL_RESPONSE,
  timestamp: new Date('2026-11-28T10:02:07.004Z'),
  answers: { ...FULL_RESPONSE.answers, 115: '07 98 76 54 32' },
};

const WORKSHOP_FORM = {
  id: '1FAIpQLSe-atelier-memoire',
  title: 'Inscription atelier mémoire',
  collectEmail: false,
  items: [
    { id: 201, title: 'Nom et prénom', type: 'TEXT' },
    { id: 202, title: 'Commune', type: 'LIST', choices: ["L'Haÿ-les-Roses", 'Créteil', 'Saint-Maur-des-Fossés'] },
    { id: 203, title: 'Ateliers', type: 'CHECKBOX', choices: ['Mémoire', 'Équilibre', 'Numérique'] },
    { id: 204, title: 'Remarques', type: 'PARAGRAPH_TEXT' },
  ],
};

const WORKSHOP_RESPONSE = {
  id: '2_ABaOnudB-Francois-Noel',
  timestamp: new Date('2026-11-28T09:10:00.000Z'),
  email: 'ignored@example.fr',  // the form does not collect e-mails
  answers: { 201: "François N'Guessan-Noël", 202: "L'Haÿ-les-Roses", 203: ['Équilibre'] },
};

module.exports = {
  SECRET,
  URL,
  FIXED_NOW_MS,
  INTERVENTION_FORM,
  FULL_RESPONSE,
  EDITED_RESPONSE,
  WORKSHOP_FORM,
  WORKSHOP_RESPONSE,
};
