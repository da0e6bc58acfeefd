#!/usr/bin/env node
'use strict';
// Joins the .gs sources into dist/forms-to-ogust.gs, the one file to paste into the Apps Script
// editor, and copies appsscript.json beside it. The Node tests load that built file, so what is
// tested is what is pasted. `node build.js` (or `make apps-script`) writes it; tests rebuild it
// when it is missing or stale.

const fs = require('node:fs');
const path = require('node:path');

const SOURCE_DIR = __dirname;
const DIST_DIR = path.join(__dirname, 'dist');
const BUNDLE_NAME = 'forms-to-ogust.gs';
const BUNDLE_PATH = path.join(DIST_DIR, BUNDLE_NAME);
const MANIFEST = 'appsscript.json';

/** Config.gs first (it describes the files), then the others by name. */
function sourceFiles() {
  const files = fs.readdirSync(SOURCE_DIR).filter((f) => f.endsWith('.gs')).sort();
  return ['Config.gs', ...files.filter((f) => f !== 'Config.gs')];
}

/** The text of the single file: every source, each under a banner naming it. */
function bundle() {
  const version = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'package.json'), 'utf8')).version;
  const parts = [
    `// forms-to-ogust ${version}: the Google Form side, in one file.`,
    '// Paste it as the only script file of the form\'s Apps Script project, with appsscript.json beside it.',
    '// Built by apps_script/build.js from the files named below: edit those, not this one.',
  ];
  for (const file of sourceFiles()) {
    const text = fs.readFileSync(path.join(SOURCE_DIR, file), 'utf8');
    parts.push('', `// ===== ${file} ${'='.repeat(Math.max(0, 90 - file.length))}`, text.trimEnd());
  }
  return parts.join('\n') + '\n';
}

/** Writes a file by rename, so parallel test processes never read a half-written one. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

function readOrNull(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    return null;
  }
}

/** Builds dist/ if it differs from the sources; returns {path, text} of the bundle. */
function ensureBuilt() {
  const text = bundle();
  const manifest = fs.readFileSync(path.join(SOURCE_DIR, MANIFEST), 'utf8');
  fs.mkdirSync(DIST_DIR, { recursive: true });
  if (readOrNull(BUNDLE_PATH) !== text) writeAtomically(BUNDLE_PATH, text);
  if (readOrNull(path.join(DIST_DIR, MANIFEST)) !== manifest) writeAtomically(path.join(DIST_DIR, MANIFEST), manifest);
  return { path: BUNDLE_PATH, text };
}

module.exports = { bundle, ensureBuilt, sourceFiles, BUNDLE_NAME, BUNDLE_PATH, DIST_DIR };

if (require.main === module) {
  const built = ensureBuilt();
  process.stdout.write(`Built ${path.relative(process.cwd(), built.path)} (${sourceFiles().length} sources, ` +
    `${Buffer.byteLength(built.text)} bytes) and ${path.relative(process.cwd(), path.join(DIST_DIR, MANIFEST))}\n`);
}
