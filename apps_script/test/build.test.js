'use strict';
// The one file to paste: dist/forms-to-ogust.gs is every source, and it is what the tests load.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const build = require('../build');
const { configuredHarness } = require('./helpers');
const samples = require('./samples');

test('dist/forms-to-ogust.gs holds every .gs source, Config.gs first, and appsscript.json is beside it', () => {
  const { text } = build.ensureBuilt();
  assert.equal(fs.readFileSync(build.BUNDLE_PATH, 'utf8'), text);
  const files = build.sourceFiles();
  assert.equal(files[0], 'Config.gs');
  assert.ok(files.length >= 10);
  let at = 0;
  for (const file of files) {
    const source = fs.readFileSync(path.join(__dirname, '..', file), 'utf8').trimEnd();
    const index = text.indexOf(source, at);
    assert.ok(index > at, `${file} is in the bundle, in order`);
    at = index;
  }
  assert.equal(fs.readFileSync(path.join(build.DIST_DIR, 'appsscript.json'), 'utf8'),
    fs.readFileSync(path.join(__dirname, '..', 'appsscript.json'), 'utf8'));
});

test('the tests run the built file: its functions are the ones the harness calls', () => {
  const h = configuredHarness();
  const err = (() => {
    try {
      h.context.parseSince_('hier');
    } catch (e) {
      return e;
    }
  })();
  assert.match(err.stack, new RegExp(build.BUNDLE_NAME.replace('.', '\\.')));
  assert.equal(h.submit(samples.FULL_RESPONSE).outcome, 'done');
});

test('the sources and the bundle use no module syntax (Apps Script has no import/require)', () => {
  for (const file of [...build.sourceFiles().map((f) => path.join(__dirname, '..', f)), build.BUNDLE_PATH]) {
    const source = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(source, /^\s*(import|export)\s|require\(|module\.exports/m, file);
  }
});

test('clasp pushes the sources, never dist/ or the tests', () => {
  const ignore = fs.readFileSync(path.join(__dirname, '..', '.claspignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('dist/**'));
  assert.ok(ignore.indexOf('dist/**') > ignore.indexOf('!*.gs'), 'dist/ is ignored after the .gs files are let in');
});
