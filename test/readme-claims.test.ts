// README audit (h39): claims of the README that the code once contradicted, read from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HELP, parseCliArgs } from '../src/cli/args.js';
import { DEFAULTS } from '../src/run/options.js';
import { hasOpenssl, makeCertificates } from './fixtures/execute/harness.js';
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

// README audit (h46): the examples parse, the defaults agree, and claims no other test checked.

/** The README's fenced blocks of one language, with the indentation of a list item taken off. */
function readmeBlocks(lang: string): string[] {
  return [...README.matchAll(/^( *)```(\w+)\n([\s\S]*?)^\1```/gm)]
    .filter((m) => m[2] === lang)
    .map((m) => m[3]!.split('\n').map((line) => line.slice(m[1]!.length)).join('\n'));
}

describe('the README examples', () => {
  test('every ```http example passes httprun check, with the secrets and variables it uses given', async () => {
    const blocks = readmeBlocks('http');
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    const files = Object.fromEntries(blocks.map((text, index) => [`example-${index}.http`, text]));
    const root = project(files);
    const run = await runCli(['check', '--var', 'host=http://127.0.0.1:1', '--var', 'token=t', ...Object.keys(files)], {
      cwd: root,
      env: { API_TOKEN: 'api-token', POSTS_TOKEN: 'posts-token' },
    });
    expect(run.stdout).toContain(`${blocks.length} files checked: ${blocks.length} clean, 0 errors, 0 warnings`);
    expect(run.code).toBe(0);
  });

  test.skipIf(!hasOpenssl())('the httprun.yaml example is read without a diagnostic, and its env: dev applies without --env', async () => {
    const yaml = readmeBlocks('yaml').find((text) => text.startsWith('env: dev'))!;
    const { client } = makeCertificates();
    const root = project({ 'httprun.yaml': yaml, 'certs/client.pem': client.cert, 'certs/client.key': client.key, 'a.http': 'GET {{baseUrl}}/x\n' });
    const check = await runCli(['check', 'a.http'], { cwd: root });
    expect(check.stdout).toBe('1 file checked: 1 clean, 0 errors, 0 warnings\n');
    const dry = await runCli(['--dry-run', 'a.http'], { cwd: root });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('GET http://127.0.0.1:3000/x');
  });

  test("REST Client's and httpyac's environment examples give the values the README shows", async () => {
    const settings = readmeBlocks('jsonc').find((text) => text.includes('rest-client.environmentVariables'))!;
    const httpyac = readmeBlocks('json').find((text) => text.includes('"defaultHeaders"'))!;
    const vscode = project({ '.vscode/settings.json': settings, 'a.http': 'GET http://{{host}}/{{version}}?t={{token}}\n' });
    const local = await runCli(['--dry-run', '--env', 'local', 'a.http'], { cwd: vscode });
    const production = await runCli(['--dry-run', '--env', 'production', 'a.http'], { cwd: vscode });
    expect(local.stdout).toContain('GET http://localhost/v2?t=foo');
    expect(production.stdout).toContain('GET http://example.com/v1?t=foo');
    const yac = project({ '.httpyac.json': httpyac, 'a.http': 'GET {{host}}/{{user}}\n' });
    const dev = await runCli(['--dry-run', '--env', 'dev', 'a.http'], { cwd: yac });
    expect(dev.stdout).toContain('GET http://localhost:8080/mario\n    Accept: application/json\n');
  });
});

describe('the README flag table and --help agree on defaults', () => {
  test('each "(default X)" of --help is in the README row of that flag, and is the default the run uses', () => {
    const defaults = [...HELP.matchAll(/^ {2}(--[\w-]+).*?\(default:? ([^)]+)\)/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(defaults.map(([flag]) => flag)).toEqual(['--jobs', '--retry-interval', '--timeout', '--connection-timeout', '--max-redirects', '--max-body']);
    const rows = README.slice(README.indexOf('### Flags'), README.indexOf('### Exit codes')).split('\n');
    for (const [flag, value] of defaults) {
      const row = rows.find((line) => line.startsWith(`| \`${flag}`))!.replaceAll('`', '');
      expect(row, flag).toContain(`default${flag === '--jobs' ? ':' : ''} ${value}`);
    }
    expect(DEFAULTS).toMatchObject({ retryInterval: 1000, timeout: 30_000, connectionTimeout: 10_000, maxRedirects: 20, maxBody: 64 * 1024 * 1024 });
  });
});

describe('.env lines as variables (README: Environments and variables)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve((_request, response) => {
      response.end('ok');
    });
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
