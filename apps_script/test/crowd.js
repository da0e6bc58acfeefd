'use strict';
// Many French responses for the load tests: deterministic, with compound names, apostrophes,
// accents and the response-id length Google Forms uses (about 70 characters).

const crypto = require('node:crypto');
const samples = require('./samples');

const FIRST_NAMES = ['Zoé', 'François', 'Marie-Hélène', 'Anaïs', 'Jérôme', 'Maëlle', 'Noël', 'Chloé', 'Gaëtan', 'Léa'];
const LAST_NAMES = ["Dupont-Lefèvre", "N'Guessan", 'Le Bihan', "D'Arnoux", 'Saint-Éloi', 'Müller-Gréau', 'Béranger',
  "O'Kelly-Faure", 'Lefèvre', 'Château-Renard'];
const CITIES = ["L'Haÿ-les-Roses", 'Créteil', 'Saint-Maur-des-Fossés', 'Vitry-sur-Seine', 'Ivry-sur-Seine'];

function responseId(i) {
  return `2_ABaOnud${crypto.createHash('sha256').update(`réponse ${i}`).digest('base64url').slice(0, 62)}`;
}

/** The i-th response (version `edit` > 0 for an edit), submitted at `atMs`. */
function crowdResponse(i, atMs, edit = 0) {
  const first = FIRST_NAMES[i % FIRST_NAMES.length];
  const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length];
  const phone = `06 ${String(10 + (i % 90)).padStart(2, '0')} 34 56 ${String(10 + edit).padStart(2, '0')}`;
  return {
    id: responseId(i),
    timestamp: new Date(atMs),
    email: `${first.toLowerCase().replace(/[^a-zé-ü]/g, '')}.${i}@exemple.fr`,
    answers: {
      ...samples.FULL_RESPONSE.answers,
      101: last,
      102: first,
      103: CITIES[i % CITIES.length],
      104: `Entrée côté cour, ${1 + (i % 5)}ᵉ étage. Code « ${1000 + i} ».${edit ? ` Modifié (${edit}).` : ''}`,
      115: phone,
    },
  };
}

module.exports = { crowdResponse, responseId };
