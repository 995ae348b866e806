// README audit (h39): claims of the README that the code once contradicted, read from the code.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { HELP, parseCliArgs } from '../src/cli/args.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the README's flag table: every `--long` and `-s` written in its first column. */
function readmeFlagRows(): string[][] {
  const table = README.slice(README.indexOf('### Flags'), README.indexOf('### Exit codes'));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `-'))
    .map((line) => [...line.split('|')[1]!.matchAll(/`(--?[\w-]+)/g)].map((m) => m[1]!));
}

describe('the README flag table and httprun --help', () => {
  test('every flag and short form of the README table is in --help, and every --help flag is in the table', () => {
    const readmeFlags = readmeFlagRows().flat();
    expect(readmeFlags).toContain('-j');
    for (const flag of readmeFlags) expect(HELP, flag).toMatch(new RegExp(`(^|[\\s,(])${flag}\\b`, 'm'));
    const helpFlags = new Set([...HELP.matchAll(/(?:^|[\s,(])(--?[a-zA-Z][\w-]*)/gm)].map((m) => m[1]!));
    for (const flag of helpFlags) expect(readmeFlags, flag).toContain(flag);
  });

  test('each short form in --help is written beside its long flag, as the README pairs them', () => {
    for (const [long, short] of [['--jobs', '-j'], ['--insecure', '-k'], ['--verbose', '-v'], ['--quiet', '-q'], ['--env', '-e']]) {
      expect(HELP).toMatch(new RegExp(`${long}( [A-Z]+)?, ${short}\\b`));
    }
  });

  test('the short forms do what the README says', () => {
    const args = parseCliArgs(['-j', '3', '-k', '-v', '-q', '-e', 'dev']);
    expect(args).toMatchObject({ jobs: 3, insecure: true, verbose: true, quiet: true, env: 'dev' });
  });
});
