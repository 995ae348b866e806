// README audit (h39): claims of the README that the code once contradicted, read from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HELP, parseCliArgs } from '../src/cli/args.js';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';
import { startWatch } from './helpers/watch-process.js';

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

// README audit (h46): claims no other test checked.

describe('.env lines as variables (README: Environments and variables)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve((_request, response) => response.end('ok'));
  });
  afterAll(() => server.close());

  test('beside the request file over the root; .env.NAME over .env, and alone it makes NAME an environment (httpyac); a --var value is not masked', async () => {
    const root = project({
      '.env': 'who=root-who\nwhere=root-where\nlevel=root-level\n',
      'api/.env': 'who=beside-who\nlevel=beside-level\n',
      'api/.env.dev': 'level=beside-dev-level\n',
      'api/a.http': `GET ${server.url}/{{who}}/{{where}}/{{level}}/{{pin}}\n`,
    });
    const plain = await runCli(['--var', 'pin=1', 'api/a.http'], { cwd: root });
    const dev = await runCli(['--env', 'dev', '--var', 'pin=1', '--verbose', 'api/a.http'], { cwd: root });
    expect([plain.code, dev.code]).toEqual([0, 0]);
    expect(server.requests.map((request) => request.url)).toEqual(['/beside-who/root-where/beside-level/1', '/beside-who/root-where/beside-dev-level/1']);
    // Every .env value is masked, however it is read; a one-character --var value is not.
    expect(dev.stdout).toContain('> GET ' + server.url + '/***/***/***/1\n');
    const unknown = await runCli(['--env', 'prod', '--var', 'pin=1', 'api/a.http'], { cwd: root });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('unknown environment "prod"');
  });
});

describe('watch re-runs a file when an env file its run reads changes (README: Watch mode)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve((_request, response) => {
      response.end('ok');
    });
  });
  afterAll(() => server.close());

  test(".httpyac.json and .env.NAME: the re-run sends the new value (a changed .httpyac.json re-ran with the old one)", async () => {
    const root = project({
      '.httpyac.json': JSON.stringify({ environments: { dev: { who: 'first' } } }),
      'a.http': `GET ${server.url}/{{who}}/{{level}}\n`,
      '.env.dev': 'level=one\n',
    });
    const watcher = startWatch(['--env', 'dev'], { cwd: root });
    try {
      expect((await watcher.nextRun()).reason).toBe('first run');
      writeFileSync(join(root, '.httpyac.json'), JSON.stringify({ environments: { dev: { who: 'second' } } }));
      expect((await watcher.nextRun()).reason).toBe('changed: .httpyac.json');
      writeFileSync(join(root, '.env.dev'), 'level=two\n');
      expect((await watcher.nextRun()).reason).toBe('changed: .env.dev');
      expect(server.requests.map((request) => request.url)).toEqual(['/first/one', '/second/one', '/second/two']);
    } finally {
      await watcher.stop('SIGINT');
    }
  });
});
