#!/usr/bin/env node
// Writes wtf_wikipedia's plain text for every <name>.wiki under a folder to <name>.wtf.txt beside it,
// the independent extraction that IndependentExtractorTest compares WikitextCleaner with.
//
//   cd data-scripts/compare-cleaner && npm install && node wtf-extract.js [folder]
//
// The folder defaults to src/test/resources/wikitext-compare. Each section's text is written after
// a "== title ==" line of its heading level (wtf's text() drops headings), so the test can drop the
// sections our cleaner drops by design (see also, references...) by the same rule. Nothing else is
// changed: what wtf keeps or drops is its own.
'use strict';
const fs = require('fs');
const path = require('path');
const wtf = require('wtf_wikipedia');

const dir = process.argv[2] || path.join(__dirname, '..', '..', 'src', 'test', 'resources', 'wikitext-compare');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.wiki')).sort();
if (files.length === 0) {
  console.error(`no .wiki files in ${dir}`);
  process.exit(1);
}
for (const file of files) {
  const doc = wtf(fs.readFileSync(path.join(dir, file), 'utf8'));
  const out = [];
  for (const section of doc.sections()) {
    const title = section.title();
    if (title) {
      const marks = '='.repeat(section.depth() + 2);
      out.push(`${marks} ${title} ${marks}`);
    }
    const text = section.text().trim();
    if (text) {
      out.push(text);
    }
    out.push('');
  }
  const target = path.join(dir, file.replace(/\.wiki$/, '.wtf.txt'));
  fs.writeFileSync(target, out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n');
  console.log(`${path.basename(target)}: ${out.join(' ').length} chars`);
}
