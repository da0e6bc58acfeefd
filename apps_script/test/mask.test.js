'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { configuredHarness } = require('./helpers');

const CASES = {
  'zoé.dupont-lefèvre@example.fr': 'z***@e***.fr',
  'Écrire à marie-helene.darnoux@exemple.fr.': 'Écrire à m***@e***.fr.',
  '06 12 34 56 78': '06******78',
  'tél. 0612345678, fixe 01.45.67.89.10': 'tél. 06******78, fixe 01******10',
  '+33 6 12 34 56 78': '33*******78',
  'Le 2026-11-28 à 14:30, code « 1234 »': 'Le 2026-11-28 à 14:30, code « 1234 »',
  "L'Haÿ-les-Roses 94240": "L'Haÿ-les-Roses 94240",
};

for (const [text, masked] of Object.entries(CASES)) {
  test(`masks personal data: ${text}`, () => {
    assert.equal(configuredHarness().context.maskPersonal_(text), masked);
  });
}
