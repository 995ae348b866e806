import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lastParseWork, parse } from '../src/syntax/parse.js';

// Real request files from public repositories (../shared/corpus beside the clone, as in CI).
const corpus = resolve(import.meta.dirname, '../../shared/corpus');
const present = existsSync(corpus);
if (!present) console.log(`corpus test skipped: ${corpus} is absent`);

/** The count of files that parse with no error: it may only go up. */
const CLEAN_AT_LEAST = 150;

/** Files that still report an error, and why (none at the moment). */
const KNOWN_GAPS: Record<string, string> = {};

describe.skipIf(!present)('real-world corpus', () => {
  const files = present
    ? readdirSync(corpus)
        .filter((name) => name !== 'README.md' && name !== 'MANIFEST.tsv')
        .sort()
    : [];

  // Work, not time (a busy machine makes timed tests flaky; npm run bench times the parser): a
  // few grammar calls per file, each character read by the grammar at most twice (in its line,
  // then inside its `{{ }}`), and each line looked at a bounded number of times.
  test('every file parses without a throw, in work linear in its size; the clean count only goes up', () => {
    expect(files.length).toBeGreaterThan(0);
    const failing: string[] = [];
    for (const name of files) {
      const text = readFileSync(join(corpus, name), 'utf8');
      const result = parse(text, { file: name });
      const work = lastParseWork();
      expect(work.grammarCalls, name).toBeLessThanOrEqual(5);
      expect(work.grammarCharacters, name).toBeLessThanOrEqual(2 * text.length);
      expect(work.lineReads, name).toBeLessThanOrEqual(8 * work.lines);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) failing.push(`${name}: ${errors.map((e) => `${e.span.start.line}: ${e.message}`).join('; ')}`);
    }
    const clean = files.length - failing.length;
    console.log(`corpus: ${clean} of ${files.length} files parse with no error`);
    for (const line of failing) console.log(`  still failing: ${line}`);
    expect(clean).toBeGreaterThanOrEqual(CLEAN_AT_LEAST);
    // A file that fails must be a listed gap with its reason; a listed gap that parses is removed.
    expect(failing.map((line) => line.slice(0, line.indexOf(':'))).sort()).toEqual(Object.keys(KNOWN_GAPS).sort());
  });
});
